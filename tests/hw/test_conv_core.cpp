// The convolution core's cycle counts, checked against counts worked out here from NVDLA's rules
// (one atomic operation per cycle, stripes of at most 32 operations costing at least 16 cycles).
#include <gtest/gtest.h>

#include "hw/conv_core.hpp"
#include "hw/conv_fixtures.hpp"

namespace hmasim {
namespace {

MacArrayConfig nvdla(std::uint32_t atoms) {
  MacArrayConfig c;
  c.atomic_c = atoms;
  c.atomic_k = atoms;
  c.stripe_max_ops = 32;
  c.stripe_min_cycles = 16;
  return c;
}

constexpr auto conv = test::same_conv;

TEST(ConvCore, StripesCostAtLeastTheWeightLoad) {
  const ConvCore core(nvdla(32));
  EXPECT_EQ(core.stripe_cycles(32).value(), 32u);
  EXPECT_EQ(core.stripe_cycles(64).value(), 64u);
  EXPECT_EQ(core.stripe_cycles(1).value(), 16u);     // a lone output position waits for weights
  EXPECT_EQ(core.stripe_cycles(40).value(), 48u);    // 32 + max(8, 16)
  EXPECT_EQ(core.stripe_cycles(784).value(), 784u);  // 24 x 32 + 16
}

TEST(ConvCore, DirectConvolutionCountsAtomicOperations) {
  const ConvCore core(nvdla(32));
  // 28x28 outputs, 64 -> 64 channels, 3x3: 2 kernel groups x 2 channel ops x 9 (r, s) passes.
  const auto t = core.compute(conv(28, 64, 64, 3), 28 * 28, 64);
  EXPECT_EQ(t.atomic_ops, 2u * 2 * 9 * 784);
  EXPECT_EQ(t.cycles.value(), 2u * 2 * 9 * 784);
  // 33 channels need a second, nearly empty channel operation: the array is not used fully.
  const auto odd = core.compute(conv(28, 33, 64, 3), 28 * 28, 64);
  EXPECT_EQ(odd.cycles.value(), 2u * 2 * 9 * 784);
}

TEST(ConvCore, FullyConnectedRunsAtOneSixteenth) {
  const ConvCore core(nvdla(32));
  ConvWork fc;
  fc.in_h = fc.in_w = 1;
  fc.in_c = fc.channels = 4096;
  fc.kernels = 4096;
  fc.out_h = fc.out_w = 1;
  const auto t = core.compute(fc, 1, 4096);
  const std::uint64_t passes = (4096 / 32) * (4096 / 32);
  EXPECT_EQ(t.cycles.value(), passes * 16);
  const double utilisation = 4096.0 * 4096 / (t.cycles.value() * 32.0 * 32);
  EXPECT_DOUBLE_EQ(utilisation, 1.0 / 16);
}

TEST(ConvCore, DepthwiseUsesOneDiagonalBlockPerAtomicOperation) {
  const ConvCore core(nvdla(32));
  ConvWork dw = conv(14, 1, 96, 3);
  dw.in_c = 96;
  dw.groups = 96;
  dw.depthwise = true;
  const auto t = core.compute(dw, 14 * 14, 96);
  // 96 channels in blocks of 32: 3 blocks x 9 (r, s) passes over 196 positions.
  EXPECT_EQ(t.cycles.value(), 3u * 9 * (6 * 32 + 16));
  const double utilisation = 96.0 * 196 * 9 / (t.cycles.value() * 32.0 * 32);
  EXPECT_LT(utilisation, 1.0 / 32 + 1e-12);
}

// 16-bit data: NVDLA's int16 mode has half the MACs of int8 (half the kernels per atomic
// operation, the same channels), so twice the passes; each reads as many weight bytes per stripe.
TEST(ConvCore, SixteenBitDataRunsAtHalfTheMacRate) {
  const ConvCore core(nvdla(32));
  ConvWork w8 = conv(28, 64, 64, 3);
  ConvWork w16 = w8;
  w16.bytes_per_element = 2;
  const auto t8 = core.compute(w8, 28 * 28, 64);
  const auto t16 = core.compute(w16, 28 * 28, 64);
  // 64 kernels in groups of 16: 4 kernel groups x 2 channel ops x 9 (r, s) passes.
  EXPECT_EQ(t16.cycles.value(), 4u * 2 * 9 * 784);
  EXPECT_EQ(t16.cycles.value(), 2 * t8.cycles.value());
  EXPECT_EQ(t16.atomic_ops, 2 * t8.atomic_ops);
  EXPECT_EQ(t16.stripes, 2 * t8.stripes);
  EXPECT_EQ(t16.weight_read_bytes, 2 * t8.weight_read_bytes);    // 2x the bytes, in 2x the stripes
  EXPECT_EQ(t16.feature_read_bytes, 4 * t8.feature_read_bytes);  // 2x bytes, read by 2x the ops
  // Fully connected: twice the passes, each at least the weight-load time.
  ConvWork fc;
  fc.in_h = fc.in_w = 1;
  fc.in_c = fc.channels = 4096;
  fc.kernels = 4096;
  fc.out_h = fc.out_w = 1;
  fc.bytes_per_element = 2;
  EXPECT_EQ(core.compute(fc, 1, 4096).cycles.value(), (4096u / 32) * (4096 / 16) * 16);
  // Depthwise: diagonal blocks of min(atomic_c, atomic_k / 2) = 16 channels.
  ConvWork dw = conv(14, 1, 96, 3);
  dw.in_c = 96;
  dw.groups = 96;
  dw.depthwise = true;
  dw.bytes_per_element = 2;
  EXPECT_EQ(core.compute(dw, 14 * 14, 96).cycles.value(), 6u * 9 * (6 * 32 + 16));
}

// NVDLA's image input mode (issue 13): a kernel row's S x C weights as the atomic channels.
TEST(ConvCore, ImageInputFoldsKernelRowsIntoTheAtomicChannels) {
  MacArrayConfig direct_config = nvdla(32);
  MacArrayConfig pre_config = nvdla(32);
  pre_config.image_input = ImageInput::pre_extension;
  MacArrayConfig post_config = nvdla(32);
  post_config.image_input = ImageInput::post_extension;
  const ConvCore direct(direct_config), pre(pre_config), post(post_config);
  // ResNet-50's conv1: 7x7 over 3 channels, 64 kernels, 112x112 outputs.
  ConvWork conv1 = conv(112, 3, 64, 7);
  conv1.reads_image = true;
  const std::uint64_t positions = 112 * 112;
  // Direct: 2 kernel groups x 1 channel op (3 of 32 channels) x 49 (r, s).
  EXPECT_EQ(direct.compute(conv1, positions, 64).atomic_ops, 2u * 49 * positions);
  // Pre-extension: 7 rows of 21 channels; post-extension cannot fold two (42 > 32).
  EXPECT_EQ(pre.compute(conv1, positions, 64).atomic_ops, 2u * 7 * positions);
  EXPECT_EQ(post.compute(conv1, positions, 64).atomic_ops, 2u * 7 * positions);
  EXPECT_EQ(direct.compute(conv1, positions, 64).cycles.value(),
            7 * pre.compute(conv1, positions, 64).cycles.value());
  // 3x3 over 3 channels: rows of 9 channels; post-extension folds 2 rows (18 <= 32, not 4:
  // only 3 rows), so 2 row groups.
  ConvWork small = conv(56, 3, 32, 3);
  small.reads_image = true;
  EXPECT_EQ(direct.compute(small, 56 * 56, 32).atomic_ops, 9u * 56 * 56);
  EXPECT_EQ(pre.compute(small, 56 * 56, 32).atomic_ops, 3u * 56 * 56);
  EXPECT_EQ(post.compute(small, 56 * 56, 32).atomic_ops, 2u * 56 * 56);
  // 5x5 over 1 channel on NVDLA-64 (atomic_c 8): rows of 5 channels, none folded (10 > 8).
  MacArrayConfig post64 = nvdla(8);
  post64.image_input = ImageInput::post_extension;
  ConvWork lenet = conv(24, 1, 8, 5);
  lenet.reads_image = true;
  EXPECT_EQ(ConvCore(post64).compute(lenet, 24 * 24, 8).atomic_ops, 5u * 24 * 24);
  // Only a convolution of the image, and only one with fewer channels than AtomicC.
  ConvWork inner = conv1;
  inner.reads_image = false;
  EXPECT_EQ(pre.compute(inner, positions, 64).atomic_ops, 2u * 49 * positions);
  ConvWork wide = conv(28, 64, 64, 3);
  wide.reads_image = true;
  EXPECT_EQ(pre.compute(wide, 28 * 28, 64).atomic_ops,
            direct.compute(wide, 28 * 28, 64).atomic_ops);
}

// Winograd (issue 13): a stride-1 3x3 convolution in 2x2 output blocks, 16 passes each, cuts
// the atomic operations by 36/16 = 2.25; stripe rounding leaves the cycles a little above that.
TEST(ConvCore, WinogradCutsStrideOneThreeByThreeMacCyclesBy2Point25) {
  MacArrayConfig wino = nvdla(32);
  wino.winograd = true;
  const ConvCore direct(nvdla(32)), winograd(wino);
  ConvWork w = conv(28, 64, 64, 3);
  w.winograd_shape = true;
  EXPECT_EQ(conv_mode(w, wino), ConvMode::winograd);
  EXPECT_EQ(conv_mode(w, nvdla(32)), ConvMode::direct);
  const auto d = direct.compute(w, 28 * 28, 64);
  const auto t = winograd.compute(w, 28 * 28, 64);
  EXPECT_EQ(d.atomic_ops, 2u * 2 * 9 * 784);
  EXPECT_EQ(t.atomic_ops, 2u * 2 * 16 * (14 * 14));
  EXPECT_DOUBLE_EQ(static_cast<double>(d.atomic_ops) / static_cast<double>(t.atomic_ops), 2.25);
  const double cycles =
      static_cast<double>(d.cycles.value()) / static_cast<double>(t.cycles.value());
  EXPECT_GT(cycles, 2.0);
  EXPECT_LE(cycles, 2.25);
  // A tile of 5 output rows computes 3 block rows (odd rows round up).
  EXPECT_EQ(winograd.compute(w, 5 * 28, 64).atomic_ops, 2u * 2 * 16 * (3 * 14));
  // The layers it does not apply to: no Winograd shape, or the image in image input mode.
  ConvWork strided = w;
  strided.winograd_shape = false;
  EXPECT_EQ(winograd.compute(strided, 784, 64).atomic_ops, d.atomic_ops);
  MacArrayConfig both = wino;
  both.image_input = ImageInput::pre_extension;
  ConvWork image = conv(28, 3, 64, 3);
  image.winograd_shape = true;
  image.reads_image = true;
  EXPECT_EQ(conv_mode(image, both), ConvMode::image);
}

}  // namespace
}  // namespace hmasim
