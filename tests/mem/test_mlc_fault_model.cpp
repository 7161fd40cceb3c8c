// Tests of the analytic MLC fault model (thresholds, tails, sense offset, the calibration ranges
// of CALIBRATION.md) and of level coding and packing. Expected values are derived here from the
// definitions (Gaussian densities, numerical integration, direct sampling), never pasted from a
// run. Suite names contain "mlc" so that `ctest -R mlc` selects them.
#include <gtest/gtest.h>

#include <bitset>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "mem/envm/envm.hpp"
#include "mem/faults/level_coding.hpp"
#include "mem/faults/mlc_fault_model.hpp"
#include "support/memory_bench.hpp"

namespace hmasim {
namespace {

// The level distributions of a shipped technology preset, as an envm memory parses them.
std::vector<CellLevel> preset_levels(const std::string& preset, int bits) {
  const auto specs = test::parse_platform(
      "memories:\n  m: {model: envm, capacity: 1MiB, technology: {preset: " + preset + "}}\n");
  return dynamic_cast<const EnvmConfig&>(*specs.at(0).config).technology.levels.levels(bits);
}

double density(const CellLevel& l, double x) {
  const double z = (x - l.mean) / l.sigma;
  return std::exp(-0.5 * z * z) / (l.sigma * std::sqrt(2.0 * M_PI));
}

// P(Z > z) by composite Simpson integration of the normal density over [z, z + 12]: independent
// of erfc, and accurate to far below the 1e-9 relative tolerance used (the mass beyond z + 12 is
// under e^-72 of the density at z).
double integrated_tail(double z) {
  const int n = 20000;
  const double h = 12.0 / n;
  auto phi = [](double x) { return std::exp(-0.5 * x * x) / std::sqrt(2.0 * M_PI); };
  double sum = phi(z) + phi(z + 12.0);
  for (int i = 1; i < n; ++i) sum += phi(z + i * h) * (i % 2 ? 4.0 : 2.0);
  return sum * h / 3.0;
}

// Equally spaced levels on [0, 1] with one sigma: a synthetic cell with large, measurable rates.
std::vector<CellLevel> equal_levels(int bits, double sigma) {
  std::vector<CellLevel> levels;
  const int n = 1 << bits;
  for (int i = 0; i < n; ++i) levels.push_back({static_cast<double>(i) / (n - 1), sigma});
  return levels;
}

// ---------------------------------------------------------------------------------------------
// Thresholds and tails

TEST(mlc_fault_model, ThresholdsSitWhereAdjacentDensitiesCross) {
  for (const std::string preset : {"rram", "ctt"}) {
    for (int bits = 1; bits <= 3; ++bits) {
      const MlcFaultModel m(preset_levels(preset, bits));
      ASSERT_EQ(m.thresholds().size(), m.level_count() - 1);
      for (std::size_t i = 0; i + 1 < m.level_count(); ++i) {
        const CellLevel& lo = m.levels()[i];
        const CellLevel& hi = m.levels()[i + 1];
        const double t = m.thresholds()[i];
        EXPECT_GT(t, lo.mean) << preset << bits << " " << i;
        EXPECT_LT(t, hi.mean) << preset << bits << " " << i;
        // Equal densities: compare the logs, as the densities themselves underflow (RRAM SLC
        // crosses ~80 sigma from its level 0).
        const double log_lo = std::log(lo.sigma) + 0.5 * std::pow((t - lo.mean) / lo.sigma, 2);
        const double log_hi = std::log(hi.sigma) + 0.5 * std::pow((t - hi.mean) / hi.sigma, 2);
        EXPECT_NEAR(log_lo, log_hi, 1e-9 * std::max(1.0, std::abs(log_lo)))
            << preset << " " << bits << " bits, threshold " << i;
      }
    }
  }
}

TEST(mlc_fault_model, EqualSigmasCrossAtTheMidpoint) {
  const MlcFaultModel m({{0.1, 0.03}, {0.5, 0.03}});
  EXPECT_DOUBLE_EQ(m.thresholds()[0], 0.3);
  // Equal tails both ways (up to the rounding of 0.3 - 0.1 against 0.5 - 0.3).
  EXPECT_NEAR(m.p_up(0), m.p_down(1), 1e-12 * m.p_down(1));
}

TEST(mlc_fault_model, UnequalSigmasMoveTheThresholdTowardsTheNarrowLevel) {
  const CellLevel wide{0.0, 0.05}, narrow{0.4, 0.01};
  const double t = MlcFaultModel::crossing(wide, narrow);
  EXPECT_GT(t, 0.2);
  EXPECT_NEAR(density(wide, t), density(narrow, t), 1e-9 * density(narrow, t));
  // The crossing minimises the sum of the two misread probabilities (equally likely levels).
  auto misread_sum = [&](double x) {
    return MlcFaultModel::upper_tail((x - wide.mean) / wide.sigma) +
           MlcFaultModel::upper_tail((narrow.mean - x) / narrow.sigma);
  };
  EXPECT_LT(misread_sum(t), misread_sum(t - 1e-3));
  EXPECT_LT(misread_sum(t), misread_sum(t + 1e-3));
}

TEST(mlc_fault_model, NoCrossingBetweenTheMeansFallsBackToEqualSigmaDistances) {
  // A very wide level right next to a narrow one: the narrow density is above the wide one all
  // the way between the means (even at the wide mean), so they do not cross there.
  const CellLevel wide{0.0, 1.0}, narrow{0.001, 0.01};
  ASSERT_GT(density(narrow, wide.mean), density(wide, wide.mean));
  EXPECT_DOUBLE_EQ(MlcFaultModel::crossing(wide, narrow), 0.001 * 1.0 / (1.0 + 0.01));
}

TEST(mlc_fault_model, UpperTailIsAccurateFarIntoTheTail) {
  for (double z : {0.0, 1.0, 3.0, 5.6, 8.0, 12.0, 20.0}) {
    const double expected = integrated_tail(z);
    EXPECT_NEAR(MlcFaultModel::upper_tail(z), expected, 1e-9 * expected) << "z = " << z;
  }
}

TEST(mlc_fault_model, RatesMatchDirectSamplingOfTheLevelDistributions) {
  // Sample Gaussian reads of every level and classify them with the model's thresholds: the
  // fractions below the lower and above the upper threshold must match down and up within
  // 5 standard errors (+1/n for rates too small to observe).
  const MlcFaultModel m({{0.0, 0.08}, {0.3, 0.05}, {0.62, 0.07}, {1.0, 0.04}});
  std::mt19937_64 rng(12345);
  const int n = 1'000'000;
  for (std::size_t l = 0; l < m.level_count(); ++l) {
    std::normal_distribution<double> read(m.levels()[l].mean, m.levels()[l].sigma);
    int down = 0, up = 0;
    for (int i = 0; i < n; ++i) {
      const double x = read(rng);
      if (l > 0 && x < m.thresholds()[l - 1]) ++down;
      if (l + 1 < m.level_count() && x > m.thresholds()[l]) ++up;
    }
    for (auto [measured, p] : {std::pair{down, m.p_down(l)}, std::pair{up, m.p_up(l)}}) {
      const double bound = 5.0 * std::sqrt(p * (1.0 - p) / n) + 1.0 / n;
      EXPECT_NEAR(static_cast<double>(measured) / n, p, bound) << "level " << l;
    }
  }
}

TEST(mlc_fault_model, SenseOffsetMovesEveryThresholdDown) {
  const auto levels = preset_levels("rram", 3);
  const MlcFaultModel plain(levels);
  const double offset = 0.005;
  const MlcFaultModel shifted(levels, offset);
  for (std::size_t i = 0; i < plain.thresholds().size(); ++i) {
    EXPECT_DOUBLE_EQ(shifted.thresholds()[i], plain.thresholds()[i] - offset);
  }
  // Reads look higher to the amplifiers: more up-misreads, fewer down-misreads.
  for (std::size_t l = 0; l + 1 < plain.level_count(); ++l) {
    EXPECT_GT(shifted.p_up(l), plain.p_up(l)) << l;
  }
  for (std::size_t l = 1; l < plain.level_count(); ++l) {
    EXPECT_LT(shifted.p_down(l), plain.p_down(l)) << l;
  }
}

TEST(mlc_fault_model, InvalidLevelsAreRejected) {
  EXPECT_THROW(MlcFaultModel({{0.0, 0.1}, {0.5, 0.1}, {1.0, 0.1}}), std::invalid_argument);
  EXPECT_THROW(MlcFaultModel({{0.5, 0.1}, {0.5, 0.1}}), std::invalid_argument);
  EXPECT_THROW(MlcFaultModel({{0.0, 0.0}, {1.0, 0.1}}), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// docs/fault-calibration.md: both MLC3 rates inside MaxNVM's 1e-5..1e-3 (Sec. 2.3), RRAM near
// its low end and below CTT (Sec. 5.1), MLC2 and SLC negligible (no fault in a 1e8-cell array).
// tests/test_mlc_calibration.cpp checks the paper's ranges themselves.

TEST(mlc_fault_model, PresetRatesFallInTheCalibrationRanges) {
  struct Case {
    const char* preset;
    int bits;
    double low, high;  // the range the mean misread rate per cell must fall in
  };
  const Case cases[] = {
      {"rram", 1, 0.0, 1e-15},   // SLC: tens of sigma margins
      {"rram", 2, 0.0, 1e-12},   // negligible
      {"rram", 3, 1e-5, 5e-5},   // fitted near the low end of 1e-5..1e-3
      {"ctt", 2, 0.0, 1e-12},    // negligible
      {"ctt", 3, 1e-4, 1e-3},    // Fig. 2b's sigma and window bounds taken as values
  };
  for (const Case& c : cases) {
    const MlcFaultModel m(preset_levels(c.preset, c.bits));
    const double rate = m.mean_misread_rate();
    std::printf(
        "%s MLC%d: mean misread rate %.4g per cell, max per level %.4g, non-adjacent "
        "bound %.4g\n",
        c.preset, c.bits, rate, m.max_misread(), m.max_non_adjacent());
    ::testing::Test::RecordProperty(std::string(c.preset) + "_mlc" + std::to_string(c.bits),
                                    std::to_string(rate));
    EXPECT_GE(rate, c.low) << c.preset << " " << c.bits;
    EXPECT_LE(rate, c.high) << c.preset << " " << c.bits;
  }
}

TEST(mlc_fault_model, NonAdjacentMisreadsAreNegligibleNextToAdjacentOnes) {
  // The model folds two-level slips into one-level slips; that misplaces a fraction
  // sum(non_adjacent) / sum(misread) of the faults, bounded here at 1e-5.
  for (const std::string preset : {"rram", "ctt"}) {
    for (int bits = 2; bits <= 3; ++bits) {
      const MlcFaultModel m(preset_levels(preset, bits));
      double non_adjacent = 0.0, misread = 0.0;
      for (std::size_t l = 0; l < m.level_count(); ++l) {
        EXPECT_LE(m.p_non_adjacent(l), m.p_misread(l)) << preset << bits << " level " << l;
        non_adjacent += m.p_non_adjacent(l);
        misread += m.p_misread(l);
      }
      EXPECT_LE(non_adjacent, 1e-5 * misread) << preset << " " << bits;
    }
  }
  // A synthetic cell with wide levels does have sizeable non-adjacent mass: the bound is real.
  const MlcFaultModel wide(equal_levels(3, 0.08));
  EXPECT_GT(wide.max_non_adjacent(), 1e-4);
}

// ---------------------------------------------------------------------------------------------
// Level coding and packing

int bit_count(std::uint32_t v) {
  return static_cast<int>(std::bitset<32>(v).count());
}

TEST(mlc_level_coding, EveryGraySlipIsExactlyOneBitError) {
  for (int bits = 1; bits <= 4; ++bits) {
    const std::uint32_t n = 1u << bits;
    bool binary_multi_bit_slip = false;
    for (std::uint32_t l = 0; l < n; ++l) {
      for (LevelCoding c : {LevelCoding::gray, LevelCoding::binary}) {
        EXPECT_EQ(level_of_code(code_of_level(l, c), c), l);
        EXPECT_LT(code_of_level(l, c), n);
      }
      if (l + 1 < n) {
        EXPECT_EQ(bit_count(code_of_level(l, LevelCoding::gray) ^
                            code_of_level(l + 1, LevelCoding::gray)),
                  1)
            << bits << " bits, levels " << l << " and " << l + 1;
        binary_multi_bit_slip |= bit_count(l ^ (l + 1)) > 1;
      }
    }
    // Binary coding has slips of several bits as soon as a cell has more than two levels.
    EXPECT_EQ(binary_multi_bit_slip, bits > 1) << bits;
  }
}

TEST(mlc_level_coding, PackingIsLsbFirst) {
  // 0b10'11'01'00 holds, from its least significant bits up, the 2-bit codes 0, 1, 3, 2.
  const std::uint8_t byte = 0b10110100;
  const auto levels = levels_of_bytes(&byte, 1, 2, LevelCoding::binary);
  EXPECT_EQ(levels, (std::vector<std::uint8_t>{0, 1, 3, 2}));
  // At 3 bits per cell, cell 2 takes bits 6-7 of byte 0 and bit 0 of byte 1.
  std::vector<std::uint8_t> two(2, 0);
  set_cell_code(two.data(), two.size(), 2, 3, 0b101);
  EXPECT_EQ(two[0], 0b01000000);
  EXPECT_EQ(two[1], 0b00000001);
  EXPECT_EQ(cell_code(two.data(), two.size(), 2, 3), 0b101u);
}

TEST(mlc_level_coding, BytesRoundTripThroughCellsAtEveryWidth) {
  std::mt19937 rng(7);
  for (int bits = 1; bits <= 4; ++bits) {
    for (std::size_t size : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{100}}) {
      std::vector<std::uint8_t> bytes(size);
      for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
      for (LevelCoding c : {LevelCoding::gray, LevelCoding::binary}) {
        const auto levels = levels_of_bytes(bytes.data(), size, bits, c);
        EXPECT_EQ(levels.size(), (8 * size + bits - 1) / bits);
        EXPECT_EQ(cells_for_bytes(size, bits), levels.size());
        EXPECT_EQ(bytes_of_levels(levels, size, bits, c), bytes) << bits << " " << size;
      }
    }
  }
}

}  // namespace
}  // namespace hmasim
