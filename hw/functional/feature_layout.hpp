// Where each element of a feature map lies in the region it was written to. The DMA writes a
// tile's output block (its rows x all columns x its kernels) as one contiguous run
// (DmaEngine::output_writes): a tile of all kernels is exactly its rows of the HWC map, a tile of
// a kernel group puts the group's rows as a block of its own after the groups before it. A
// consumer reads the map as rows of HWC bytes; the layout turns what the region holds back into
// the logical HWC order (and a producer's computed values into the region's order). Elements are
// 1 byte (int8) or 2 (int16, little-endian), as the timing model moves them: offsets are in
// elements, the region's bytes are elements x element_bytes.
#pragma once

#include <cstdint>
#include <vector>

#include "hw/layer_tiling.hpp"
#include "workloads/layer.hpp"

namespace hmasim {

class FeatureLayout {
 public:
  // A map stored row after row, HWC (the network input; a map written by whole-row tiles).
  static FeatureLayout plain(const Shape& shape, std::uint64_t element_bytes = 1);
  // The map a layer's tiles write: `rows` x `columns` x `channels`, each tile with `writes` set
  // writing its out_rows x kernels block.
  static FeatureLayout written_by(const TilePlan& plan, std::uint64_t rows, std::uint64_t columns,
                                  std::uint64_t channels, std::uint64_t element_bytes = 1);

  std::uint64_t elements() const { return rows_ * row_elements_; }
  std::uint64_t element_bytes() const { return element_bytes_; }
  // Offset (in elements) in the region of the block the tile with rows `r` and kernels `k` writes.
  std::uint64_t block_offset(const RowRange& r, const RowRange& k) const;
  // Copies logical elements [first, first + count) (HWC order) out of `region` into `out`, which
  // holds count x element_bytes() bytes (the elements as stored, little-endian).
  void gather(const std::uint8_t* region, std::uint64_t first, std::uint64_t count,
              void* out) const;

 private:
  struct Band {
    RowRange rows;
    std::vector<RowRange> groups;  // kernel groups, in channel order, covering every channel
  };
  // The band holding row `y`.
  const Band& band_of(std::uint64_t y) const { return bands_[band_index_[y]]; }

  std::uint64_t rows_ = 0, columns_ = 0, channels_ = 0;
  std::uint64_t row_elements_ = 0;  // columns x channels
  std::uint64_t element_bytes_ = 1;
  std::vector<Band> bands_;
  std::vector<std::uint32_t> band_index_;  // per row
  bool plain_ = true;                      // every band is one group of all channels
};

}  // namespace hmasim
