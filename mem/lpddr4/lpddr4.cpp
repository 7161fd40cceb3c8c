#include "mem/lpddr4/lpddr4.hpp"

#include <algorithm>

#include "core/sc_time_conversion.hpp"
#include "mem/memory_registry.hpp"

namespace hmasim {

namespace {
// --check-timing and the DRAM tests: every instance checks, and the findings are summed.
struct GlobalCheck {
  bool by_default = false;
  std::uint64_t violations = 0;
  std::string reports;
};
GlobalCheck& global_check() {
  static GlobalCheck g;
  return g;
}
}  // namespace

Lpddr4::Lpddr4(const sc_core::sc_module_name& name, const Lpddr4Config& config,
               EnergyLedger& ledger)
    : MemoryTarget(name, config.common, ledger, "background"),
      config_(config),
      energy_(Lpddr4Energy::from_config(config_)),
      channel_request_(config_.channels, 0),
      leave_ring_(config_.queue_depth, Cycles(0)) {
  Lpddr4LedgerActions actions;
  actions.ledger = &ledger;
  actions.component = component();
  actions.act = ledger.add_action(component(), "ACT");
  actions.pre = ledger.add_action(component(), "PRE");
  actions.rd = ledger.add_action(component(), "RD");
  actions.wr = ledger.add_action(component(), "WR");
  actions.ref = ledger.add_action(component(), "REF");
  if (config_.refresh == RefreshPolicy::per_bank) {
    actions.refpb = ledger.add_action(component(), "REFpb");
  }
  if (!config_.controller.buffered()) {
    channels_.reserve(config_.channels);
    for (unsigned c = 0; c < config_.channels; ++c) {
      channels_.emplace_back(config_, energy_, actions, c);
    }
  } else {
    for (unsigned c = 0; c < config_.channels; ++c) {
      controllers_.push_back(
          std::make_unique<Lpddr4ChannelController>(config_, energy_, actions, c));
    }
    next_command_.assign(config_.channels, Lpddr4ChannelController::kNever);
    channel_bursts_.assign(std::size_t{config_.channels} * config_.banks, 0);
    for (const std::size_t field :
         {Lpddr4Config::kChannel, Lpddr4Config::kBank, Lpddr4Config::kRow}) {
      for (const unsigned bit : config_.mapping.bits(field)) {
        placement_bits_ |= std::uint64_t{1} << bit;
      }
    }
    // MemoryTarget's socket: the member function is ours, called on this object only.
    using Fw = tlm::tlm_sync_enum (MemoryTarget::*)(tlm::tlm_generic_payload&, tlm::tlm_phase&,
                                                    sc_core::sc_time&);
    socket.register_nb_transport_fw(this, static_cast<Fw>(&Lpddr4::nb_transport_fw));
    SC_METHOD(progress);
    sensitive << wake_;
    dont_initialize();
  }
  if (global_check().by_default) enable_timing_check();
}

Lpddr4::~Lpddr4() {
  // What was never finished is still checked (tests that stop without finish()).
  for (unsigned ch = 0; ch < unchecked_.size(); ++ch) {
    check_final(ch, Lpddr4ChannelController::kNever);
  }
  const std::uint64_t v = timing_violations();
  if (v > reported_violations_) {
    global_check().violations += v - reported_violations_;
    global_check().reports += instance_name() + ":\n" + timing_report();
  }
}

Bandwidth Lpddr4::peak_bandwidth() const {
  const double bytes_per_cycle = 2.0 * config_.width_bits / 8.0;  // both clock edges
  return Bandwidth(bytes_per_cycle * static_cast<double>(clock().frequency().value()) *
                   config_.channels);
}

std::uint64_t Lpddr4::count(Lpddr4Command c) const {
  std::uint64_t n = 0;
  for (const Lpddr4Channel& ch : channels_) n += ch.count(c);
  for (const auto& ch : controllers_) n += ch->count(c);
  return n;
}

Cycles Lpddr4::background_cycles(BackgroundState s) const {
  Cycles n(0);
  for (const Lpddr4Channel& ch : channels_) n += ch.background_cycles(s);
  for (const auto& ch : controllers_) n += ch->background_cycles(s);
  return n;
}

Lpddr4RailReport Lpddr4::energy_by_rail() const {
  Lpddr4RailReport r;
  // What the ledger was charged, action by action: counts x per-action energy per rail.
  std::uint64_t pre = 0;
  for (const auto& a : ledger().actions(component())) {
    if (a.name == "PRE") pre = a.count;
  }
  const auto times = [](const CoreIo<Energy>& e, std::uint64_t n) {
    return CoreIo<Energy>{e.core * static_cast<double>(n), e.io * static_cast<double>(n)};
  };
  r.by_class[0] = times(energy_.act, count(Lpddr4Command::ACT));
  r.by_class[1] = times(energy_.pre, pre);
  r.by_class[2] = times(energy_.rd, count(Lpddr4Command::RD));
  r.by_class[3] = times(energy_.wr, count(Lpddr4Command::WR));
  r.by_class[4] = times(energy_.ref, count(Lpddr4Command::REF));
  r.by_class[5] = times(energy_.refpb, count(Lpddr4Command::REFPB));
  CoreIo<Energy> bg;
  for (std::size_t s = 0; s < kBackgroundStateCount; ++s) {
    const auto st = static_cast<BackgroundState>(s);
    const CoreIo<Energy> e = energy_.background_energy(st, background_cycles(st).value());
    bg.core += e.core;
    bg.io += e.io;
  }
  r.by_class[6] = bg;
  return r;
}

std::map<std::string, std::uint64_t> Lpddr4::command_counts() const {
  std::map<std::string, std::uint64_t> m;
  for (Lpddr4Command c : {Lpddr4Command::ACT, Lpddr4Command::PRE, Lpddr4Command::PREA,
                          Lpddr4Command::RD, Lpddr4Command::WR, Lpddr4Command::REF}) {
    m[to_string(c)] = count(c);
  }
  if (config_.refresh == RefreshPolicy::per_bank) m["REFpb"] = count(Lpddr4Command::REFPB);
  if (config_.power_down.enabled) {
    for (Lpddr4Command c :
         {Lpddr4Command::PDE, Lpddr4Command::PDX, Lpddr4Command::SRE, Lpddr4Command::SRX}) {
      m[to_string(c)] = count(c);
    }
  }
  return m;
}

Time Lpddr4::accounted_until() const {
  Time t = kAllAccounted;
  if (!controllers_.empty()) {
    for (const auto& ch : controllers_) t = min(t, clock().time_of(ch->accounted_until()));
    return t;
  }
  for (const Lpddr4Channel& ch : channels_) t = min(t, ch.accounted_until());
  return t;
}

void Lpddr4::on_trace(TraceSink* sink) {
  for (unsigned c = 0; c < channels_.size(); ++c) {
    channels_[c].set_trace(sink, trace_scope() + ".ch" + std::to_string(c));
  }
}

void Lpddr4::enable_command_log(bool on) {
  for (Lpddr4Channel& ch : channels_) ch.set_log(on ? &log_ : nullptr);
  for (auto& ch : controllers_) ch->set_log(on ? &log_ : nullptr);
}

// ---------------------------------------------------------------------------------------------
// Timing check

void Lpddr4::check_timing_by_default(bool on) {
  global_check().by_default = on;
}
std::uint64_t Lpddr4::violations_everywhere() {
  return global_check().violations;
}
const std::string& Lpddr4::violation_reports() {
  return global_check().reports;
}

void Lpddr4::enable_timing_check(bool on) {
  checkers_.clear();
  unchecked_.clear();
  if (on) {
    unchecked_.resize(config_.channels);
    for (unsigned c = 0; c < config_.channels; ++c) {
      checkers_.push_back(std::make_unique<Lpddr4TimingChecker>(config_.timing, config_.banks,
                                                                config_.burst_length));
    }
  }
  for (unsigned c = 0; c < channels_.size(); ++c) {
    channels_[c].set_check_log(on ? &unchecked_[c] : nullptr);
  }
  // The buffered controller issues in time order: its commands go to the checker directly.
  for (unsigned c = 0; c < controllers_.size(); ++c) {
    controllers_[c]->set_checker(on ? checkers_[c].get() : nullptr);
  }
}

void Lpddr4::check_final(unsigned channel, Cycles before) {
  auto& v = unchecked_[channel];
  if (v.empty()) return;
  // The in-order controller places commands slightly out of time order; those before the
  // channel's watermark are final.
  std::stable_sort(v.begin(), v.end(),
                   [](const auto& a, const auto& b) { return a.cycle < b.cycle; });
  std::size_t n = 0;
  for (; n < v.size() && v[n].cycle < before; ++n) checkers_[channel]->check(v[n]);
  v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n));
}

