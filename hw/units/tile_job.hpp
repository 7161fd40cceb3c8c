// The descriptors the layer controller hands the units, as NVDLA's register programming does: a
// layer's program once per layer, then per tile which tile and from when it may start. Plain
// values; units keep what they need.
#pragma once

#include <cstddef>

#include "core/units.hpp"
#include "hw/layer_program.hpp"

namespace hmasim {

// One tile for a compute unit: its data (and decoded weights) are in the CBUF from `ready` on.
struct TileJob {
  const LayerProgram* program = nullptr;
  std::size_t index = 0;  // in the layer's tile plan
  const Tile* tile = nullptr;
  Time ready{0};
  bool first() const { return index == 0; }
};

// What a compute unit did with a tile: it worked `cycles` cycles over [begin, end).
struct TileDone {
  Time begin{0};
  Time end{0};
  Cycles cycles{0};
  std::uint64_t atomic_ops = 0;
};

}  // namespace hmasim
