// What the sequencer needs to run one layer, prepared before simulation: the layer's work in
// NVDLA terms, its tile plan, and where its weights, inputs and output live.
#pragma once

#include <vector>

#include "hw/conv_work.hpp"
#include "hw/layer_tiling.hpp"
#include "hw/placement.hpp"
#include "workloads/layer.hpp"

namespace hmasim {

struct LayerProgram {
  enum class Unit { conv, pool, eltwise };  // convolution core, PDP, SDP
  const Layer* layer = nullptr;
  Unit unit = Unit::conv;
  ConvWork work;
  TilePlan plan;
  unsigned inputs = 1;  // input maps read per output row (2 for element-wise)
  Region weights;
  std::vector<Region> input_regions;
  Region output;
  std::uint64_t macs_per_output = 0;  // multiply-accumulates per output element
};

// Prepares every layer; throws TilingError naming the layer if one cannot be tiled.
std::vector<LayerProgram> prepare_layers(const std::vector<Layer>& layers, const Placement& place,
                                         const CbufConfig& cbuf, std::uint32_t atomic_c,
                                         std::uint32_t atomic_k);

}  // namespace hmasim
