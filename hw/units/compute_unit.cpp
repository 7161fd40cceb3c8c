#include "hw/units/compute_unit.hpp"

#include "core/sc_time_conversion.hpp"

namespace hmasim {

ComputeUnit::ComputeUnit(const sc_core::sc_module_name& name, Clock clock)
    : sc_core::sc_module(name), clock_(clock) {}

void ComputeUnit::begin_layer(Time start) {
  free_ = start;
}

TileDone ComputeUnit::run(const TileJob& job) {
  const Work w = plan(job);
  TileDone d;
  const Cycles first = clock_.cycle_at_or_after(max(job.ready, free_));
  d.begin = clock_.time_of(first);
  d.end = clock_.time_of(first + w.cycles);
  d.cycles = w.cycles;
  d.atomic_ops = w.atomic_ops;
  if (d.begin > free_) stats_.stalled += d.begin - free_;
  if (trace_) {
    if (d.begin > free_) trace_->set(state_signal_, free_, kStalled);
    trace_->set(state_signal_, d.begin, kBusy);
    trace_->set(state_signal_, d.end, kStalled);  // until the next tile, or end_layer
    if (trace_->shows(TraceDetail::tile)) {
      trace_->slice(track_, d.begin, d.end, "tile " + std::to_string(job.index), "tile");
    }
  }
  free_ = d.end;
  ++stats_.tiles;
  stats_.busy += w.cycles;
  charge(job, d.begin, d.end);
  return d;
}

void ComputeUnit::end_layer(Time end) {
  // Idle from the last tile's end: nothing is pending once the layer's tiles are done.
  if (trace_) trace_->set(state_signal_, free_, kIdle);
  const Time now = from_sc_time(sc_core::sc_time_stamp());
  done_.notify(end > now ? to_sc_time(end - now) : sc_core::SC_ZERO_TIME);
}

void ComputeUnit::set_trace(TraceSink* sink) {
  trace_ = sink;
  if (!trace_) return;
  state_signal_ = trace_->integer_signal("accelerator." + std::string(basename()), "state", 2);
  track_ = trace_->track("accelerator", basename());
}

}  // namespace hmasim
