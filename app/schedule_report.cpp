#include "app/schedule_report.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "mem/envm/envm.hpp"

namespace hmasim {

namespace {

constexpr double kSecondsPerYear = 365.25 * 24 * 3600;

void add_tasks(const Accelerator& acc, RunReport& r) {
  const TaskLayout& layout = acc.tasks();
  if (layout.names.empty()) return;
  std::vector<Energy> energy(layout.names.size(), Energy(0.0));
  std::vector<Time> time(layout.names.size(), Time(0));
  for (const std::string& name : layout.names) {
    TaskReport t;
    t.name = name;
    r.tasks.push_back(t);
  }
  for (const std::size_t k : layout.order) r.tasks[k].inferences += r.frames;
  for (const LayerRecord& rec : acc.records()) {
    energy[rec.task] = energy[rec.task] + rec.energy;
    time[rec.task] = time[rec.task] + (rec.end - rec.start);
  }
  const TaskRegions& regions = acc.task_regions();
  const auto* slot_envm = dynamic_cast<const Envm*>(acc.memories()[regions.slot_memory]);
  for (const TaskSwitchRecord& sw : acc.task_switches()) {
    TaskReport& t = r.tasks[sw.task];
    ++t.switches;
    t.switch_s += to_seconds(sw.end - sw.start);
    t.switch_energy_j += sw.energy.value();
    t.switch_bytes += sw.bytes;
    energy[sw.task] = energy[sw.task] + sw.energy;
    time[sw.task] = time[sw.task] + (sw.end - sw.start);
    TaskSwitchReport& all = r.task_switches;
    ++all.count;
    all.time_s += to_seconds(sw.end - sw.start);
    all.energy_j += sw.energy.value();
    all.bytes += sw.bytes;
    if (slot_envm) all.envm_cells_written += sw.bytes * 8 / slot_envm->bits_per_cell();
  }
  for (std::size_t k = 0; k < r.tasks.size(); ++k) {
    TaskReport& t = r.tasks[k];
    if (t.inferences == 0) continue;
    t.energy_per_inference_j = energy[k].value() / static_cast<double>(t.inferences);
    t.latency_s = to_seconds(time[k]) / static_cast<double>(t.inferences);
  }
}

void add_endurance(const Accelerator& acc, RunReport& r) {
  const double rate =
      std::isnan(r.schedule.fps_target) ? r.schedule.fps_achieved : r.schedule.fps_target;
  for (const MemoryTarget* m : acc.memories()) {
    const auto* envm = dynamic_cast<const Envm*>(m);
    if (!envm) continue;
    EnduranceReport e;
    e.memory = envm->basename();
    e.max_block_writes = envm->max_block_writes();
    e.writes_per_frame = r.frames ? static_cast<double>(e.max_block_writes) / r.frames : 0;
    e.endurance = envm->endurance();
    e.frames_per_s = rate;
    const double writes_per_year = e.writes_per_frame * rate * kSecondsPerYear;
    e.lifetime_years = writes_per_year > 0 ? e.endurance / writes_per_year
                                           : std::numeric_limits<double>::infinity();
    const EnduranceCounter& wear = envm->endurance_counter();
    const double spread_per_year = r.frames && wear.block_count()
                                       ? static_cast<double>(wear.total_writes()) / r.frames /
                                             static_cast<double>(wear.block_count()) * rate *
                                             kSecondsPerYear
                                       : 0;
    e.lifetime_wear_leveled_years = spread_per_year > 0 ? e.endurance / spread_per_year
                                                        : std::numeric_limits<double>::infinity();
    r.endurance.push_back(e);
  }
}

}  // namespace

void add_schedule_reports(const Accelerator& acc, const RunOptions& options, RunReport& r) {
  const double seconds = to_seconds(acc.end_time());
  const double frames = options.frames;
  ScheduleReport& sched = r.schedule;
  const auto period = options.frame_period;
  sched.fps_target = options.target_fps.value_or(std::nan(""));
  sched.period_s = period ? to_seconds(*period) : 0.0;
  sched.duration_s = seconds;
  sched.fps_achieved = seconds > 0 ? frames / seconds : 0;
  sched.power_at_target_w = r.avg_power_w;
  for (const FrameRecord& f : acc.frames()) {
    sched.deadline_misses += f.missed() ? 1 : 0;
    sched.frame_latency_max_s = std::max(sched.frame_latency_max_s, to_seconds(f.end - f.start));
    sched.reload_s += to_seconds(f.reload);
    sched.reload_bytes += f.reload_bytes;
  }
  for (const PowerDomainStats& d : acc.power_stats()) {
    PowerStateReport p;
    p.name = d.name;
    p.idle_state = to_string(d.idle);
    p.on_s = to_seconds(d.time_in[0]);
    p.retention_s = to_seconds(d.time_in[1]);
    p.off_s = to_seconds(d.time_in[2]);
    p.idle_periods = d.idle_periods;
    p.wakes = d.wakes;
    p.wake_energy_j = d.wake_energy.value();
    p.break_even_s = d.break_even == kNeverWorthIt ? std::nan("") : to_seconds(d.break_even);
    p.reloads = d.reloads;
    p.reload_bytes = d.reload_bytes;
    r.power_states.push_back(p);
  }
  add_tasks(acc, r);
  add_endurance(acc, r);
}

}  // namespace hmasim
