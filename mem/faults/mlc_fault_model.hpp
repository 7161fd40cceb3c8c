// The analytic fault model of a multi-level cell (MaxNVM Sec. 2.3 and 4.1): each of the 2^b levels
// reads as a Gaussian (mean, sigma) on a normalised read axis (envm_levels.hpp); the sense
// amplifiers compare the read value with 2^b - 1 thresholds, and a cell whose read value falls
// beyond a threshold of its level is misread.
//
// Thresholds. Threshold i separates levels i and i+1. It sits where their densities cross
// between the two means, which for equally likely levels is the threshold that minimises the sum
// of the two misread probabilities. Unequal sigmas make the equality of the two log-densities a
// quadratic, solved in closed form (crossing()). If the densities do not cross between the means
// (one level swamps its neighbour: an unusable cell), the threshold falls back to the point the
// same number of sigmas from both means.
//
// Sense-amplifier offset. `sense_offset` is the amplifiers' input-referred offset on the
// normalised axis: the amplifier sees (read value + sense_offset), as MaxNVM shifts every level
// mean by the characterised offset. Equivalently every threshold moves DOWN by sense_offset: a
// positive offset makes up-misreads more likely and down-misreads less likely.
//
// Misread probabilities (erfc, so tails of 1e-8 and far below keep full relative precision):
//   down(i) = P(read < threshold i-1) = Q((mean_i - t_{i-1}) / sigma_i), 0 for the lowest level
//   up(i)   = P(read > threshold i)   = Q((t_i - mean_i) / sigma_i),     0 for the highest level
// with Q(z) = erfc(z / sqrt 2) / 2. A misread always lands on the adjacent level: the mass that
// would fall beyond the next-but-one threshold (a two-level slip) is counted as a one-level slip.
// non_adjacent(i) gives that mass, and max_non_adjacent() the bound on the error made (MaxNVM:
// "misread probability of non-adjacent level is 1.5e-10 or below"; `hmasim fault-rates` reports
// it, the tests check it is negligible next to the adjacent rates).
#pragma once

#include <cstddef>
#include <vector>

#include "mem/envm/envm_levels.hpp"

namespace hmasim {

class MlcFaultModel {
 public:
  // `levels`: 2^b levels (b = 1..8), means strictly increasing, sigmas positive; otherwise
  // std::invalid_argument (configs are validated before, by LevelDistributions).
  explicit MlcFaultModel(std::vector<CellLevel> levels, double sense_offset = 0.0);

  int bits_per_cell() const { return bits_; }
  std::size_t level_count() const { return levels_.size(); }
  const std::vector<CellLevel>& levels() const { return levels_; }
  double sense_offset() const { return sense_offset_; }
  // level_count() - 1 thresholds, increasing; threshold i separates levels i and i+1 (after the
  // sense offset).
  const std::vector<double>& thresholds() const { return thresholds_; }

  double p_down(std::size_t level) const { return down_[level]; }
  double p_up(std::size_t level) const { return up_[level]; }
  double p_misread(std::size_t level) const { return down_[level] + up_[level]; }
  // Probability that `level` reads two or more levels away (folded into p_down / p_up).
  double p_non_adjacent(std::size_t level) const { return non_adjacent_[level]; }

  // Over equally likely levels: misreads per cell read.
  double mean_misread_rate() const;
  // The largest per-level misread probability (the candidate rate of the injector's thinning).
  double max_misread() const;
  // The largest per-level non-adjacent probability: the bound on the approximation above.
  double max_non_adjacent() const;

  // Where the densities of `low` and `high` (low.mean < high.mean) cross between their means.
  static double crossing(const CellLevel& low, const CellLevel& high);
  // Upper tail of the standard normal, Q(z) = P(Z > z), accurate far into the tail.
  static double upper_tail(double z);

 private:
  std::vector<CellLevel> levels_;
  double sense_offset_;
  int bits_ = 0;
  std::vector<double> thresholds_;
  std::vector<double> down_, up_, non_adjacent_;
};

}  // namespace hmasim
