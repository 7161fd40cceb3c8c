#include "hw/units/cbuf.hpp"

#include <algorithm>

namespace hmasim {

Cbuf::Cbuf(const sc_core::sc_module_name& name, const CbufConfig& config, EnergyLedger& ledger,
           EnergyLedger::ComponentId c)
    : sc_core::sc_module(name), config_(config), ledger_(ledger) {
  read_ = ledger.add_action(c, "read_byte");
  write_ = ledger.add_action(c, "write_byte");
  ledger.set_static_power(c, config.leakage, Time(0));
}

void Cbuf::begin_layer(const TilePlan& plan, Time start) {
  layer_start_ = start;
  const std::size_t n = plan.tiles.size();
  released_.assign(n, start);
  feature_bytes_.assign(n, 0);
  weight_bytes_.assign(n, 0);
  // Weights a tile loads stay until the last tile before the next one that loads weights.
  weight_last_user_.assign(n, n ? n - 1 : 0);
  std::size_t loader = n;
  for (std::size_t t = n; t-- > 0;) {
    if (loader < n) weight_last_user_[t] = loader - 1;
    if (!plan.tiles[t].load_kernels.empty()) loader = t;
  }
  changes_.clear();
}

Time Cbuf::slot_free(std::size_t t) const {
  return t >= 2 ? max(layer_start_, released_[t - 2]) : layer_start_;
}

void Cbuf::writer_waited(std::size_t t, Time wanted) {
  const Time free = slot_free(t);
  if (free <= wanted) return;
  stats_.writer_stall += free - wanted;
  if (trace_) {
    trace_->set(stall_signal_, wanted, 1);
    trace_->set(stall_signal_, free, 0);
  }
}

void Cbuf::filled(std::size_t t, std::uint64_t feature_bytes, std::uint64_t weight_bytes,
                  Time begin, Time end) {
  const std::uint64_t bytes = feature_bytes + weight_bytes;
  stats_.bytes_written += bytes;
  ledger_.charge(write_, config_.write_energy_per_byte, bytes, begin, end);
  feature_bytes_[t] += feature_bytes;
  weight_bytes_[t] += weight_bytes;
  if (trace_) {
    changes_.push_back({end, false, static_cast<std::int64_t>(feature_bytes)});
    changes_.push_back({end, true, static_cast<std::int64_t>(weight_bytes)});
  }
}

void Cbuf::read(std::uint64_t bytes, Time begin, Time end) {
  stats_.bytes_read += bytes;
  ledger_.charge(read_, config_.read_energy_per_byte, bytes, begin, end);
}

void Cbuf::released(std::size_t t, Time at) {
  released_[t] = at;
  if (!trace_) return;
  changes_.push_back({at, false, -static_cast<std::int64_t>(feature_bytes_[t])});
  // The weights that tile t's loader brought leave with their last user.
  for (std::size_t l = 0; l <= t; ++l) {
    if (weight_bytes_[l] > 0 && weight_last_user_[l] == t) {
      changes_.push_back({at, true, -static_cast<std::int64_t>(weight_bytes_[l])});
    }
  }
}

void Cbuf::end_layer(Time end) {
  if (!trace_) return;
  std::stable_sort(changes_.begin(), changes_.end(),
                   [](const Change& a, const Change& b) { return a.at < b.at; });
  std::int64_t level[2] = {0, 0};
  for (const Change& c : changes_) {
    if (c.delta == 0) continue;
    std::int64_t& l = level[c.weights ? 1 : 0];
    l = std::max<std::int64_t>(0, l + c.delta);
    trace_->set(c.weights ? weight_signal_ : feature_signal_, c.at, static_cast<std::uint64_t>(l));
    trace_->counter(track_, c.at, c.weights ? "weight bytes" : "feature bytes",
                    static_cast<double>(l));
  }
  // Whatever is left leaves with the layer.
  for (int w = 0; w < 2; ++w) {
    if (level[w] == 0) continue;
    trace_->set(w ? weight_signal_ : feature_signal_, end, 0);
    trace_->counter(track_, end, w ? "weight bytes" : "feature bytes", 0.0);
  }
  changes_.clear();
}

void Cbuf::set_trace(TraceSink* sink) {
  trace_ = sink;
  if (!trace_) return;
  unsigned bits = 1;
  while (bits < 63 && (std::uint64_t{1} << bits) <= config_.size.value()) ++bits;
  feature_signal_ = trace_->integer_signal("accelerator.cbuf", "feature_bytes", bits);
  weight_signal_ = trace_->integer_signal("accelerator.cbuf", "weight_bytes", bits);
  stall_signal_ = trace_->integer_signal("accelerator.cbuf", "writer_stalled", 1);
  track_ = trace_->track("accelerator", "cbuf");
}

}  // namespace hmasim
