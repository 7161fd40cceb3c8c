// DIR/results.csv and DIR/results.jsonl of a sweep: one row (line) per finished point, in point
// order. The CSV's columns: `point`, one per axis, `status` (ok or failed), `error` (the failure's
// first line), `sweep_wall_time_s`, then every scalar of summary.json flattened with dotted names,
// the union over the points in order of first appearance (a key the axis columns already hold is
// left out). So the same points give the same table, however many ran at a time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/sweep/point_result.hpp"
#include "app/sweep/sweep_points.hpp"

namespace hmasim {

// results[i] is point i's outcome, or nullopt if it has not finished.
std::string results_csv(const SweepPlan& plan,
                        const std::vector<std::optional<PointResult>>& results);
std::string results_jsonl(const SweepPlan& plan,
                          const std::vector<std::optional<PointResult>>& results);

// Writes both files into `dir`, each atomically (a reader sees the old table or the new one).
// Throws OutputError.
void write_results(const std::string& dir, const SweepPlan& plan,
                   const std::vector<std::optional<PointResult>>& results);

// A CSV cell: quoted (with doubled quotes) if it holds a comma, a quote or a line break.
std::string csv_cell(const std::string& text);

}  // namespace hmasim
