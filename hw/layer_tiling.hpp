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
  RowRange feature_rows;  // input rows fetched now (of every input); empty: already resident
  RowRange load_kernels;  // kernels whose weights are fetched now; empty: already resident
  RowRange out_rows;      // output rows computed
  RowRange kernels;       // kernels computed (output channels)
  // Input channels (per group) of this pass; empty: all. A channel slice adds partial sums in
  // the accumulator (CACC), so only the last slice of an output block writes it out.
  RowRange channels;
  bool writes = true;
};

struct TilePlan {
  std::vector<Tile> tiles;
  Bytes feature_share{0};
  Bytes weight_share{0};
  const char* strategy = "";
};

class TilingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `inputs`: how many input maps of work's shape are read per output (2 for element-wise add).
// `weights`: whether the layer has stored weights to fetch. Throws TilingError if not even one
// output row of one kernel group fits.
TilePlan plan_tiles(const ConvWork& work, const CbufConfig& cbuf, std::uint32_t atomic_c,
                    std::uint32_t atomic_k, unsigned inputs, bool weights);

}  // namespace hmasim
