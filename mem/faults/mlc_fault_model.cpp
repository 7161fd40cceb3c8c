#include "mem/faults/mlc_fault_model.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

namespace hmasim {

namespace {

int bits_of_level_count(std::size_t count) {
  for (int b = 1; b <= 8; ++b) {
    if (count == (std::size_t{1} << b)) return b;
  }
  throw std::invalid_argument("an MLC fault model needs 2^b levels (b = 1..8), got " +
                              std::to_string(count));
}

}  // namespace

double MlcFaultModel::upper_tail(double z) {
  return 0.5 * std::erfc(z / std::sqrt(2.0));
}

double MlcFaultModel::crossing(const CellLevel& low, const CellLevel& high) {
  // With y = x - low.mean, d = high.mean - low.mean and r = high.sigma / low.sigma, equal
  // log-densities mean (y - d)^2 / s_h^2 - y^2 / s_l^2 = 2 ln(s_l / s_h), i.e.
  //   A y^2 - 2 d y + C = 0,  A = 1 - r^2,  C = d^2 + 2 s_h^2 ln r.
  // The roots are q / A and C / q with q = d + sqrt(d^2 - A C); C / q is the one that tends to
  // d / 2 as the sigmas become equal (A -> 0), and is computed without cancellation.
  const double d = high.mean - low.mean;
  const double r = high.sigma / low.sigma;
  const double a = 1.0 - r * r;
  const double c = d * d + 2.0 * high.sigma * high.sigma * std::log(r);
  const double disc = d * d - a * c;
  if (disc >= 0.0) {
    const double q = d + std::sqrt(disc);
    const double near = c / q;
    if (near >= 0.0 && near <= d) return low.mean + near;
    if (a != 0.0) {
      const double far = q / a;
      if (far >= 0.0 && far <= d) return low.mean + far;
    }
  }
  // No crossing between the means: the point equally many sigmas from both.
  return low.mean + d * low.sigma / (low.sigma + high.sigma);
}

MlcFaultModel::MlcFaultModel(std::vector<CellLevel> levels, double sense_offset)
    : levels_(std::move(levels)),
      sense_offset_(sense_offset),
      bits_(bits_of_level_count(levels_.size())) {
  if (!std::isfinite(sense_offset_)) throw std::invalid_argument("sense offset must be finite");
  for (std::size_t i = 0; i < levels_.size(); ++i) {
    const CellLevel& l = levels_[i];
    if (!std::isfinite(l.mean) || !(l.sigma > 0.0) || !std::isfinite(l.sigma)) {
      throw std::invalid_argument("level " + std::to_string(i) +
                                  ": needs a finite mean and a positive sigma");
    }
    if (i > 0 && !(l.mean > levels_[i - 1].mean)) {
      throw std::invalid_argument("level " + std::to_string(i) + ": means must increase strictly");
    }
  }
  const std::size_t n = levels_.size();
  for (std::size_t i = 0; i + 1 < n; ++i) {
    thresholds_.push_back(crossing(levels_[i], levels_[i + 1]) - sense_offset_);
  }
  // Tail of level i beyond threshold t, downwards or upwards (0 where there is no threshold).
  auto below = [&](std::size_t i, std::size_t t) {
    return upper_tail((levels_[i].mean - thresholds_[t]) / levels_[i].sigma);
  };
  auto above = [&](std::size_t i, std::size_t t) {
    return upper_tail((thresholds_[t] - levels_[i].mean) / levels_[i].sigma);
  };
  down_.assign(n, 0.0);
  up_.assign(n, 0.0);
  non_adjacent_.assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    if (i >= 1) down_[i] = below(i, i - 1);
    if (i + 1 < n) up_[i] = above(i, i);
    if (i >= 2) non_adjacent_[i] += below(i, i - 2);
    if (i + 2 < n) non_adjacent_[i] += above(i, i + 1);
  }
}

double MlcFaultModel::mean_misread_rate() const {
  double sum = 0.0;
  for (std::size_t i = 0; i < levels_.size(); ++i) sum += p_misread(i);
  return sum / static_cast<double>(levels_.size());
}

double MlcFaultModel::max_misread() const {
  double m = 0.0;
  for (std::size_t i = 0; i < levels_.size(); ++i) m = std::max(m, p_misread(i));
  return m;
}

double MlcFaultModel::max_non_adjacent() const {
  return *std::max_element(non_adjacent_.begin(), non_adjacent_.end());
}

}  // namespace hmasim