std::uint64_t Lpddr4::timing_violations() const {
  std::uint64_t n = 0;
  for (const auto& c : checkers_) n += c->violation_count();
  return n;
}

std::uint64_t Lpddr4::commands_checked() const {
  std::uint64_t n = 0;
  for (const auto& c : checkers_) n += c->checked();
  return n;
}

std::string Lpddr4::timing_report() const {
  std::string s;
  for (const auto& c : checkers_) s += c->report();
  return s;
}

Lpddr4::Outcome Lpddr4::serve(const Request& r) {
  if (!controllers_.empty()) return serve_buffered(r);
  // FCFS: a request that arrives "before" the previous one (initiators with separate local
  // times) is taken after it. This also makes arrivals a watermark for the channels.
  const Cycles arrival = max(r.arrival, last_arrival_);
  last_arrival_ = arrival;
  Cycles& slot = leave_ring_[requests_ % leave_ring_.size()];
  const Cycles accepted = max(arrival, slot);  // when request k - queue_depth left the queue
  const std::uint64_t id = ++requests_;

  const std::uint64_t burst = config_.burst_bytes().value();
  const std::uint64_t first = r.address & ~(burst - 1);
  const std::uint64_t last = (r.address + r.length - 1) & ~(burst - 1);
  const bool write = r.command == tlm::TLM_WRITE_COMMAND;
  const bool closed_page = config_.page_policy == PagePolicy::closed;

  Outcome out;
  out.accepted = accepted;
  out.done = accepted;
  Cycles leave = accepted;
  Location here = locate(first);
  for (std::uint64_t a = first;; a += burst) {
    const bool final_burst = a == last;
    const Location next = final_burst ? here : locate(a + burst);
    Lpddr4Channel& ch = channels_[here.channel];
    if (channel_request_[here.channel] != id) {
      channel_request_[here.channel] = id;
      ch.begin_request(accepted);
    }
    // Closed page: precharge after the request's last burst to this row (a 64 B request is two
    // bursts of one row; closing between them would only cost a second ACT).
    const bool close = closed_page && (final_burst || next.channel != here.channel ||
                                       next.bank != here.bank || next.row != here.row);
    const auto timing = ch.access({here.bank, here.row, write, close}, accepted);
    out.done = max(out.done, timing.data_end);
    leave = max(leave, timing.column);
    mutable_stats().busy_cycles += config_.burst_cycles().value();
    if (final_burst) break;
    here = next;
  }
  // In-order retirement keeps the queue a FIFO even when channels finish out of order.
  last_leave_ = max(last_leave_, leave);
  slot = last_leave_;
  if (!checkers_.empty()) {
    for (unsigned c = 0; c < channels_.size(); ++c) {
      if (unchecked_[c].size() >= 4096) check_final(c, channels_[c].final_before());
    }
  }
  return out;
}

