#include "hw/units/layer_controller.hpp"

#include <algorithm>

#include "core/sc_time_conversion.hpp"

namespace hmasim {

namespace {
std::uint64_t memory_bytes(const MemoryTarget& m) {
  return m.stats().bytes_read + m.stats().bytes_written;
}
}  // namespace

LayerController::LayerController(const sc_core::sc_module_name& name, Clock clock, Units units,
                                 std::vector<MemoryTarget*> memories, EnergyLedger& ledger)
    : sc_core::sc_module(name),
      clock_(clock),
      units_(units),
      memories_(std::move(memories)),
      ledger_(ledger) {
  SC_THREAD(run);
}

void LayerController::program(const std::vector<LayerProgram>* programs, FramePlan plan,
                              std::function<void(std::uint32_t, Time)> on_frame) {
  programs_ = programs;
  plan_ = plan;
  on_frame_ = std::move(on_frame);
}

ComputeUnit& LayerController::unit_for(const LayerProgram& p) const {
  switch (p.unit) {
    case LayerProgram::Unit::pool:
      return units_.pdp;
    case LayerProgram::Unit::eltwise:
      return units_.sdp;
    default:
      return units_.conv;
  }
}

LayerRecord LayerController::run_layer(const LayerProgram& p, Time start, std::uint32_t frame,
                                       std::size_t index, std::size_t task) {
  LayerRecord rec;
  rec.frame = frame;
  rec.layer = index;
  rec.task = task;
  rec.start = clock_.time_of(clock_.cycle_at_or_after(start));
  rec.tiles = p.plan.tiles.size();
  if (p.fused) {
    // Its work was done on the previous convolution's output path (hw/sdp_fusion.hpp).
    rec.end = rec.start;
    rec.tiles = 0;
    rec.bytes_per_memory.assign(memories_.size(), 0);
    rec.energy_per_component.assign(ledger_.component_count(), Energy(0.0));
    return rec;
  }
  std::vector<std::uint64_t> bytes_before;
  for (const MemoryTarget* m : memories_) bytes_before.push_back(memory_bytes(*m));
  // A layer's energy starts at its start: an idle gap before it (a target rate's) is not its.
  ledger_.close(rec.start);
  std::vector<Energy> energy_before;
  for (EnergyLedger::ComponentId c = 0; c < ledger_.component_count(); ++c) {
    energy_before.push_back(ledger_.total(c));
  }

  // Program every unit with the layer.
  DmaEngine& dma = units_.dma;
  Cbuf& cbuf = units_.cbuf;
  WeightFetchUnit& wfu = units_.weight_fetch;
  ComputeUnit& unit = unit_for(p);
  dma.begin_layer();
  cbuf.begin_layer(p.plan, rec.start);
  wfu.begin_layer(p, rec.start);
  unit.begin_layer(rec.start);
  if (functional_) functional_->begin_layer(p);

  Time end = rec.start;
  Time previous_fetch = rec.start;  // when the DMA was done fetching the previous tile
  Cycles busy(0);
  for (std::size_t t = 0; t < p.plan.tiles.size(); ++t) {
    const Tile& tile = p.plan.tiles[t];
    // Fetch: the tile's features (DMA) and weights (weight fetch unit) into its CBUF slots.
    const Time slot = cbuf.slot_free(t);
    cbuf.writer_waited(t, previous_fetch);
    reads_.clear();
    requests_.clear();
    dma.feature_reads(p, tile, requests_);
    std::uint64_t feature_bytes = 0;
    for (const DmaRequest& r : requests_) {
      reads_.push_back({r, functional_});
      feature_bytes += r.length;
    }
    const std::uint64_t dense_weights = wfu.tile_reads(tile, reads_);
    // A fused element-wise operation's other operand goes to the SDP, not to the CBUF.
    requests_.clear();
    dma.residual_reads(p, tile, requests_);
    for (const DmaRequest& r : requests_) reads_.push_back({r, nullptr});
    const Time arrived = dma.fetch(reads_, slot);
    const Time ready = max(arrived, wfu.tile_ready(slot, arrived));
    cbuf.filled(t, feature_bytes, dense_weights, slot, ready);
    previous_fetch = arrived;

    // Compute, once the data is in and the unit is done with the previous tile.
    const TileDone d = unit.run(TileJob{&p, t, &tile, ready});
    if (t == 0) rec.compute_start = d.begin;
    rec.compute_end = d.end;
    busy += d.cycles;
    rec.atomic_ops += d.atomic_ops;
    end = max(end, d.end);
    cbuf.released(t, d.end);
    if (functional_) functional_->compute_tile(tile);

    // Write back the tile's outputs (a channel slice's partial sums stay in the accumulator).
    if (tile.writes) {
      requests_.clear();
      dma.output_writes(p, tile, requests_);
      dma.post_writes(requests_, d.end, functional_ ? functional_->write_data(requests_) : nullptr);
    }
  }
  const Time transfers_end = dma.drain_writes(rec.start);
  end = max(end, transfers_end);
  wfu.end_layer();
  if (functional_) functional_->end_layer();
  cbuf.end_layer(end);
  // Done events last: the DMA's sync must not let them fire before the controller waits.
  dma.end_layer(transfers_end);
  unit.end_layer(rec.compute_end);

  rec.end = end;
  rec.cycles = clock_.cycle_at_or_after(end) - clock_.cycle_at_or_after(rec.start);
  rec.busy_cycles = busy;
  for (std::size_t m = 0; m < memories_.size(); ++m) {
    rec.bytes_per_memory.push_back(memory_bytes(*memories_[m]) - bytes_before[m]);
  }
  ledger_.close(end);
  for (EnergyLedger::ComponentId c = 0; c < ledger_.component_count(); ++c) {
    rec.energy_per_component.push_back(ledger_.total(c) - energy_before[c]);
    rec.energy += rec.energy_per_component.back();
  }
  if (trace_) {
    trace_->set(layer_signal_, rec.start, index + 1);
    trace_->set(layer_signal_, end, 0);
    trace_->slice(track_, rec.start, end, p.layer ? p.layer->name : "layer", "layer");
  }
  wait_for_units(unit, end);
  advance_watermark(end);
  return rec;
}

void LayerController::wait_for_units(ComputeUnit& unit, Time end) {
  sc_core::wait(unit.done_event() & units_.dma.idle_event());
  const Time now = from_sc_time(sc_core::sc_time_stamp());
  if (now < end) sc_core::wait(to_sc_time(end - now));
}

void LayerController::advance_watermark(Time t) {
  if (!trace_) return;
  units_.dma.flush_trace();
  Time w = t;
  for (const MemoryTarget* m : memories_) w = min(w, m->accounted_until());
  trace_->advance(w);
}

Time LayerController::run_copies(const std::vector<ReloadCopy>& copies, Time start) {
  Time t = start;
  for (const ReloadCopy& c : copies) {
    DmaEngine& dma = units_.dma;
    t = dma.copy(c.from, c.to, c.bytes, t);
    dma.end_layer(t);
    sc_core::wait(dma.idle_event());
    const Time now = from_sc_time(sc_core::sc_time_stamp());
    if (now < t) sc_core::wait(to_sc_time(t - now));
  }
  return t;
}

Time LayerController::reload(Time start, FrameRecord& frame) {
  const std::vector<ReloadCopy> copies = plan_.power->take_reloads();
  for (const ReloadCopy& c : copies) frame.reload_bytes += c.bytes;
  const Time t = run_copies(copies, start);
  frame.reload = t - start;
  if (trace_ && t > start) trace_->slice(power_track_, start, t, "reload weights", "power");
  return t;
}

Time LayerController::run_frame(std::uint32_t f, Time t) {
  if (!plan_.tasks) {
    for (std::size_t i = 0; i < programs_->size(); ++i) {
      records_.push_back(run_layer((*programs_)[i], t, f, i));
      t = records_.back().end;
    }
    if (functional_ && !programs_->empty()) functional_->finish_inference(programs_->back(), f, 0);
    return t;
  }
  // What a powered-off slot held is gone: the next task switches in whatever it is.
  if (plan_.power) {
    const std::uint64_t offs = plan_.power->contents_lost(plan_.slot_memory);
    if (offs != slot_power_offs_) resident_ = kNoTask;
    slot_power_offs_ = offs;
  }
  for (const std::size_t k : plan_.order) {
    const TaskProgram& task = (*plan_.tasks)[k];
    if (!task.switch_in.empty() && resident_ != k) {
      TaskSwitchRecord sw;
      sw.frame = f;
      sw.task = k;
      sw.start = t;
      sw.bytes = task.switch_bytes;
      ledger_.close(t);
      const Energy before = ledger_.total();
      t = run_copies(task.switch_in, t);
      ledger_.close(t);
      sw.end = t;
      sw.energy = ledger_.total() - before;
      switches_.push_back(sw);
      if (trace_ && t > sw.start) {
        trace_->slice(track_, sw.start, t, "switch to " + task.name, "task switch");
        trace_->set(switch_signal_, sw.start, 1);
        trace_->set(switch_signal_, t, 0);
      }
    }
    resident_ = k;
    const Time task_start = t;
    if (trace_) trace_->set(task_signal_, task_start, k + 1);
    for (const LayerProgram& p : task.layers) {
      records_.push_back(run_layer(p, t, f, p.layer->index, k));
      t = records_.back().end;
    }
    if (functional_ && !task.layers.empty())
      functional_->finish_inference(task.layers.back(), f, k);
    if (trace_) trace_->slice(track_, task_start, t, task.name, "task");
  }
  if (trace_) trace_->set(task_signal_, t, 0);
  return t;
}

void LayerController::run() {
  Time t(0);
  try {
    for (std::uint32_t f = 0; programs_ && f < plan_.frames; ++f) {
      FrameRecord frame;
      // At a target rate frame f has the slot [f x period, (f + 1) x period).
      const Time slot = plan_.period ? Time(plan_.period->value() * f) : t;
      frame.start = max(t, slot);
      if (plan_.period) frame.deadline = Time(plan_.period->value() * (f + 1));
      if (plan_.power && f > 0) plan_.power->idle(t, frame.start);
      if (frame.start > t) {
        const Time now = from_sc_time(sc_core::sc_time_stamp());
        if (frame.start > now) sc_core::wait(to_sc_time(frame.start - now));
      }
      if (functional_) functional_->begin_frame(f);
      t = plan_.power ? reload(frame.start, frame) : frame.start;
      t = run_frame(f, t);
      frame.end = t;
      frame_records_.push_back(frame);
      if (trace_) {
        trace_->set(frame_signal_, frame.start, f + 1);
        trace_->slice(track_, frame.start, t, "frame " + std::to_string(f), "frame");
      }
      if (on_frame_) on_frame_(f, t);
    }
    // A target rate's run lasts its last slot; the components idle until then.
    Time end = t;
    if (plan_.period && plan_.frames > 0) {
      end = max(t, Time(plan_.period->value() * plan_.frames));
      if (plan_.power) plan_.power->idle(t, end, false);
    }
    units_.dma.sync();
    t = end;
    finished_ = true;
  } catch (const std::exception& e) {
    error_ = e.what();
  }
  end_ = t;  // the thread ends here; with nothing else scheduled, sc_start() returns
}

void LayerController::set_trace(TraceSink* sink) {
  trace_ = sink;
  if (!trace_) return;
  layer_signal_ = trace_->integer_signal("accelerator.controller", "layer", 16);
  frame_signal_ = trace_->integer_signal("accelerator.controller", "frame", 32);
  track_ = trace_->track("accelerator", "layers");
  if (plan_.power && plan_.power->active()) power_track_ = trace_->track("accelerator", "power");
  if (plan_.tasks) {
    // The running task (index + 1 into the schedule's distinct tasks; 0: none) and switches.
    task_signal_ = trace_->integer_signal("accelerator.controller", "task", 8);
    switch_signal_ = trace_->integer_signal("accelerator.controller", "task_switch", 1);
  }
}

}  // namespace hmasim
