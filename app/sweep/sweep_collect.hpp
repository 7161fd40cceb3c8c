// The results a sweep directory holds for a plan's points: a point counts if its status was
// written for the point's current config hash (a status left by an earlier version of the sweep
// does not), with its summary.json when it ran ok. `hmasim sweep --collect DIR` and a resumed
// sweep's unchanged points both come from here.
#pragma once

#include <optional>
#include <vector>

#include "app/sweep/point_result.hpp"
#include "app/sweep/sweep_layout.hpp"
#include "app/sweep/sweep_points.hpp"

namespace hmasim {

// nullopt if the point has no result for its hash. An ok status whose summary cannot be read
// becomes a failure saying so.
std::optional<PointResult> load_result(const SweepLayout& layout, const SweepPoint& p);

std::vector<std::optional<PointResult>> load_results(const SweepLayout& layout,
                                                     const SweepPlan& plan);

}  // namespace hmasim
