// What the sequencer needs to run one layer, prepared before simulation: the layer's work in
// NVDLA terms, its tile plan, and where its weights, inputs and output live.
#pragma once

#include <memory>
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

// Units: the convolution core (conv, dwconv, fc, matmul, linear), the PDP (pool), the SDP
// (eltwise; softmax, layernorm, gelu at its nonlinear rate; embedding, whose gathered rows pass
// through it to the output).
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
  // What the weight fetch unit reads: the layer's weights (or, through `shares`, its owner's);
  // for a matmul of two activations, `operand`. Nothing for an embedding (the DMA gathers its
  // rows as features).
  const StoredWeights* stored = nullptr;
  // A matmul's second activation operand as the weight path reads it: one dense structure of
  // the producer's output bytes, in the producer's output region (`weights`). Never checked:
  // activations are not programmed weights.
  std::shared_ptr<const StoredWeights> operand;
  // SDP fusion (hw/sdp_fusion.hpp). On a convolution: the element-wise layer it applies on its
  // output path, whose other operand it reads from `residual` (and whose output it writes).
  const Layer* fused_eltwise = nullptr;
  Region residual;
  // On an element-wise layer: the convolution before it did its work; it runs nothing.
  bool fused = false;
};

// Plans every layer's work and tiles (no memory needed yet, so a layer that cannot be tiled is
// found before any weight is generated); throws TilingError naming the layer.
std::vector<LayerProgram> plan_layers(const std::vector<Layer>& layers, const CbufConfig& cbuf,
                                      const MacArrayConfig& mac);
// Gives each planned layer the regions its weights, inputs and output were placed in. A matmul of
// two activations reads its first operand as features and its second (`weights`) from the region
// its producer wrote; an embedding reads its gathered rows from its table's weight region.
void assign_regions(std::vector<LayerProgram>& programs, const Placement& place);
// Points each program at the weights its weight fetch unit reads: `stored[i]` are layer i's
// (bytes 0 when it stores none); a layer that shares reads its owner's copy.
void attach_weights(std::vector<LayerProgram>& programs, const std::vector<StoredWeights>& stored);

// The table row an embedding gathers for token position `position`: token ids are not part of
// the workload, so they are a fixed hash of (layer, position), deterministic and spread over the
// table as real text's ids are.
std::uint64_t embedding_row(const Layer& layer, std::uint64_t position);

}  // namespace hmasim
