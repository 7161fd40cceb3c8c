#include "app/sweep/sweep_collect.hpp"

#include "app/sweep/point_status.hpp"

namespace hmasim {

std::optional<PointResult> load_result(const SweepLayout& layout, const SweepPoint& p) {
  const auto status = read_point_status(layout, p.name);
  if (!status || status->hash != p.hash) return std::nullopt;
  PointResult r;
  r.ok = status->ok;
  r.error = status->error;
  r.wall_time_s = status->wall_time_s;
  if (r.ok) {
    const std::string why = read_summary(layout.summary(p.name), r);
    if (!why.empty()) {
      r.ok = false;
      r.error = "summary.json: " + why;
    }
  }
  return r;
}

std::vector<std::optional<PointResult>> load_results(const SweepLayout& layout,
                                                     const SweepPlan& plan) {
  std::vector<std::optional<PointResult>> results;
  for (const SweepPoint& p : plan.points) results.push_back(load_result(layout, p));
  return results;
}

}  // namespace hmasim
