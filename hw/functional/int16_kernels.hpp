// The functional datapath's arithmetic on int16 maps (layers of 9..16 bits, NVDLA's int16
// pipeline): int16 weights and activations, exact 64-bit accumulation (int16 x int16 sums
// overflow int32), requantisation saturated to [-32768, 32767] (ReLU: [0, 32767]); pooling and
// element-wise results saturate to int16. Otherwise as int8_kernels.hpp (kernel_loops.hpp).
#pragma once

#include <cstdint>
#include <vector>

#include "hw/conv_work.hpp"
#include "hw/functional/kernel_loops.hpp"
#include "hw/layer_tiling.hpp"
#include "workloads/layer.hpp"
#include "workloads/weights_file.hpp"

namespace hmasim {

std::vector<std::int16_t> arrange_kernels(const ConvWork& w,
                                          const std::vector<std::int16_t>& weights);

// floor((acc x multiplier + 2^(shift-1)) / 2^shift) saturated to int16 (ReLU: to 0..32767).
std::int16_t requantise16(std::int64_t acc, const Requantisation& q, bool relu);

void conv_block(const ConvWork& w, const InputRows16& in, const std::vector<std::int16_t>& kernels,
                const LayerArithmetic& a, const RowRange& rows, const RowRange& kernel_range,
                std::int16_t* out);

void pool_block(const ConvWork& w, PoolMode mode, const InputRows16& in, const RowRange& rows,
                const RowRange& channels, std::int16_t* out);

void eltwise_block(EltwiseOp op, const std::vector<const std::int16_t*>& in,
                   const std::vector<std::uint64_t>& widths, std::uint64_t columns,
                   const RowRange& rows, const RowRange& channels, std::int16_t* out);

}  // namespace hmasim
