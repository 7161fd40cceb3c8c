// What the sequencer needs to run one layer, prepared before simulation: the layer's work in
// NVDLA terms, its tile plan, and where its weights, inputs and output live.
#pragma once

#include <vector>

#include "hw/conv_work.hpp"
#include "hw/layer_tiling.hpp"
#include "hw/placement.hpp"
#include "workloads/layer.hpp"
#include "workloads/weight_encoding.hpp"

namespace hmasim {

// A layer's weights as stored: the encoded structures and where each lies in the layer's weight
// region. `checked`: the weight memory injects faults, so the weight fetch unit compares what it
// reads with these bytes.
struct StoredWeights {
  EncodedLayer layout;                 // the structures as programmed
  std::vector<std::uint64_t> offsets;  // per structure, from the region start (256 B aligned)
  std::uint64_t bytes = 0;             // the region: every structure, aligned
  bool checked = false;
};

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
  std::uint64_t macs_per_output = 0;      // multiply-accumulates per output element
  const StoredWeights* stored = nullptr;  // layers with weights
};

// Plans every layer's work and tiles (no memory needed yet, so a layer that cannot be tiled is
// found before any weight is generated); throws TilingError naming the layer.
std::vector<LayerProgram> plan_layers(const std::vector<Layer>& layers, const CbufConfig& cbuf,
                                      std::uint32_t atomic_c, std::uint32_t atomic_k);
// Gives each planned layer the regions its weights, inputs and output were placed in.
void assign_regions(std::vector<LayerProgram>& programs, const Placement& place);

}  // namespace hmasim