void Lpddr4::on_finish(Time end) {
  const Cycles c = clock().cycle_at_or_after(end);
  for (Lpddr4Channel& ch : channels_) ch.settle(c);
  if (!controllers_.empty()) {
    advance_all(Lpddr4ChannelController::kNever);
    for (auto& ch : controllers_) ch->settle(max(c, Cycles(0)));
  }
  for (unsigned ch = 0; ch < unchecked_.size(); ++ch)
    check_final(ch, Lpddr4ChannelController::kNever);
  // What this instance found that the process-wide sum has not seen yet.
  const std::uint64_t v = timing_violations();
  if (v > reported_violations_) {
    global_check().violations += v - reported_violations_;
    global_check().reports += instance_name() + ":\n" + timing_report();
    reported_violations_ = v;
  }
}

void Lpddr4::on_power_off(Time at) {
  const Cycles c = clock().cycle_at_or_after(at);
  for (Lpddr4Channel& ch : channels_) ch.power_off(c);
  for (auto& ch : controllers_) ch->power_off(c);
  for (unsigned ch = 0; ch < unchecked_.size(); ++ch)
    check_final(ch, Lpddr4ChannelController::kNever);
}

void Lpddr4::on_power_on(Time at) {
  const Cycles c = clock().cycle_at_or_after(at);
  for (Lpddr4Channel& ch : channels_) ch.power_on(c);
  for (auto& ch : controllers_) ch->power_on(c);
  for (auto& k : checkers_) k->power_cycle();
  std::fill(leave_ring_.begin(), leave_ring_.end(), c);
  last_arrival_ = last_leave_ = c;
}

HMASIM_REGISTER_MEMORY(Lpddr4, Lpddr4Config, "lpddr4",
                       "JEDEC LPDDR4 channels: in-order controller with ACT/PRE lookahead or "
                       "buffered FCFS / FR-FCFS schedulers (nb_transport), page, refresh and "
                       "power-down policies, DRAMPower IDD energy per rail");

}  // namespace hmasim
