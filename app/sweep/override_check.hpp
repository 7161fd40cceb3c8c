// Whether every override of a sweep reaches a key of the base files: for each value of each axis
// group on each base file, the first point that has it is loaded with all its overrides, by the
// same loaders `hmasim run` uses. So every value is tried in a real point of the sweep, without
// loading every point (the loads grow with the sum of the axes' lengths, not their product); a
// later combination the loaders refuse fails its point, which does not stop the sweep.
#pragma once

#include "app/sweep/sweep_points.hpp"
#include "app/sweep/sweep_spec.hpp"

namespace hmasim {

// Throws ConfigError listing every problem: an override's diagnostics are reported at the line
// of the sweep file that gave it ("file:line:column: axes[1].values[2]: --set K=V on P: ...");
// problems of a base file itself at that file's own line.
void check_sweep_overrides(const SweepSpec& spec, const SweepPlan& plan);

}  // namespace hmasim
