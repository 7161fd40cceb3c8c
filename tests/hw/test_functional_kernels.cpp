// The functional datapath's arithmetic (hw/functional/int8_kernels.hpp, int16_kernels.hpp,
// softmax.hpp) on cases worked by hand, and feature layouts (hw/functional/feature_layout.hpp): a
// map written by kernel-group tiles is gathered back in HWC order exactly, of int8 or int16
// elements.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <vector>

#include "hw/functional/feature_layout.hpp"
#include "hw/functional/int16_kernels.hpp"
#include "hw/functional/int8_kernels.hpp"
#include "hw/functional/softmax.hpp"

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

TEST(functionalKernels, Int16ConvolutionAccumulatesPast32Bits) {
  // A 1x1 convolution over 4 channels of 32767 x 32767 and -32768 x -32768: sums of 4.29e9 and
  // 4.29e9 + 2^31, beyond int32; shift 20 brings them back: floor((acc + 2^19) / 2^20).
  ConvWork w;
  w.in_h = w.in_w = w.out_h = w.out_w = 1;
  w.in_c = w.channels = 4;
  w.kernels = 2;
  w.bytes_per_element = 2;
  const std::vector<std::int16_t> input{32767, 32767, -32768, -32768};
  const std::vector<std::int16_t> weights{32767, 32767, 0, 0, 0, 0, -32768, -32768};
  LayerArithmetic a;
  a.scales = {{1, 20}};
  std::vector<std::int16_t> out(2);
  conv_block(w, {input.data(), 0, 1}, arrange_kernels(w, weights), a, {0, 1}, {0, 2}, out.data());
  const std::int64_t acc0 = 2 * std::int64_t{32767} * 32767;  // 2147352578 (fits)
  const std::int64_t acc1 = 2 * std::int64_t{32768} * 32768;  // 2^31: past int32
  EXPECT_EQ(out[0], (acc0 + (1 << 19)) >> 20);                // 2048
  EXPECT_EQ(out[1], (acc1 + (1 << 19)) >> 20);                // 2048
  // Four channels of the largest products: 2^32 + 2^31 - ..., and saturation at 32767.
  const std::vector<std::int16_t> all{-32768, -32768, -32768, -32768};
  const std::vector<std::int16_t> big{-32768, -32768, -32768, -32768, 1, 1, 1, 1};
  a.scales = {{1, 16}};
  conv_block(w, {all.data(), 0, 1}, arrange_kernels(w, big), a, {0, 1}, {0, 2}, out.data());
  EXPECT_EQ(out[0], 32767);  // 2^32 / 2^16 = 65536 saturates
  EXPECT_EQ(out[1], -2);     // -131072 / 65536
  a.scales = {{1, 18}};
  conv_block(w, {all.data(), 0, 1}, arrange_kernels(w, big), a, {0, 1}, {0, 2}, out.data());
  EXPECT_EQ(out[0], 16384);  // 2^32 / 2^18: exact only in 64 bits
  EXPECT_EQ(requantise16(-100000, {1, 0}, false), -32768);
  EXPECT_EQ(requantise16(-100000, {1, 0}, true), 0);
  EXPECT_EQ(requantise16(5, {1, 1}, false), 3);  // 2.5 -> 3
}

TEST(functionalKernels, Int16PoolAndEltwiseSaturateToInt16) {
  ConvWork w;
  w.in_h = w.in_w = 2;
  w.in_c = 1;
  w.out_h = w.out_w = 1;
  w.kernels = 1;
  w.r = w.s = 2;
  w.stride = 2;
  const std::vector<std::int16_t> in{-30000, -30000, -30001, 30000};  // sum -60001
  std::vector<std::int16_t> out(1);
  pool_block(w, PoolMode::avg, InputRows16{in.data(), 0, 2}, {0, 1}, {0, 1}, out.data());
  EXPECT_EQ(out[0], -15000);  // floor((-60001 + 2) / 4), past int8 and exact
  pool_block(w, PoolMode::max, InputRows16{in.data(), 0, 2}, {0, 1}, {0, 1}, out.data());
  EXPECT_EQ(out[0], 30000);
  const std::vector<std::int16_t> a{30000, -30000, 200};
  const std::vector<std::int16_t> b{30000, -30000, 200};
  std::vector<std::int16_t> sum(3);
  eltwise_block(EltwiseOp::add, {a.data(), b.data()}, {3, 3}, 1, {0, 1}, {0, 3}, sum.data());
  EXPECT_EQ(sum, (std::vector<std::int16_t>{32767, -32768, 400}));
  eltwise_block(EltwiseOp::mul, {a.data(), b.data()}, {3, 3}, 1, {0, 1}, {0, 3}, sum.data());
  EXPECT_EQ(sum, (std::vector<std::int16_t>{32767, 32767, 32767}));
}

