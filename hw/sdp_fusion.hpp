// SDP fusion (`accelerator.post.fuse_eltwise`): NVDLA's SDP applies an element-wise operation to
// the convolution core's outputs on their way out of the accumulator, reading the other operand
// itself (its ERDMA), so the convolution's output map never goes to memory and back. Bias, batch
// norm and ReLU are always applied on that path (a layer's `bias` / `batchnorm`; no workload
// layer stands for them); this adds the residual add (or multiply) of an `eltwise` layer.
//
// A convolution-core layer fuses with the layer right after it when that layer is an element-wise
// operation of two inputs, one of them the convolution's output and the other a different map of
// the same shape and width, and nothing else reads the convolution's output. The convolution then
// reads the other operand's block beside each output block it writes and writes the element-wise
// layer's output; the element-wise layer runs nothing (no tile, no byte, no cycle). Fusion is
// off by default: unfused execution reads both maps and writes the sum as a layer of its own.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "hw/layer_program.hpp"
#include "workloads/network.hpp"

namespace hmasim {

struct FusedEltwise {
  std::size_t conv = 0;     // the convolution-core layer
  std::size_t eltwise = 0;  // the element-wise layer right after it
  std::size_t operand = 0;  // which input of the element-wise layer the SDP reads (not the conv's)
};

// The pairs that can fuse, in layer order. `allowed(conv, eltwise)` may veto a pair (a schedule
// whose tasks run one layer of it but not the other).
std::vector<FusedEltwise> find_fusions(
    const Network& net, const std::vector<LayerProgram>& programs,
    const std::function<bool(std::size_t, std::size_t)>& allowed = nullptr);

// After assign_regions: the convolution reads the operand's region and writes the element-wise
// layer's output region; the element-wise layer is marked fused.
void apply_fusions(std::vector<LayerProgram>& programs, const std::vector<FusedEltwise>& pairs);

}  // namespace hmasim
