// The points of a sweep: the cartesian product of its axis groups (zipped axes step together),
// without the excluded combinations, in a fixed order (the last axis varies fastest). Each point
// is one `hmasim run`, named from its axis values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/sweep/sweep_spec.hpp"

namespace hmasim {

struct SweepPoint {
  std::size_t index = 0;            // position in the sweep, from 0
  std::string name;                 // unique in the sweep; a plain file name
  std::vector<std::string> values;  // one per axis, in SweepPlan::columns order
  std::vector<std::size_t> picks;   // per group of the spec: the index of its values taken
  std::string platform;             // paths of the base files
  std::string workload;             // empty: the schedule names its tasks' networks
  std::string schedule;             // empty: no schedule
  std::uint64_t seed = 1;
  std::uint64_t frames = 1;
  bool frames_from_schedule = false;     // no --frames: the schedule's frames apply (not `frames`)
  std::vector<std::string> set;          // "key=value" overrides: the fixed ones, then the axes'
  std::vector<std::string> run_options;  // further hmasim run options (SweepSpec::run_options)
  std::string hash;  // of the effective config (sweep/effective_config), once computed
};

struct SweepPlan {
  std::string name;                  // the sweep's
  std::vector<std::string> columns;  // the axis keys
  std::vector<SweepPoint> points;
};

// Expands `spec`. Throws ConfigError (at the sweep file's lines) for more than kMaxSweepPoints
// points, an exclusion that matches no point, or a sweep whose every point is excluded.
SweepPlan expand_sweep(const SweepSpec& spec);

// A point name's part for one value: `label` then the value (a file axis' value: the file's
// stem), keeping letters, digits, '-', '.', '+' and replacing anything else by '_'.
std::string point_name_part(const SweepAxis& axis, const std::string& value);

}  // namespace hmasim
