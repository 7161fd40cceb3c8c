// How a layer is cut to fit the convolution buffer (CBUF). The CBUF's banks are split between
// features and weights per layer. In order of preference:
//   1. everything fits: one tile, features and weights fetched once;
//   2. weights fit: they stay resident; features are cut along H into tiles of output rows, each
//      fetching its input rows, so the R - stride overlap rows are fetched again by the next tile;
//   3. weights do not fit: they are streamed in kernel groups (multiples of AtomicK kernels).
//      Features stay resident if they fit beside a weight group; otherwise both are tiled and the
//      loop order that fetches fewer bytes is taken (weights outer: features fetched once per
//      kernel group; features outer: weights fetched once per feature tile). Both tiled, the
//      banks are split evenly; where a kernel group and an output row's input do not both fit
//      that way (a wide map beside small kernels), the split that fits both and fetches fewest
//      bytes is taken.
//      When not even AtomicK kernels fit (fully-connected layers, very deep kernels), a kernel
//      group is streamed in channel slices (multiples of AtomicC) whose partial sums stay in the
//      accumulator, as NVDLA splits the channel dimension; features must then be resident.
//   4. not even one output row's input fits (a very wide map, a small CBUF): features are cut
//      along W as well, into blocks of output rows x output columns (Tile::out_cols), each
//      fetching its input rows x input columns, so the S - stride overlap columns are fetched
//      again by the next block as rows are. The block shape is the one that fetches fewest
//      bytes; the weights stay resident beside the blocks or are streamed in kernel groups
//      (any split of the banks), whichever fetches fewer bytes in all. Blocks run row band
//      after row band, left to right. Layers that an H split serves never get an out_cols.
// When a share holds more than one tile, tiles are sized to half of it so the DMA can fill one
// half while the core works on the other (the CBUF credit handshake).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "core/units.hpp"
#include "hw/accelerator_config.hpp"
#include "hw/conv_work.hpp"

namespace hmasim {

struct RowRange {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
  std::uint64_t size() const { return end - begin; }
  bool empty() const { return end <= begin; }
};

struct Tile {
  Tile() = default;
  Tile(RowRange feature_rows_, RowRange load_kernels_, RowRange out_rows_, RowRange kernels_,
       RowRange channels_, bool writes_, RowRange out_cols_ = {})
      : feature_rows(feature_rows_),
        load_kernels(load_kernels_),
        out_rows(out_rows_),
        kernels(kernels_),
        channels(channels_),
        writes(writes_),
        out_cols(out_cols_) {}

  RowRange feature_rows;  // input rows fetched now (of every input); empty: already resident
  RowRange load_kernels;  // kernels whose weights are fetched now; empty: already resident
  RowRange out_rows;      // output rows computed
  RowRange kernels;       // kernels computed (output channels)
  // Input channels (per group) of this pass; empty: all. A channel slice adds partial sums in
  // the accumulator (CACC), so only the last slice of an output block writes it out.
  RowRange channels;
  bool writes = true;
  // Output columns computed; empty: all of them (an H split). A W split's tile fetches, of each
  // of its feature rows, the input columns these read (input_columns).
  RowRange out_cols;
};

// The tile's output columns: out_cols, or all of the layer's when it is empty.
inline RowRange tile_columns(const Tile& t, const ConvWork& w) {
  return t.out_cols.empty() ? RowRange{0, w.out_w} : t.out_cols;
}
// Input columns [begin, end) that output columns `out` read (padding columns are not fetched),
// as ConvWork::input_rows along W with S.
RowRange input_columns(const ConvWork& w, RowRange out);
// Output positions (rows x columns) the tile computes.
inline std::uint64_t tile_positions(const Tile& t, const ConvWork& w) {
  return t.out_rows.size() * tile_columns(t, w).size();
}

struct TilePlan {
  std::vector<Tile> tiles;
  Bytes feature_share{0};
  Bytes weight_share{0};
  const char* strategy = "";
  // Whether a tile computes fewer than all output columns (a W split).
  bool splits_columns() const;
};

class TilingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `inputs`: how many input maps of work's shape are read per output (2 for element-wise add).
// `weights`: whether the layer has stored weights to fetch. Throws TilingError if not even one
// output position of one kernel group fits (or a kernel group too deep to fit must be streamed
// in channel slices beside features that do not fit whole).
TilePlan plan_tiles(const ConvWork& work, const CbufConfig& cbuf, std::uint32_t atomic_c,
                    std::uint32_t atomic_k, unsigned inputs, bool weights);

}  // namespace hmasim
