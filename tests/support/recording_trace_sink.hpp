// Test support: a TraceSink that keeps every registration and report, for unit tests of what a
// module traces (memories, accelerator units), and an EnergyObserver that keeps every charge.
//
// Reports are kept in call order, each with a sequence number shared by all kinds (so a test can
// take "everything reported after this point"). Lookups by scope and name throw
// std::out_of_range naming what was missing (GoogleTest reports it as a failure). The sink also
// checks the rules of core/trace_sink.hpp as it goes: a report earlier than the last advance(),
// or a registration (other than a track) after the first advance(), is a violation (kept as text
// in violations()).
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/energy_ledger.hpp"
#include "core/trace_sink.hpp"
#include "core/units.hpp"

namespace hmasim::test {

class RecordingTraceSink : public TraceSink {
 public:
  enum class Kind { integer, real, track, byte_counter };
  // What one Id names (Ids index this vector: unique over all kinds).
  struct Registration {
    Kind kind;
    std::string scope;  // the signal's or counter's scope, the track's group
    std::string name;
    unsigned bits = 0;  // integers only
  };
  struct Change {
    std::uint64_t seq;
    Id signal;
    Time at;
    std::uint64_t value;  // integer signals
    double real;          // real signals
  };
  struct Slice {
    std::uint64_t seq;
    Id track;
    Time begin;
    Time end;
    std::string name;
    std::string category;
  };
  struct CounterSample {
    std::uint64_t seq;
    Id track;
    Time at;
    std::string name;
    double value;
  };
  struct ByteReport {
    std::uint64_t seq;
    Id counter;
    Time at;
    std::uint64_t bytes;
  };
  struct BlockWrites {
    std::uint64_t seq;
    std::string memory;
    std::uint32_t frame;
    Time at;
    std::vector<std::uint64_t> writes_per_group;
  };

  explicit RecordingTraceSink(TraceDetail detail = TraceDetail::burst) : TraceSink(detail) {}

  // ---- TraceSink ----
  Id integer_signal(const std::string& scope, const std::string& name, unsigned bits) override {
    if (bits < 1 || bits > 64)
      violation("signal " + scope + "." + name + " of " + std::to_string(bits) + " bits (1 to 64)");
    return add({Kind::integer, scope, name, bits});
  }
  Id real_signal(const std::string& scope, const std::string& name) override {
    return add({Kind::real, scope, name, 0});
  }
  Id track(const std::string& group, const std::string& name) override {
    return add({Kind::track, group, name, 0});
  }
  Id byte_counter(const std::string& scope, const std::string& name) override {
    return add({Kind::byte_counter, scope, name, 0});
  }
  void set(Id signal, Time at, std::uint64_t value) override {
    check(signal, Kind::integer, at, "set");
    const Registration& r = registrations_[signal];
    if (r.bits < 64 && value >> r.bits != 0) {
      violation(r.scope + "." + r.name + ": value " + std::to_string(value) + " exceeds " +
                std::to_string(r.bits) + " bits");
    }
    changes_.push_back({seq_++, signal, at, value, 0.0});
  }
  void set_real(Id signal, Time at, double value) override {
    check(signal, Kind::real, at, "set_real");
    changes_.push_back({seq_++, signal, at, 0, value});
  }
  void slice(Id track, Time begin, Time end, const std::string& name,
             const char* category) override {
    check(track, Kind::track, begin, "slice");
    if (end < begin) violation("slice " + name + " ends before it begins");
    slices_.push_back({seq_++, track, begin, end, name, category ? category : ""});
  }
  void counter(Id track, Time at, const std::string& name, double value) override {
    check(track, Kind::track, at, "counter");
    counters_.push_back({seq_++, track, at, name, value});
  }
  void add_bytes(Id counter, Time at, std::uint64_t bytes) override {
    check(counter, Kind::byte_counter, at, "add_bytes");
    bytes_.push_back({seq_++, counter, at, bytes});
  }
  void block_writes(const std::string& memory, std::uint32_t frame, Time at,
                    const std::vector<std::uint64_t>& writes_per_group) override {
    if (at < watermark_) late("block_writes of " + memory, at);
    block_writes_.push_back({seq_++, memory, frame, at, writes_per_group});
  }
  void advance(Time t) override {
    started_ = true;
    if (t < watermark_) {
      violation("advance to " + to_string(t) + " after " + to_string(watermark_));
    }
    watermark_ = max(watermark_, t);
    advances_.push_back(t);
  }

