#include <gtest/gtest.h>

#include "hw/conv_fixtures.hpp"
#include "hw/layer_tiling.hpp"

namespace hmasim {
namespace {

using test::cbuf;

constexpr auto conv = test::same_conv;

// Every output row and kernel is written exactly once, after every input channel was summed
// into it, and every weight is fetched.
void expect_complete(const ConvWork& w, const TilePlan& p) {
  std::vector<std::vector<int>> written(w.out_h, std::vector<int>(w.kernels, 0));
  std::vector<std::vector<std::uint64_t>> summed(w.out_h, std::vector<std::uint64_t>(w.kernels, 0));
  std::vector<int> loaded(w.kernels, 0);
  for (const Tile& t : p.tiles) {
    const std::uint64_t channels = t.channels.empty() ? w.channels : t.channels.size();
    for (auto o = t.out_rows.begin; o < t.out_rows.end; ++o) {
      for (auto k = t.kernels.begin; k < t.kernels.end; ++k) {
        summed[o][k] += channels;
        if (t.writes) {
          ++written[o][k];
          ASSERT_EQ(summed[o][k], w.channels) << "written before all channels were summed";
        }
      }
    }
    for (auto k = t.load_kernels.begin; k < t.load_kernels.end; ++k) ++loaded[k];
  }
  for (const auto& row : written) {
    for (int n : row) ASSERT_EQ(n, 1);
  }
  for (int n : loaded) ASSERT_GE(n, 1);
}

TEST(LayerTiling, SmallLayerIsOneTile) {
  const ConvWork w = conv(28, 64, 64, 3);  // 50 KB of features, 36 KB of weights
  const TilePlan p = plan_tiles(w, cbuf(256, 16), 32, 32, 1, true);
  ASSERT_EQ(p.tiles.size(), 1u);
  expect_complete(w, p);
}

TEST(LayerTiling, LargeFeaturesAreSplitAlongHWithOverlapRows) {
  const ConvWork w = conv(112, 64, 64, 3);  // 784 KB of features
  const TilePlan p = plan_tiles(w, cbuf(256, 16), 32, 32, 1, true);
  ASSERT_GT(p.tiles.size(), 1u);
  expect_complete(w, p);
  // Weights resident: fetched by the first tile only.
  EXPECT_FALSE(p.tiles[0].load_kernels.empty());
  EXPECT_TRUE(p.tiles[1].load_kernels.empty());
  // Neighbouring tiles fetch the R - stride = 2 overlap rows twice.
  EXPECT_EQ(p.tiles[0].feature_rows.end - p.tiles[1].feature_rows.begin, 2u);
  // Half the feature share per tile (double buffering).
  EXPECT_LE(p.tiles[1].feature_rows.size() * w.in_row_bytes(), p.feature_share.value() / 2);
}

TEST(LayerTiling, LargeWeightsAreStreamedInKernelGroups) {
  // 256 kernels of 1152 B (128 channels, 3x3): 288 KiB of weights, 25 KB of features.
  ConvWork w = conv(7, 128, 256, 3);
  const TilePlan p = plan_tiles(w, cbuf(256, 16), 32, 32, 1, true);
  ASSERT_GT(p.tiles.size(), 1u);
  expect_complete(w, p);
  for (const Tile& t : p.tiles) {
    EXPECT_EQ(t.kernels.size() % 32, 0u);  // whole kernel groups of AtomicK
    EXPECT_LE(t.load_kernels.size() * w.kernel_bytes(), p.weight_share.value() / 2);
  }
  EXPECT_TRUE(p.tiles[1].feature_rows.empty());  // features resident
  // Kernels so deep that not even AtomicK of them fit half the share: whole kernel groups are
  // streamed in channel slices of whole AtomicC blocks, partial sums accumulating.
  const ConvWork big = conv(7, 512, 512, 3);
  const TilePlan q = plan_tiles(big, cbuf(256, 16), 32, 32, 1, true);
  expect_complete(big, q);
  for (const Tile& t : q.tiles) {
    EXPECT_EQ(t.kernels.size(), 32u);
    ASSERT_FALSE(t.channels.empty());
    EXPECT_EQ(t.channels.begin % 32, 0u);
    EXPECT_LE(t.kernels.size() * t.channels.size() * 9, q.weight_share.value() / 2);
  }
}

// Issue 13: VGG-16's conv2_2 on NVDLA-64 (128 KiB CBUF, 32 banks): three input rows of
// 112 x 128 (43 KiB) do not fit a quarter of the CBUF, so the even split fails; a split with
// more feature banks fits a row tile and a kernel group, and every output is computed once.
TEST(LayerTiling, AWideMapGetsMoreFeatureBanksWhenAnEvenSplitFails) {
  const ConvWork w = conv(112, 128, 128, 3);
  const TilePlan p = plan_tiles(w, cbuf(128, 32), 8, 8, 1, true);
  EXPECT_EQ(std::string(p.strategy).rfind("both tiled", 0), 0u) << p.strategy;
  EXPECT_GT(p.feature_share.value(), p.weight_share.value());
  EXPECT_EQ(p.feature_share.value() + p.weight_share.value(), 128u * 1024);
  // Each double-buffered half of the feature share holds a tile's input rows.
  for (const Tile& t : p.tiles) {
    EXPECT_LE(t.feature_rows.size() * w.in_row_bytes(), p.feature_share.value() / 2);
  }
  expect_complete(w, p);
  // A layer the even split serves keeps it (tiles as before this search existed).
  const ConvWork even = conv(28, 256, 256, 3);
  const TilePlan q = plan_tiles(even, cbuf(128, 32), 8, 8, 1, true);
  EXPECT_EQ(std::string(q.strategy).rfind("both tiled", 0), 0u) << q.strategy;
  EXPECT_EQ(q.feature_share.value(), q.weight_share.value());
  expect_complete(even, q);
}

TEST(LayerTiling, TooSmallBufferIsAnError) {
  const ConvWork w = conv(7, 4096, 64, 3);  // one kernel: 36 KB
  EXPECT_THROW(plan_tiles(w, cbuf(64, 16), 32, 32, 1, true), TilingError);
  try {
    plan_tiles(w, cbuf(64, 16), 32, 32, 1, true);
  } catch (const TilingError& e) {
    EXPECT_NE(std::string(e.what()).find("do not fit beside each other in the CBUF (65536 B"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace hmasim
