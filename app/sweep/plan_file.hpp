// DIR/plan.json: the sweep's points as planned (name, axis values, config hash, in order), written
// before any point runs. `hmasim sweep --collect DIR` builds the results from it and the points'
// statuses, and each Slurm shard checks that the sweep file still expands to it.
#pragma once

#include <string>

#include "app/sweep/sweep_layout.hpp"
#include "app/sweep/sweep_points.hpp"

namespace hmasim {

// Written atomically; throws OutputError.
void write_plan(const SweepLayout& layout, const SweepPlan& plan, const std::string& sweep_file);
// The plan's name, columns and points (names, values, hashes; no run arguments). Throws
// OutputError naming the file if it is missing or not a plan.
SweepPlan read_plan(const SweepLayout& layout);
// Whether two plans have the same points: names, values and hashes, in order.
bool same_points(const SweepPlan& a, const SweepPlan& b);

}  // namespace hmasim
