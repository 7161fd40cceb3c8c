// NVDLA's Winograd convolution (F(2x2, 3x3)): a stride-1 3x3 convolution computes each 2x2 block
// of outputs from a 4x4 block of inputs with 16 products per channel instead of 36, so 2.25x
// fewer MAC cycles (hw/conv_core.hpp). Its weights are stored pre-transformed, U = G g G^T, a
// 4x4 kernel per 3x3 one: 16/9 of the bytes (nvdla.org/hw/format.html, "weight for Winograd
// convolution"; software does the transform, as NVDLA's compiler does).
//
// The transform in integers: with G' = 2G = [[2,0,0],[1,1,1],[1,-1,1],[0,0,2]], U' = G' g G'^T
// = 4U exactly; the layer's U' are then scaled to int8 by its largest magnitude M when M > 127
// (q = round(127 U' / M), half away from zero), the requantisation a compiler makes; the scale
// is not stored (hmasim computes no Winograd-domain values: functional mode refuses the mode).
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/layer.hpp"

namespace hmasim {

// Whether `layer` has Winograd's shape: a 3x3 convolution, stride 1, one group, 8-bit.
bool winograd_shape(const Layer& layer);

// The stored kernels' geometry: `g` with 4x4 kernels.
KernelGeometry winograd_geometry(KernelGeometry g);

// The transformed weights (generator order of winograd_geometry(g)) of `weights` (generator
// order of g, 3x3 kernels).
std::vector<std::int8_t> winograd_transform(const KernelGeometry& g,
                                            const std::vector<std::int8_t>& weights);

}  // namespace hmasim
