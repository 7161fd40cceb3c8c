#include "traces/trace_recorder.hpp"

#include <stdexcept>

#include "traces/bandwidth_windows.hpp"
#include "traces/endurance_writer.hpp"
#include "traces/output_stream.hpp"
#include "traces/power_windows.hpp"
#include "traces/timeline_writer.hpp"
#include "traces/vcd_writer.hpp"

namespace hmasim {

void parse_trace_kinds(const std::string& list, TraceOptions& options) {
  const char* known = "vcd, power, bandwidth, timeline, endurance, all";
  std::size_t begin = 0;
  bool any = false;
  while (begin <= list.size()) {
    std::size_t comma = list.find(',', begin);
    if (comma == std::string::npos) comma = list.size();
    std::string kind = list.substr(begin, comma - begin);
    const std::size_t first = kind.find_first_not_of(" \t");
    const std::size_t last = kind.find_last_not_of(" \t");
    kind = first == std::string::npos ? "" : kind.substr(first, last - first + 1);
    if (kind == "vcd") {
      options.vcd = true;
    } else if (kind == "power") {
      options.power = true;
    } else if (kind == "bandwidth") {
      options.bandwidth = true;
    } else if (kind == "timeline") {
      options.timeline = true;
    } else if (kind == "endurance") {
      options.endurance = true;
    } else if (kind == "all") {
      options.vcd = options.power = options.bandwidth = options.timeline = options.endurance = true;
    } else {
      throw std::invalid_argument("unknown trace '" + kind + "' (known: " + known + ")");
    }
    any = true;
    begin = comma + 1;
  }
  if (!any) throw std::invalid_argument(std::string("no trace named (known: ") + known + ")");
}

TraceDetail parse_trace_detail(const std::string& text) {
  if (text == "layer") return TraceDetail::layer;
  if (text == "tile") return TraceDetail::tile;
  if (text == "burst") return TraceDetail::burst;
  throw std::invalid_argument("unknown trace detail '" + text + "' (known: layer, tile, burst)");
}

TraceRecorder::TraceRecorder(const TraceOptions& options, const std::string& directory)
    : TraceSink(options.detail), options_(options), directory_(directory) {
  const WindowGrid check(options.window);  // throws for a zero window, before any file exists
  (void)check;
  const std::string dir =
      directory_.empty() || directory_.back() == '/' ? directory_ : directory_ + "/";
  if (options_.vcd) vcd_ = std::make_unique<VcdWriter>(dir + kWavesFile);
  if (options_.power) power_csv_ = std::make_unique<OutputStream>(dir + kPowerFile);
  if (options_.bandwidth) bandwidth_csv_ = std::make_unique<OutputStream>(dir + kBandwidthFile);
  if (options_.timeline) timeline_ = std::make_unique<TimelineWriter>(dir + kTimelineFile);
  if (options_.endurance) endurance_ = std::make_unique<EnduranceWriter>(dir + kEnduranceFile);
  // Windows feed the CSV files and the VCD's per-window signals.
  if (options_.bandwidth || options_.vcd) {
    bandwidth_ = std::make_unique<BandwidthWindows>(options_.window);
  }
}

TraceRecorder::~TraceRecorder() = default;

void TraceRecorder::set_components(const std::vector<std::string>& names) {
  if (components_set_ || started_) {
    throw std::logic_error("TraceRecorder::set_components: call it once, before the first advance");
  }
  components_set_ = true;
  components_ = names;
  ensure_power();
}

void TraceRecorder::set_components(const EnergyLedger& ledger) {
  std::vector<std::string> names;
  for (EnergyLedger::ComponentId c = 0; c < ledger.component_count(); ++c) {
    names.push_back(ledger.name(c));
  }
  set_components(names);
}

void TraceRecorder::ensure_power() {
  if (power_ || !(options_.power || options_.vcd)) return;
  power_ = std::make_unique<PowerWindows>(options_.window, components_.size());
  if (vcd_) {
    for (const std::string& c : components_) power_vars_.push_back(vcd_->real("power", c));
    power_vars_.push_back(vcd_->real("power", "total"));
  }
}

TraceSink::Id TraceRecorder::integer_signal(const std::string& scope, const std::string& name,
                                            unsigned bits) {
  if (started_) throw std::logic_error("signal '" + name + "' registered after the first advance");
  if (vcd_) return vcd_->integer(scope, name, bits);
  if (bits < 1 || bits > 64) throw std::invalid_argument("signal '" + name + "': 1 to 64 bits");
  return signals_++;
}

TraceSink::Id TraceRecorder::real_signal(const std::string& scope, const std::string& name) {
  if (started_) throw std::logic_error("signal '" + name + "' registered after the first advance");
  if (vcd_) return vcd_->real(scope, name);
  return signals_++;
}

TraceSink::Id TraceRecorder::track(const std::string& group, const std::string& name) {
  if (timeline_ && !finished_) return timeline_->track(group, name);
  return tracks_++;
}

TraceSink::Id TraceRecorder::byte_counter(const std::string& scope, const std::string& name) {
  if (started_) {
    throw std::logic_error("byte counter '" + name + "' registered after the first advance");
  }
  counter_names_.push_back(scope.empty() ? name : scope + "." + name);
  if (vcd_) counter_vars_.push_back(vcd_->integer(scope, name, 64));
  if (bandwidth_) return static_cast<Id>(bandwidth_->add_counter());
  return static_cast<Id>(counter_names_.size() - 1);
}

void TraceRecorder::set(Id signal, Time at, std::uint64_t value) {
  if (vcd_ && !finished_) vcd_->set(signal, at, value);
}

void TraceRecorder::set_real(Id signal, Time at, double value) {
  if (vcd_ && !finished_) vcd_->set_real(signal, at, value);
}

void TraceRecorder::slice(Id track, Time begin, Time end, const std::string& name,
                          const char* category) {
  if (timeline_ && !finished_) timeline_->slice(track, begin, end, name, category);
}

void TraceRecorder::counter(Id track, Time at, const std::string& name, double value) {
  if (timeline_ && !finished_) timeline_->counter(track, at, name, value);
}

void TraceRecorder::add_bytes(Id counter, Time at, std::uint64_t bytes) {
  if (bandwidth_ && !finished_) bandwidth_->add(counter, at, bytes);
}

void TraceRecorder::block_writes(const std::string& memory, std::uint32_t frame, Time at,
                                 const std::vector<std::uint64_t>& writes_per_group) {
  if (endurance_ && !finished_) endurance_->block_writes(memory, frame, at, writes_per_group);
}

void TraceRecorder::energy(EnergyLedger::ComponentId c, bool is_static, Energy e, Time begin,
                           Time end) {
  if (finished_ || !(options_.power || options_.vcd)) return;
  if (!power_ || c >= components_.size()) {
    throw std::logic_error("TraceRecorder: energy of component " + std::to_string(c) +
                           ", which set_components did not name (call it after elaboration)");
  }
  power_->add(c, is_static, e, begin, end);
}

void TraceRecorder::write_headers() {
  if (headers_written_) return;
  headers_written_ = true;
  ensure_power();
  if (power_csv_) power_csv_->write(power_csv_header(components_));
  if (bandwidth_csv_) bandwidth_csv_->write(bandwidth_csv_header(counter_names_));
}

void TraceRecorder::emit_power(std::uint64_t, Time start, Time length,
                               const std::vector<double>& e) {
  PowerWindows::Window w{0, start, length, e};
  if (power_csv_) power_csv_->write(power_csv_row(w));
  if (vcd_) {
    const double seconds = to_seconds(length);
    double total = 0.0;
    for (std::size_t c = 0; c + 1 < power_vars_.size(); ++c) {
      const double p = seconds > 0.0 ? (e[2 * c] + e[2 * c + 1]) / seconds : 0.0;
      total += p;
      vcd_->set_real(power_vars_[c], start, p);
    }
    vcd_->set_real(power_vars_.back(), start, total);
  }
}

void TraceRecorder::emit_bytes(std::uint64_t, Time start, Time length,
                               const std::vector<std::uint64_t>& bytes) {
  BandwidthWindows::Window w{0, start, length, bytes};
  if (bandwidth_csv_) bandwidth_csv_->write(bandwidth_csv_row(w));
  if (vcd_) {
    for (std::size_t i = 0; i < counter_vars_.size(); ++i) {
      vcd_->set(counter_vars_[i], start, bytes[i]);
    }
  }
}

void TraceRecorder::advance(Time t) {
  if (finished_) return;
  started_ = true;
  write_headers();
  if (t <= watermark_) return;
  watermark_ = t;
  Time vcd_until = t;
  if (power_) {
    power_->advance(t, [this](const PowerWindows::Window& w) {
      emit_power(w.index, w.start, w.length, w.energy);
    });
    // A window's values are set at its start, once it is complete: the VCD waits for them.
    vcd_until = min(vcd_until, power_->grid().start(power_->next_window()));
  }
  if (bandwidth_) {
    bandwidth_->advance(t, [this](const BandwidthWindows::Window& w) {
      emit_bytes(w.index, w.start, w.length, w.bytes);
    });
    vcd_until = min(vcd_until, bandwidth_->grid().start(bandwidth_->next_window()));
  }
  if (vcd_) vcd_->advance(vcd_until);
}

void TraceRecorder::finish(Time end) {
  if (finished_) return;
  started_ = true;
  write_headers();
  finished_ = true;  // even if a write below fails: the run is over either way
  end = max(end, watermark_);
  watermark_ = end;
  if (power_) {
    power_->finish(end, [this](const PowerWindows::Window& w) {
      emit_power(w.index, w.start, w.length, w.energy);
    });
  }
  if (bandwidth_) {
    bandwidth_->finish(end, [this](const BandwidthWindows::Window& w) {
      emit_bytes(w.index, w.start, w.length, w.bytes);
    });
  }
  if (vcd_) vcd_->finish(end);
  if (power_csv_) power_csv_->close();
  if (bandwidth_csv_) bandwidth_csv_->close();
  if (timeline_) timeline_->finish();
  if (endurance_) endurance_->finish();
}

std::vector<std::string> TraceRecorder::files() const {
  std::vector<std::string> names;
  if (options_.vcd) names.push_back(kWavesFile);
  if (options_.power) names.push_back(kPowerFile);
  if (options_.bandwidth) names.push_back(kBandwidthFile);
  if (options_.timeline) names.push_back(kTimelineFile);
  if (options_.endurance) names.push_back(kEnduranceFile);
  return names;
}

TraceRecorder::Stats TraceRecorder::stats() const {
  Stats s;
  if (vcd_) s.late_changes = vcd_->late_changes();
  if (power_) {
    s.late_spans = power_->late_spans();
    s.moved_energy = power_->moved_energy();
    s.observed_energy = power_->total_energy();
  }
  if (bandwidth_) {
    s.late_byte_reports = bandwidth_->late_reports();
    s.observed_bytes = bandwidth_->total_bytes();
  }
  return s;
}

std::size_t TraceRecorder::buffered_changes() const {
  return vcd_ ? vcd_->buffered() : 0;
}

}  // namespace hmasim