  // ---- what was recorded ----
  const std::vector<Registration>& registrations() const { return registrations_; }
  const std::vector<Change>& changes() const { return changes_; }
  const std::vector<Slice>& slices() const { return slices_; }
  const std::vector<CounterSample>& counter_samples() const { return counters_; }
  const std::vector<ByteReport>& byte_reports() const { return bytes_; }
  const std::vector<BlockWrites>& block_write_reports() const { return block_writes_; }
  const std::vector<Time>& advances() const { return advances_; }
  Time watermark() const { return watermark_; }
  // Broken rules, in the order they happened (empty in a correct run).
  const std::vector<std::string>& violations() const { return violations_; }
  // The sequence number the next report will get: reports with seq >= this came later.
  std::uint64_t next_seq() const { return seq_; }

  // ---- lookups ----
  bool has(Kind kind, const std::string& scope, const std::string& name) const {
    return find(kind, scope, name) != kNone;
  }
  Id id(Kind kind, const std::string& scope, const std::string& name) const {
    const Id i = find(kind, scope, name);
    if (i == kNone) {
      throw std::out_of_range("nothing registered as " + scope + "." + name + " of this kind");
    }
    return i;
  }
  Id signal_id(const std::string& scope, const std::string& name) const {
    const Id i = find(Kind::integer, scope, name);
    return i != kNone ? i : id(Kind::real, scope, name);
  }
  Id track_id(const std::string& group, const std::string& name) const {
    return id(Kind::track, group, name);
  }
  Id counter_id(const std::string& scope, const std::string& name) const {
    return id(Kind::byte_counter, scope, name);
  }
  // Every registration of `kind` whose scope is `scope` (exactly), in registration order.
  std::vector<Id> in_scope(Kind kind, const std::string& scope) const {
    std::vector<Id> v;
    for (Id i = 0; i < registrations_.size(); ++i) {
      if (registrations_[i].kind == kind && registrations_[i].scope == scope) v.push_back(i);
    }
    return v;
  }

