// The functional datapath's arithmetic (hw/functional/int8_kernels.hpp) on cases worked by hand,
// and feature layouts (hw/functional/feature_layout.hpp): a map written by kernel-group tiles is
// gathered back in HWC order exactly.
#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "hw/functional/feature_layout.hpp"
#include "hw/functional/int8_kernels.hpp"

namespace hmasim {
namespace {

TEST(functionalKernels, RequantisationRoundsHalfUpFloorsAndSaturates) {
  EXPECT_EQ(requantise(5, {1, 1}, false), 3);    // 2.5 -> 3
  EXPECT_EQ(requantise(-5, {1, 1}, false), -2);  // -2.5 -> -2
  EXPECT_EQ(requantise(-7, {1, 1}, false), -3);  // -3.5 -> -3
  EXPECT_EQ(requantise(-7, {1, 1}, true), 0);
  EXPECT_EQ(requantise(1000, {3, 2}, false), 127);
  EXPECT_EQ(requantise(-1000, {3, 2}, false), -128);
  EXPECT_EQ(requantise(std::int64_t{1} << 33, {2147483647, 58}, false), 64);
}

ConvWork conv_3x3(std::uint64_t channels, std::uint64_t kernels) {
  ConvWork w;
  w.in_h = w.in_w = 3;
  w.in_c = channels;
  w.out_h = w.out_w = 3;
  w.kernels = kernels;
  w.channels = channels;
  w.r = w.s = 3;
  w.padding = 1;
  return w;
}

TEST(functionalKernels, ConvolutionPadsWithZerosAndAddsBias) {
  // One channel, all-ones input, one all-ones kernel: each output counts the taps inside.
  const ConvWork w = conv_3x3(1, 1);
  const std::vector<std::int8_t> input(9, 1);
  const std::vector<std::int8_t> kernels = arrange_kernels(w, std::vector<std::int8_t>(9, 1));
  LayerArithmetic a;
  a.bias = {10};
  a.scales = {{1, 0}};
  std::vector<std::int8_t> out(9);
  conv_block(w, {input.data(), 0, 3}, kernels, a, {0, 3}, {0, 1}, out.data());
  EXPECT_EQ(out, (std::vector<std::int8_t>{14, 16, 14, 16, 19, 16, 14, 16, 14}));
}

TEST(functionalKernels, KernelsAreArrangedTapMajorForEveryChannelOrder) {
  // Two channels: weight [k][c][r][s] = c (channel 0 weighs 0, channel 1 weighs 1); input channel
  // 1 holds 2, channel 0 holds 100: the centre output sums channel 1 over the 9 taps = 18.
  const ConvWork w = conv_3x3(2, 1);
  std::vector<std::int8_t> weights(18);
  for (int i = 9; i < 18; ++i) weights[i] = 1;
  std::vector<std::int8_t> input;
  for (int p = 0; p < 9; ++p) {
    input.push_back(100);
    input.push_back(2);
  }
  LayerArithmetic a;
  a.scales = {{1, 0}};
  std::vector<std::int8_t> out(3);
  conv_block(w, {input.data(), 0, 3}, arrange_kernels(w, weights), a, {1, 2}, {0, 1}, out.data());
  // Output row 1 only: its edge columns see 6 taps (12), the centre all 9 (18).
  EXPECT_EQ(out, (std::vector<std::int8_t>{12, 18, 12}));
}

TEST(functionalKernels, AveragePoolFloorsNegativeMeansAndMaxIgnoresPadding) {
  ConvWork w;
  w.in_h = w.in_w = 2;
  w.in_c = 1;
  w.out_h = w.out_w = 1;
  w.kernels = 1;
  w.r = w.s = 2;
  w.stride = 2;
  const std::vector<std::int8_t> in{-1, -2, -2, -2};  // sum -7: floor((-7 + 2) / 4) = -2
  std::vector<std::int8_t> out(1);
  pool_block(w, PoolMode::avg, {in.data(), 0, 2}, {0, 1}, {0, 1}, out.data());
  EXPECT_EQ(out[0], -2);
  // Max pool with padding 1 over a 3x3 window: padding takes no part (all inputs negative).
  w.r = w.s = 3;
  w.padding = 1;
  pool_block(w, PoolMode::max, {in.data(), 0, 2}, {0, 1}, {0, 1}, out.data());
  EXPECT_EQ(out[0], -1);
}

TEST(functionalKernels, EltwiseSaturatesAndZeroExtendsNarrowerInputs) {
  const std::vector<std::int8_t> a{100, 50, -100};  // one pixel, 3 channels
  const std::vector<std::int8_t> b{100, -60};       // 2 channels
  std::vector<std::int8_t> out(3);
  eltwise_block(EltwiseOp::add, {a.data(), b.data()}, {3, 2}, 1, {0, 1}, {0, 3}, out.data());
  EXPECT_EQ(out, (std::vector<std::int8_t>{127, -10, -100}));
  eltwise_block(EltwiseOp::mul, {a.data(), b.data()}, {3, 2}, 1, {0, 1}, {0, 3}, out.data());
  EXPECT_EQ(out, (std::vector<std::int8_t>{127, -128, 0}));
}

TEST(functionalKernels, LayoutOfKernelGroupTilesGathersBackToHwc) {
  // 4 rows x 2 columns x 6 channels, written by two row bands, each in kernel groups of 4 and 2.
  TilePlan plan;
  for (const RowRange rows : {RowRange{0, 3}, RowRange{3, 4}}) {
    for (const RowRange k : {RowRange{0, 4}, RowRange{4, 6}}) {
      plan.tiles.push_back({rows, k, rows, k, RowRange{}, true});
    }
  }
  const FeatureLayout layout = FeatureLayout::written_by(plan, 4, 2, 6);
  // The region as the DMA writes it: each tile's block of rows x columns x its kernels.
  std::vector<std::uint8_t> region(48);
  for (const Tile& t : plan.tiles) {
    std::uint64_t at = layout.block_offset(t.out_rows, t.kernels);
    for (std::uint64_t y = t.out_rows.begin; y < t.out_rows.end; ++y) {
      for (std::uint64_t x = 0; x < 2; ++x) {
        for (std::uint64_t c = t.kernels.begin; c < t.kernels.end; ++c) {
          region[at++] = static_cast<std::uint8_t>((y * 2 + x) * 6 + c);  // its HWC index
        }
      }
    }
  }
  std::vector<std::int8_t> hwc(48);
  layout.gather(region.data(), 0, 48, hwc.data());
  std::vector<std::int8_t> expected(48);
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(hwc, expected);
  // A part of a row goes element by element: the same values.
  std::vector<std::int8_t> part(5);
  layout.gather(region.data(), 39, 5, part.data());
  EXPECT_EQ(part, (std::vector<std::int8_t>{39, 40, 41, 42, 43}));
  // The blocks follow the DMA's offsets: band start x row size + group start x band rows x columns.
  EXPECT_EQ(layout.block_offset({3, 4}, {4, 6}), 3u * 12 + 4u * 1 * 2);
}

}  // namespace
}  // namespace hmasim
