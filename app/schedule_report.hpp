// The parts of a run's report that describe it over time: the schedule (rates, deadlines,
// reloads), power states, tasks and their switches, and the eNVMs' endurance and lifetime.
#pragma once

#include "hw/accelerator.hpp"
#include "traces/run_report.hpp"

namespace hmasim {

// Fills r.schedule, r.power_states, r.tasks, r.task_switches and r.endurance. Needs r.avg_power_w.
void add_schedule_reports(const Accelerator& acc, const RunOptions& options, RunReport& r);

}  // namespace hmasim