  // The reports of one signal in call order.
  std::vector<Change> changes_of(Id signal) const {
    std::vector<Change> v;
    for (const Change& c : changes_) {
      if (c.signal == signal) v.push_back(c);
    }
    return v;
  }
  // The integer signal's waveform as a writer would dump it: sorted by time, at one time the
  // change reported last wins, changes to the value it already has dropped; starts at 0.
  std::vector<std::pair<Time, std::uint64_t>> waveform(Id signal) const {
    std::vector<Change> v = changes_of(signal);
    std::stable_sort(v.begin(), v.end(),
                     [](const Change& a, const Change& b) { return a.at < b.at; });
    std::vector<std::pair<Time, std::uint64_t>> w;
    std::uint64_t current = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i + 1 < v.size() && v[i + 1].at == v[i].at) continue;  // a later report wins
      if (v[i].value == current) continue;
      current = v[i].value;
      w.emplace_back(v[i].at, current);
    }
    return w;
  }
  // The integer signal's value at `t` (every change at or before `t` applied).
  std::uint64_t value_at(Id signal, Time t) const {
    std::uint64_t value = 0;
    for (const auto& [at, v] : waveform(signal)) {
      if (at > t) break;
      value = v;
    }
    return value;
  }
  std::vector<Slice> slices_on(Id track) const {
    std::vector<Slice> v;
    for (const Slice& s : slices_) {
      if (s.track == track) v.push_back(s);
    }
    return v;
  }
  std::uint64_t total_bytes(Id counter) const {
    std::uint64_t n = 0;
    for (const ByteReport& b : bytes_) {
      if (b.counter == counter) n += b.bytes;
    }
    return n;
  }
  // The earliest time of any report (change, slice begin, counter sample, bytes, block writes)
  // with seq >= `from_seq`; kNoTime if there is none.
  static constexpr Time kNoTime{UINT64_MAX};
  Time earliest_report_since(std::uint64_t from_seq) const {
    Time t = kNoTime;
    for (const Change& c : changes_) {
      if (c.seq >= from_seq) t = min(t, c.at);
    }
    for (const Slice& s : slices_) {
      if (s.seq >= from_seq) t = min(t, s.begin);
    }
    for (const CounterSample& c : counters_) {
      if (c.seq >= from_seq) t = min(t, c.at);
    }
    for (const ByteReport& b : bytes_) {
      if (b.seq >= from_seq) t = min(t, b.at);
    }
    for (const BlockWrites& b : block_writes_) {
      if (b.seq >= from_seq) t = min(t, b.at);
    }
    return t;
  }

 private:
  static constexpr Id kNone = UINT32_MAX;
  Id find(Kind kind, const std::string& scope, const std::string& name) const {
    for (Id i = 0; i < registrations_.size(); ++i) {
      const Registration& r = registrations_[i];
      if (r.kind == kind && r.scope == scope && r.name == name) return i;
    }
    return kNone;
  }
  Id add(Registration r) {
    // Tracks may be opened during simulation (lanes for requests in flight), nothing else.
    if (started_ && r.kind != Kind::track) {
      violation("registered " + r.scope + "." + r.name + " after the first advance");
    }
    if (find(r.kind, r.scope, r.name) != kNone) {
      violation("registered " + r.scope + "." + r.name + " twice");
    }
    registrations_.push_back(std::move(r));
    return static_cast<Id>(registrations_.size() - 1);
  }
  void check(Id id, Kind kind, Time at, const char* what) {
    if (id >= registrations_.size() || registrations_[id].kind != kind) {
      violation(std::string(what) + " with id " + std::to_string(id) + ", not one of its kind");
      return;
    }
    if (at < watermark_) {
      late(std::string(what) + " " + registrations_[id].scope + "." + registrations_[id].name, at);
    }
  }
  void late(const std::string& what, Time at) {
    violation(what + " at " + to_string(at) + ", before the watermark " + to_string(watermark_));
  }
  void violation(const std::string& what) { violations_.push_back(what); }

  std::vector<Registration> registrations_;
  std::vector<Change> changes_;
  std::vector<Slice> slices_;
  std::vector<CounterSample> counters_;
  std::vector<ByteReport> bytes_;
  std::vector<BlockWrites> block_writes_;
  std::vector<Time> advances_;
  std::vector<std::string> violations_;
  std::uint64_t seq_ = 0;
  Time watermark_{0};
  bool started_ = false;
};

// Keeps every charge the ledger reports (set with ledger.set_observer(&observer)).
class RecordingEnergyObserver : public EnergyObserver {
 public:
  struct Span {
    EnergyLedger::ComponentId component;
    bool is_static;
    Energy energy;
    Time begin;
    Time end;
  };
  void energy(EnergyLedger::ComponentId c, bool is_static, Energy e, Time begin,
              Time end) override {
    spans_.push_back({c, is_static, e, begin, end});
  }
  const std::vector<Span>& spans() const { return spans_; }
  // The energy of every span of one component.
  Energy total(EnergyLedger::ComponentId c) const {
    Energy e(0.0);
    for (const Span& s : spans_) {
      if (s.component == c) e += s.energy;
    }
    return e;
  }

 private:
  std::vector<Span> spans_;
};

}  // namespace hmasim::test
