// Tiling along W (issue 13): a layer whose output row's input does not fit the CBUF is cut into
// blocks of output rows x output columns; every output is computed once, each block fetches the
// input columns its outputs read, and the DMA, the core and the post-processors see the block.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "hw/conv_core.hpp"
#include "hw/conv_fixtures.hpp"
#include "hw/interconnect.hpp"
#include "hw/layer_tiling.hpp"
#include "hw/units/dma.hpp"
#include "support/cli.hpp"

namespace hmasim {
namespace {

using test::cbuf;

// An h x w map of c channels into k kernels of r x r, 'same' padding, `stride`.
ConvWork map_conv(std::uint64_t h, std::uint64_t w, std::uint64_t c, std::uint64_t k,
                  std::uint64_t r, std::uint64_t stride = 1) {
  ConvWork cw;
  cw.in_h = h, cw.in_w = w, cw.in_c = cw.channels = c;
  cw.kernels = k;
  cw.r = cw.s = r;
  cw.stride = stride;
  cw.padding = r / 2;
  cw.out_h = (h + 2 * cw.padding - r) / stride + 1;
  cw.out_w = (w + 2 * cw.padding - r) / stride + 1;
  return cw;
}

bool starts_with(const char* s, const std::string& prefix) {
  return std::string(s).rfind(prefix, 0) == 0;
}

// The input columns output column x reads, without the padding ones.
RowRange taps(const ConvWork& w, std::uint64_t x) {
  const std::int64_t lo =
      static_cast<std::int64_t>(x * w.stride) - static_cast<std::int64_t>(w.padding);
  const std::int64_t hi = lo + static_cast<std::int64_t>(w.s);
  return {
      static_cast<std::uint64_t>(std::max<std::int64_t>(0, lo)),
      static_cast<std::uint64_t>(std::min<std::int64_t>(static_cast<std::int64_t>(w.in_w), hi))};
}

// Every (row, column, kernel) is written by exactly one tile; each tile's fetched input rows and
// columns are exactly what its outputs read (padding aside) and fit half the feature share; a
// tile that fetches nothing computes from what the previous fetch left; its kernels are resident.
void expect_w_split_complete(const ConvWork& w, const TilePlan& p, unsigned inputs,
                             const CbufConfig& c) {
  ASSERT_TRUE(p.splits_columns()) << p.strategy;
  EXPECT_EQ(p.feature_share.value() + p.weight_share.value(), c.size.value());
  std::vector<std::uint8_t> written(w.out_h * w.out_w * w.kernels, 0);
  RowRange rows_in, cols_in, resident_k;
  for (const Tile& t : p.tiles) {
    ASSERT_FALSE(t.out_cols.empty());
    ASSERT_LE(t.out_cols.end, w.out_w);
    ASSERT_FALSE(t.out_rows.empty());
    // What the outputs read.
    RowRange need_rows;
    w.input_rows(t.out_rows.begin, t.out_rows.end, need_rows.begin, need_rows.end);
    RowRange need_cols{w.in_w, 0};
    for (auto x = t.out_cols.begin; x < t.out_cols.end; ++x) {
      need_cols.begin = std::min(need_cols.begin, taps(w, x).begin);
      need_cols.end = std::max(need_cols.end, taps(w, x).end);
    }
    if (!t.feature_rows.empty()) {
      rows_in = t.feature_rows;
      cols_in = input_columns(w, t.out_cols);
      EXPECT_EQ(rows_in.begin, need_rows.begin);
      EXPECT_EQ(rows_in.end, need_rows.end);
      EXPECT_EQ(cols_in.begin, need_cols.begin);
      EXPECT_EQ(cols_in.end, need_cols.end);
      EXPECT_LE(rows_in.size() * cols_in.size() * w.in_c * w.bytes_per_element * inputs,
                p.feature_share.value() / 2);
    }
    EXPECT_TRUE(rows_in.begin <= need_rows.begin && need_rows.end <= rows_in.end);
    EXPECT_TRUE(cols_in.begin <= need_cols.begin && need_cols.end <= cols_in.end);
    if (!t.load_kernels.empty()) resident_k = t.load_kernels;
    if (p.weight_share.value() > 0) {
      EXPECT_TRUE(resident_k.begin <= t.kernels.begin && t.kernels.end <= resident_k.end);
    }
    if (!t.writes) continue;
    for (auto y = t.out_rows.begin; y < t.out_rows.end; ++y) {
      for (auto x = t.out_cols.begin; x < t.out_cols.end; ++x) {
        for (auto k = t.kernels.begin; k < t.kernels.end; ++k) {
          ++written[(y * w.out_w + x) * w.kernels + k];
        }
      }
    }
  }
  for (std::size_t i = 0; i < written.size(); ++i) {
    ASSERT_EQ(written[i], 1) << "output " << i << " (row " << i / w.kernels / w.out_w << ", column "
                             << i / w.kernels % w.out_w << ")";
  }
}

// A 3x3 convolution of a 1 x 4096 map of 64 channels: one input row (256 KiB) is twice the
// CBUF, so no H split exists; blocks of columns plan without error.
TEST(WSplit, AWideRowIsCutIntoColumnBlocks) {
  const ConvWork w = map_conv(1, 4096, 64, 64, 3);
  const CbufConfig c = cbuf(128, 32);
  const TilePlan p = plan_tiles(w, c, 8, 8, 1, true);
  EXPECT_TRUE(starts_with(p.strategy, "weights resident, features tiled along H and W"))
      << p.strategy;
  ASSERT_GT(p.tiles.size(), 2u);
  expect_w_split_complete(w, p, 1, c);
  // Neighbouring blocks fetch the S - stride = 2 overlap columns twice.
  const RowRange a = input_columns(w, p.tiles[0].out_cols);
  const RowRange b = input_columns(w, p.tiles[1].out_cols);
  EXPECT_EQ(a.end - b.begin, 2u);
  // Weights resident: fetched by the first block only.
  EXPECT_FALSE(p.tiles[0].load_kernels.empty());
  EXPECT_TRUE(p.tiles[1].load_kernels.empty());
}

// A 2048 x 2048 map of 16 channels (one row: 32 KiB, three: 96 KiB) on a 64 KiB CBUF, with
// 256 kernels (36 KiB of weights, streamed): blocks of rows x columns beside kernel groups.
TEST(WSplit, ALargeMapBesideStreamedWeightsCoversEveryOutputOnce) {
  const ConvWork w = map_conv(2048, 2048, 16, 256, 3);
  const CbufConfig c = cbuf(64, 16);
  const TilePlan p = plan_tiles(w, c, 8, 8, 1, true);
  EXPECT_NE(std::string(p.strategy).find("along H and W"), std::string::npos) << p.strategy;
  // More than one output row per block where the columns allow it.
  EXPECT_GT(p.tiles[0].out_rows.size(), 0u);
  expect_w_split_complete(w, p, 1, c);
}

TEST(WSplit, StridedAndPaddedBlocksReadTheirColumnsOnly) {
  const ConvWork w = map_conv(64, 4096, 32, 32, 3, 2);  // one row: 128 KiB
  const CbufConfig c = cbuf(64, 16);
  const TilePlan p = plan_tiles(w, c, 8, 8, 1, true);
  expect_w_split_complete(w, p, 1, c);
  const ConvWork five = map_conv(8, 3000, 48, 16, 5);
  const TilePlan q = plan_tiles(five, c, 8, 8, 1, true);
  expect_w_split_complete(five, q, 1, c);
}

// Pooling and element-wise layers use the same tiler without weights (the whole CBUF theirs).
TEST(WSplit, LayersWithoutWeightsAreCutAlongWToo) {
  ConvWork pool = map_conv(16, 8192, 32, 32, 3, 2);
  pool.channels = 0;
  const CbufConfig c = cbuf(128, 32);
  const TilePlan p = plan_tiles(pool, c, 8, 8, 1, false);
  EXPECT_TRUE(starts_with(p.strategy, "features tiled along H and W")) << p.strategy;
  EXPECT_EQ(p.weight_share.value(), 0u);
  expect_w_split_complete(pool, p, 1, c);
  ConvWork add = map_conv(4, 4096, 16, 16, 1);  // two inputs: 128 KiB per row
  add.channels = 0;
  const TilePlan q = plan_tiles(add, c, 8, 8, 2, false);
  expect_w_split_complete(add, q, 2, c);
}

// A layer an H split serves is planned as before: no tile has columns.
TEST(WSplit, LayersThatFitAnHSplitGetNoColumns) {
  struct Case {
    ConvWork w;
    CbufConfig c;
  };
  const Case cases[] = {
      {test::same_conv(112, 64, 64, 3), cbuf(256, 16)},    // weights resident, along H
      {test::same_conv(7, 128, 256, 3), cbuf(256, 16)},    // kernel groups, features resident
      {test::same_conv(7, 512, 512, 3), cbuf(256, 16)},    // channel slices
      {test::same_conv(112, 128, 128, 3), cbuf(128, 32)},  // both tiled, uneven split
      {test::same_conv(224, 64, 64, 3), cbuf(128, 32)},    // VGG-16 conv1_2 on NVDLA-64
      {map_conv(1, 512, 64, 64, 3), cbuf(128, 32)},        // a row that fits
  };
  for (const Case& k : cases) {
    const TilePlan p = plan_tiles(k.w, k.c, 8, 8, 1, true);
    EXPECT_FALSE(p.splits_columns()) << p.strategy;
    EXPECT_EQ(std::string(p.strategy).find("along H and W"), std::string::npos) << p.strategy;
    for (const Tile& t : p.tiles) EXPECT_TRUE(t.out_cols.empty());
  }
  // Still an error: a kernel deeper than half the CBUF beside a map too wide for it.
  const ConvWork deep = map_conv(7, 4096, 4096, 64, 3);
  EXPECT_THROW(plan_tiles(deep, cbuf(64, 16), 32, 32, 1, true), TilingError);
}

// The DMA fetches a block as one run of input columns per input row, and writes one run of
// output columns x kernels per output row; a whole-width tile stays one contiguous run.
TEST(WSplit, DmaMovesABlockRowSegmentByRowSegment) {
  DmaEngine dma("dma", DmaConfig{}, Clock(Frequency(1'000'000'000)));
  LayerProgram p;
  p.work = map_conv(4, 1024, 32, 64, 3);  // rows of 32 KiB in, 64 KiB out
  p.input_regions.push_back(Region{0, 0, p.work.in_h * p.work.in_row_bytes()});
  p.output = Region{0, 1 << 20, p.work.out_h * p.work.out_row_bytes(p.work.kernels)};
  const std::uint64_t in_base = Interconnect::address(0, 0);
  const std::uint64_t out_base = Interconnect::address(0, 1 << 20);
  Tile t({0, 3}, RowRange{}, {0, 2}, {0, 64}, RowRange{}, true, {100, 200});
  std::vector<DmaRequest> reads;
  dma.feature_reads(p, t, reads);
  // Input columns 99..201 of rows 0..2: 102 columns x 32 B each, from column 99 of each row.
  std::uint64_t bytes = 0;
  std::vector<std::uint64_t> starts;
  for (std::size_t i = 0; i < reads.size(); ++i) {
    bytes += reads[i].length;
    if (i == 0 || reads[i].address != reads[i - 1].address + reads[i - 1].length) {
      starts.push_back(reads[i].address - in_base);
    }
  }
  ASSERT_EQ(starts.size(), 3u);
  for (std::uint64_t y = 0; y < 3; ++y) EXPECT_EQ(starts[y], y * 32 * 1024 + 99 * 32);
  EXPECT_EQ(bytes, 3u * 102 * 32);
  std::vector<DmaRequest> writes;
  dma.output_writes(p, t, writes);
  bytes = 0;
  starts.clear();
  for (std::size_t i = 0; i < writes.size(); ++i) {
    bytes += writes[i].length;
    if (i == 0 || writes[i].address != writes[i - 1].address + writes[i - 1].length) {
      starts.push_back(writes[i].address - out_base);
    }
  }
  ASSERT_EQ(starts.size(), 2u);
  for (std::uint64_t y = 0; y < 2; ++y) EXPECT_EQ(starts[y], y * 64 * 1024 + 100 * 64);
  EXPECT_EQ(bytes, 2u * 100 * 64);
  // The same rows at full width: one run each way, as an H split's tile.
  const Tile whole({0, 3}, RowRange{}, {0, 2}, {0, 64}, RowRange{}, true);
  reads.clear();
  dma.feature_reads(p, whole, reads);
  bytes = 0;
  for (const DmaRequest& r : reads) bytes += r.length;
  EXPECT_EQ(bytes, 3u * 32 * 1024);
  EXPECT_EQ(reads.front().address, in_base);
}

// The core's cycles follow the block: Winograd cuts rows x columns into 2x2 blocks.
TEST(WSplit, WinogradBlocksFollowTheTileColumns) {
  MacArrayConfig m;
  m.atomic_c = m.atomic_k = 8;
  m.stripe_max_ops = 32;
  m.stripe_min_cycles = 16;
  m.winograd = true;
  const ConvCore core(m);
  ConvWork w = map_conv(8, 4096, 64, 64, 3);
  w.winograd_shape = true;
  // 2 rows x 3 columns: 1 x 2 blocks of 2x2; at full width it would be 1 x 2048.
  const auto block = core.compute(w, 2 * 3, 64, 64, 3);
  const auto rows = core.compute(w, 2 * 4096, 64, 64);
  EXPECT_EQ(block.atomic_ops * 2048, rows.atomic_ops * 2);
}

// End to end: a 2 x 4096 x 32 map (128 KiB per row) on a 64 KiB CBUF runs, reports the W split's
// tiles, computes and reads at least the input map.
TEST(WSplit, HmasimRunsALayerThatNeedsAWSplit) {
  namespace fs = std::filesystem;
  const fs::path d = fs::path(test::scratch_dir("w_split"));
  const std::string net = (d / "wide.yaml").string();
  test::spit(net,
             "name: wide\ninput: {h: 2, w: 4096, c: 32}\nprecision: 8\nlayers:\n"
             "  - {name: conv, type: conv, k: 32, r: 3, padding: 1}\n"
             "  - {name: pool, type: pool, mode: max, r: 2, stride: 2}\n");
  const std::string root = HMASIM_SOURCE_DIR;
  const std::string args = "run --platform " + root + "/platforms/nvdla64-lpddr4.yaml --workload " +
                           net + " --set accelerator.cbuf.size=64KiB --out ";
  const test::CliRun r = test::hmasim(args + (d / "run").string());
  ASSERT_EQ(r.status, 0) << r.err;
  std::istringstream csv(test::slurp((d / "run" / "layers.csv").string()));
  std::string line;
  std::getline(csv, line);
  std::vector<std::string> header;
  {
    std::istringstream h(line);
    std::string cell;
    while (std::getline(h, cell, ',')) header.push_back(cell);
  }
  const auto col = [&](const std::string& name) {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return i;
    }
    ADD_FAILURE() << "no column " << name;
    return std::size_t{0};
  };
  const std::size_t layer = col("layer"), cycles = col("cycles"), tiles = col("tiles");
  int rows = 0;
  while (std::getline(csv, line)) {
    std::vector<std::string> cells;
    std::istringstream l(line);
    std::string cell;
    while (std::getline(l, cell, ',')) cells.push_back(cell);
    ASSERT_EQ(cells.size(), header.size());
    ++rows;
    EXPECT_GT(std::stoull(cells[cycles]), 0u) << cells[layer];
    EXPECT_GT(std::stoull(cells[tiles]), 2u) << cells[layer];  // one tile would need 128 KiB
    // Bytes moved in the layer's memories: at least the 256 KiB input map read.
    std::uint64_t bytes = 0;
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i].rfind("bytes_", 0) == 0) bytes += std::stoull(cells[i]);
    }
    EXPECT_GE(bytes, cells[layer] == "conv" ? 2u * 4096 * 32 : 1u * 4096 * 32) << cells[layer];
  }
  EXPECT_EQ(rows, 2);
  const std::string summary = test::slurp((d / "run" / "summary.json").string());
  EXPECT_GT(test::json_number(summary, "cycles"), 0.0);
}

}  // namespace
}  // namespace hmasim
