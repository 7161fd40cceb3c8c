// The arithmetic of the functional datapath on int8 maps: what the convolution core (with CACC and
// the SDP's bias, requantisation and ReLU), the PDP and the SDP's element-wise unit compute. Each
// function computes one output block (rows x all columns x a range of kernels, in that order,
// kernels fastest) from dense HWC input rows (kernel_loops.hpp; int16_kernels.hpp for 16-bit
// layers). docs/functional.md gives the arithmetic; workloads/reference_inference.hpp computes the
// same independently, to check this.
#pragma once

#include <cstdint>
#include <vector>

#include "hw/conv_work.hpp"
#include "hw/functional/kernel_loops.hpp"
#include "hw/layer_tiling.hpp"
#include "workloads/layer.hpp"
#include "workloads/weights_file.hpp"

namespace hmasim {

// A layer's weights in the order the core walks them: [kernel][r][s][channel], so that the
// channels of one tap are contiguous, as the input's are (HWC).
std::vector<std::int8_t> arrange_kernels(const ConvWork& w,
                                         const std::vector<std::int8_t>& weights);

// floor((acc x multiplier + 2^(shift-1)) / 2^shift) saturated to int8 (ReLU: to 0..127).
std::int8_t requantise(std::int64_t acc, const Requantisation& q, bool relu);

// A convolution (conv, dwconv, fc, matmul: conv_work.hpp) over output `rows` x `kernels`.
void conv_block(const ConvWork& w, const InputRows& in, const std::vector<std::int8_t>& kernels,
                const LayerArithmetic& a, const RowRange& rows, const RowRange& kernel_range,
                std::int8_t* out);

// Max or average pooling (window r x s, stride, padding of `w`); output channel k is input k's.
void pool_block(const ConvWork& w, PoolMode mode, const InputRows& in, const RowRange& rows,
                const RowRange& channels, std::int8_t* out);

// Element-wise add or multiply of inputs of `widths[i]` channels each (missing channels are 0),
// saturated to int8; `in[i]` holds `rows` of `columns` pixels.
void eltwise_block(EltwiseOp op, const std::vector<const std::int8_t*>& in,
                   const std::vector<std::uint64_t>& widths, std::uint64_t columns,
                   const RowRange& rows, const RowRange& channels, std::int8_t* out);

}  // namespace hmasim
