#include "traces/report_writers.hpp"

#include <cstdio>

#include "core/file_output.hpp"
#include "core/json_writer.hpp"
#include "traces/text_format.hpp"

namespace hmasim {

namespace {

void write_accuracy(JsonWriter& j, const AccuracyFigures& a) {
  j.value("inferences", a.inferences);
  j.value("labelled", a.labelled);
  j.value("top1", a.top1);
  j.value("top5", a.top5);
  j.value("fault_free_top1", a.fault_free_top1);
  j.value("fault_free_top5", a.fault_free_top5);
  j.value("differing_from_fault_free", a.differing_from_fault_free);
}

void write_dma_channel(JsonWriter& j, const char* name, const DmaReport::Channel& c) {
  j.begin_object(name);
  j.value("requests", c.requests);
  j.value("bytes", c.bytes);
  j.value("max_in_flight", c.max_in_flight);
  j.end_object();
}

}  // namespace

void write_energy_by_rail(JsonWriter& j, const std::vector<RailEnergy>& rails) {
  double core = 0, io = 0;
  for (const RailEnergy& e : rails) core += e.core_j, io += e.io_j;
  j.value("energy_core_j", core);
  j.value("energy_io_j", io);
  j.begin_object("energy_by_rail_j");
  for (const RailEnergy& e : rails) {
    j.begin_object(e.name);
    j.value("core", e.core_j);
    j.value("io", e.io_j);
    j.end_object();
  }
  j.end_object();
}

std::string summary_json(const RunReport& r) {
  JsonWriter j;
  j.begin_object();
  j.value("platform", r.platform);
  j.value("workload", r.workload);
  j.value("seed", r.seed);
  j.value("frames", static_cast<std::uint64_t>(r.frames));
  j.value("macs", r.macs);
  j.value("params", r.params);
  j.value("cycles", r.cycles);
  j.value("clock_hz", r.clock_hz);
  j.value("latency_s", r.latency_s);
  j.value("fps_max", r.fps_max);
  j.value("mac_utilization", r.mac_utilization);
  j.value("energy_per_frame_j", r.energy_per_frame_j);
  j.value("avg_power_w", r.avg_power_w);
  j.begin_object("components");
  for (const auto& c : r.components) {
    j.begin_object(c.name);
    j.value("dynamic_j", c.dynamic_j);
    j.value("static_j", c.static_j);
    j.value("reads", c.reads);
    j.value("writes", c.writes);
    j.value("bytes_read", c.bytes_read);
    j.value("bytes_written", c.bytes_written);
    j.end_object();
  }
  j.end_object();
  j.begin_object("memories");
  for (const auto& m : r.memories) {
    j.begin_object(m.name);
    j.value("model", m.model);
    j.value("capacity_bytes", m.capacity_bytes);
    if (m.fitted_capacity_bytes) j.value("fitted_capacity_bytes", *m.fitted_capacity_bytes);
    j.value("area_mm2", m.area_mm2);
    j.value("bandwidth_bytes_per_s", m.bandwidth_bytes_per_s);
    j.value("weight_bytes", m.weight_bytes);
    j.value("activation_peak_bytes", m.activation_peak_bytes);
    j.value("peak_bandwidth_bytes_per_s", m.peak_bandwidth_bytes_per_s);
    j.value("link_bandwidth_bytes_per_s", m.link_bandwidth_bytes_per_s);
    j.value("link_bytes", m.link_bytes);
    j.value("link_limited_bytes", m.link_limited_bytes);
    j.value("link_limited_fraction", m.link_limited_fraction);
    j.value("link_wait_s", m.link_wait_s);
    j.value("limited_by", m.limited_by);
    if (!m.energy_by_rail.empty()) write_energy_by_rail(j, m.energy_by_rail);
    j.end_object();
  }
  j.end_object();
  j.begin_object("faults");
  for (const auto& f : r.faults) {
    j.begin_object(f.memory);
    j.value("encoding", f.encoding);
    j.value("protection", f.protection);
    j.value("fault_mode", f.fault_mode);
    j.value("seed", f.fault_seed);
    j.value("cells", f.cells);
    j.value("cells_area_mm2", f.cells_area_mm2);
    j.value("cells_read", f.cells_read);
    j.value("level_faults", f.level_faults);
    j.value("bit_errors", f.bit_errors);
    j.value("ecc_corrected", f.ecc_corrected);
    j.value("ecc_uncorrectable", f.ecc_uncorrectable);
    j.value("weights_total", f.weights_total);
    j.value("weights_corrupted", f.weights_corrupted);
    j.value("weights_misaligned", f.weights_misaligned);
    j.begin_object("structures");
    for (const auto& s : f.structures) {
      j.begin_object(s.name);
      j.value("bits_per_cell", static_cast<std::int64_t>(s.bits_per_cell));
      j.value("bytes", s.bytes);
      j.value("cells", s.cells);
      j.end_object();
    }
    j.end_object();
    j.end_object();
  }
  j.end_object();
  const ScheduleReport& s = r.schedule;
  j.begin_object("schedule");
  j.value("fps_target", s.fps_target);
  j.value("fps_achieved", s.fps_achieved);
  j.value("period_s", s.period_s);
  j.value("duration_s", s.duration_s);
  j.value("deadline_misses", s.deadline_misses);
  j.value("frame_latency_max_s", s.frame_latency_max_s);
  j.value("power_at_target_w", s.power_at_target_w);
  j.value("reload_s", s.reload_s);
  j.value("reload_bytes", s.reload_bytes);
  j.end_object();
  j.begin_object("power_states");
  for (const auto& p : r.power_states) {
    j.begin_object(p.name);
    j.value("idle_state", p.idle_state);
    j.value("on_s", p.on_s);
    j.value("retention_s", p.retention_s);
    j.value("off_s", p.off_s);
    j.value("idle_periods", p.idle_periods);
    j.value("wakes", p.wakes);
    j.value("wake_energy_j", p.wake_energy_j);
    j.value("break_even_s", p.break_even_s);
    j.value("reloads", p.reloads);
    j.value("reload_bytes", p.reload_bytes);
    j.end_object();
  }
  j.end_object();
  j.begin_object("tasks");
  for (const TaskReport& t : r.tasks) {
    j.begin_object(t.name);
    j.value("inferences", t.inferences);
    j.value("energy_per_inference_j", t.energy_per_inference_j);
    j.value("latency_s", t.latency_s);
    j.value("switches", t.switches);
    j.value("switch_s", t.switch_s);
    j.value("switch_energy_j", t.switch_energy_j);
    j.value("switch_bytes", t.switch_bytes);
    j.end_object();
  }
  j.end_object();
  j.begin_object("task_switches");
  j.value("count", r.task_switches.count);
  j.value("time_s", r.task_switches.time_s);
  j.value("energy_j", r.task_switches.energy_j);
  j.value("bytes", r.task_switches.bytes);
  j.value("envm_cells_written", r.task_switches.envm_cells_written);
  j.end_object();
  j.begin_object("endurance");
  for (const EnduranceReport& e : r.endurance) {
    j.begin_object(e.memory);
    j.value("max_block_writes", e.max_block_writes);
    j.value("writes_per_frame", e.writes_per_frame);
    j.value("endurance", e.endurance);
    j.value("frames_per_s", e.frames_per_s);
    j.value("lifetime_years", e.lifetime_years);
    j.value("lifetime_wear_leveled_years", e.lifetime_wear_leveled_years);
    j.end_object();
  }
  j.end_object();
  j.begin_object("programming");
  for (const ProgrammingReport& p : r.programming) {
    j.begin_object(p.memory);
    j.value("bytes", p.bytes);
    j.value("requests", p.requests);
    j.value("time_s", p.time_s);
    j.value("energy_j", p.energy_j);
    j.end_object();
  }
  j.end_object();
  j.begin_object("dma");
  j.value("transport", r.dma.transport);
  write_dma_channel(j, "read", r.dma.read);
  write_dma_channel(j, "write", r.dma.write);
  j.end_object();
  if (r.accuracy.present) {
    const AccuracyReport& a = r.accuracy;
    j.begin_object("accuracy");
    write_accuracy(j, a);
    if (!a.tasks.empty()) {
      j.begin_object("tasks");
      for (const AccuracyReport::Task& t : a.tasks) {
        j.begin_object(t.name);
        write_accuracy(j, t);
        j.end_object();
      }
      j.end_object();
    }
    j.end_object();
  }
  j.value("area_mm2", r.area_mm2);
  j.value("wall_time_s", r.wall_time_s);
  j.value("wall_time_simulation_s", r.wall_time_simulation_s);
  j.end_object();
  return j.str();
}

std::string layers_csv(const RunReport& r) {
  std::string out =
      "frame,layer,type,macs,start_cycle,cycles,busy_cycles,bound,tiles,mac_utilization";
  for (const auto& m : r.memories) out += ",bytes_" + csv_field(m.name);
  out += ",energy_j";
  for (const auto& c : r.components) out += ",energy_" + csv_field(c.name) + "_j";
  out += "\n";
  for (const auto& l : r.layers) {
    out += std::to_string(l.frame) + "," + csv_field(l.name) + "," + l.type + "," +
           std::to_string(l.macs) + "," + std::to_string(l.start_cycle) + "," +
           std::to_string(l.cycles) + "," + std::to_string(l.busy_cycles) + "," +
           (l.memory_bound ? "memory" : "compute") + "," + std::to_string(l.tiles) + "," +
           JsonWriter::number(l.mac_utilization);
    for (std::uint64_t b : l.bytes_per_memory) out += "," + std::to_string(b);
    out += "," + JsonWriter::number(l.energy_j);
    for (double e : l.energy_per_component_j) out += "," + JsonWriter::number(e);
    out += "\n";
  }
  return out;
}

void add_run_files(const RunReport& report, StagedDirectory& dir) {
  dir.add("summary.json", summary_json(report));
  dir.add("layers.csv", layers_csv(report));
}

void write_run_directory(const RunReport& report, const std::string& dir) {
  // One swap for the whole directory: a kill never leaves a new summary beside old layers.
  StagedDirectory staged(dir);
  add_run_files(report, staged);
  staged.commit();
}

}  // namespace hmasim