TEST(functionalKernels, SoftmaxOfEqualInputsIsEqualAndRowsSumToAbout127) {
  const SoftmaxTable table({1, 4}, 8);  // s = 1/16
  // Two positions of 10 channels: all equal, then rising.
  std::vector<std::int8_t> in(10, 5);
  for (int c = 0; c < 10; ++c) in.push_back(static_cast<std::int8_t>(c * 10 - 50));
  std::vector<std::int8_t> out(20);
  softmax_block(table, in.data(), 2, 10, {0, 1}, {0, 10}, out.data());
  // Equal inputs: e = 2^15 each, y = round(127 / 10) = 13.
  EXPECT_EQ(std::vector<std::int8_t>(out.begin(), out.begin() + 10),
            std::vector<std::int8_t>(10, 13));
  // Rising inputs: y_i = round(127 e_i / sum e) with e_i = round(2^15 exp((x_i - 40) / 16)).
  std::int64_t e[10], sum = 0, total = 0;
  for (int c = 0; c < 10; ++c) {
    e[c] = std::llround(32768.0 * std::exp((c * 10 - 90) / 16.0));
    sum += e[c];
  }
  for (int c = 0; c < 10; ++c) {
    EXPECT_EQ(out[10 + c], (254 * e[c] + sum) / (2 * sum)) << c;
    if (c > 0) {
      EXPECT_LE(out[10 + c - 1], out[10 + c]);  // rising
    }
    total += out[10 + c];
  }
  EXPECT_LE(std::abs(total - 127), 5);
  EXPECT_EQ(out[19], *std::max_element(out.begin() + 10, out.end()));
  // A kernel-group range writes only its channels.
  std::vector<std::int8_t> part(3);
  softmax_block(table, in.data() + 10, 1, 10, {0, 1}, {7, 10}, part.data());
  EXPECT_EQ(part, std::vector<std::int8_t>(out.begin() + 17, out.end()));
  // int16: the same with 32767; far-apart inputs give the largest all of it.
  const SoftmaxTable wide({1, 12}, 16);
  const std::vector<std::int16_t> x{-32768, 32767, -32768, 32767};
  std::vector<std::int16_t> y(4);
  softmax_block(wide, x.data(), 1, 4, {0, 1}, {0, 4}, y.data());
  EXPECT_EQ(y, (std::vector<std::int16_t>{0, 16384, 0, 16384}));  // round(32767 / 2), half up
}

TEST(functionalKernels, LayoutOfInt16ElementsGathersTwoBytesEach) {
  // 2 rows x 1 column x 4 channels of int16, written in kernel groups of 3 and 1.
  TilePlan plan;
  for (const RowRange k : {RowRange{0, 3}, RowRange{3, 4}}) {
    plan.tiles.push_back({{0, 2}, k, {0, 2}, k, RowRange{}, true});
  }
  const FeatureLayout layout = FeatureLayout::written_by(plan, 2, 1, 4, 2);
  EXPECT_EQ(layout.element_bytes(), 2u);
  std::vector<std::uint8_t> region(16);
  for (const Tile& t : plan.tiles) {
    std::uint64_t at = layout.block_offset(t.out_rows, t.kernels);
    for (std::uint64_t y = 0; y < 2; ++y) {
      for (std::uint64_t c = t.kernels.begin; c < t.kernels.end; ++c, ++at) {
        const auto v = static_cast<std::uint16_t>(-1000 * static_cast<int>(y * 4 + c + 1));
        region[2 * at] = static_cast<std::uint8_t>(v & 0xff);  // little-endian
        region[2 * at + 1] = static_cast<std::uint8_t>(v >> 8);
      }
    }
  }
  std::vector<std::int16_t> hwc(8);
  layout.gather(region.data(), 0, 8, hwc.data());
  EXPECT_EQ(hwc,
            (std::vector<std::int16_t>{-1000, -2000, -3000, -4000, -5000, -6000, -7000, -8000}));
  std::vector<std::int16_t> part(3);
  layout.gather(region.data(), 2, 3, part.data());
  EXPECT_EQ(part, (std::vector<std::int16_t>{-3000, -4000, -5000}));
}

}  // namespace
}  // namespace hmasim
