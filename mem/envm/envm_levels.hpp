// MLC level distributions of an eNVM technology: for each bits-per-cell mode b, the 2^b programmed
// levels of a cell as Gaussians (mean, sigma) on a normalised read axis (0 = lowest level, 1 =
// highest). The fault model places read thresholds where adjacent Gaussians cross and derives
// misread rates from their tails; this file only holds and validates the data.
//
// YAML (inside a technology block), keyed by bits per cell; every mode is optional:
//   level_distributions:
//     source: "where the numbers come from"
//     1: [{mean: 0, sigma: 0.008646}, {mean: 1, sigma: 0.0034}]
//     2: [{mean: 0, sigma: ...}, {mean: 0.384644, sigma: ...}, ...]   # 4 entries
// Rules: exactly 2^b entries, means strictly increasing, sigma > 0. Modes above the technology's
// max_bits_per_cell are validated but unused. An entry may carry its own `source:`.
#pragma once

#include <array>
#include <vector>

#include "core/config_node.hpp"

namespace hmasim {

struct CellLevel {
  double mean = 0.0;   // position on the normalised read axis
  double sigma = 0.0;  // standard deviation on the same axis
};

class LevelDistributions {
 public:
  static constexpr int kMaxBitsPerCell = 4;

  // Reads and validates `node` (the `level_distributions` map); errors become diagnostics of the
  // node's document, and invalid modes are left empty.
  static LevelDistributions parse(const ConfigNode& node, int max_bits_per_cell);

  // Whether the technology gives levels for `bits_per_cell` (1..4).
  bool has(int bits_per_cell) const { return !levels(bits_per_cell).empty(); }
  // The 2^b levels of mode `bits_per_cell`, lowest first; empty if not given.
  const std::vector<CellLevel>& levels(int bits_per_cell) const;

 private:
  std::array<std::vector<CellLevel>, kMaxBitsPerCell + 1> by_bits_;  // index 0 unused
};

}  // namespace hmasim
