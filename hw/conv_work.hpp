// A layer as the NVDLA convolution pipeline sees it. conv, dwconv, fc and matmul all map to a
// direct convolution: an input map (h x w x c, stored row after row, HWC), `kernels` kernels of
// r x s x channels weights in `groups` groups, producing out_h x out_w x kernels outputs.
//   fc:     the whole input is one r=h, s=w window; one output position
//   matmul: [m x k] * [k x n] is an m x 1 map of k channels and n 1x1 kernels; with heads, a
//           grouped 1x1 convolution (one group per head); with two activation operands the
//           second one is read through the weight path (NVDLA loads it like weights)
//   linear: a matmul with m = the input's h*w tokens
#pragma once

#include <cstdint>

#include "workloads/layer.hpp"

namespace hmasim {

struct ConvWork {
  std::uint64_t in_h = 0, in_w = 0, in_c = 0;
  std::uint64_t out_h = 0, out_w = 0;
  std::uint64_t kernels = 0;  // all groups
  std::uint64_t groups = 1;
  std::uint64_t channels = 0;  // per group, i.e. per kernel
  std::uint64_t r = 1, s = 1;
  std::uint64_t stride = 1, padding = 0;
  bool depthwise = false;
  // A convolution of the network's input (the image): NVDLA's image input mode may map it
  // (MacArrayConfig::image_input).
  bool reads_image = false;
  // A 3x3 stride-1 convolution of 8-bit weights: NVDLA's Winograd mode may run it
  // (MacArrayConfig::winograd, workloads/winograd.hpp).
  bool winograd_shape = false;
  // Weights stored per kernel and channel: 0 means r x s; Winograd stores 16 (4x4).
  std::uint64_t stored_kernel_positions = 0;
  std::uint64_t bytes_per_element = 1;

  std::uint64_t in_row_bytes() const { return in_w * in_c * bytes_per_element; }
  std::uint64_t out_row_bytes(std::uint64_t kernel_count) const {
    return out_w * kernel_count * bytes_per_element;
  }
  std::uint64_t kernel_bytes() const {
    return channels * (stored_kernel_positions ? stored_kernel_positions : r * s) *
           bytes_per_element;
  }
  // Input rows [first, end) that output rows [o0, o1) read (padding rows are not fetched).
  void input_rows(std::uint64_t o0, std::uint64_t o1, std::uint64_t& first,
                  std::uint64_t& end) const;
};

// The layer's work; `layer` must be a conv, dwconv, fc, matmul or linear.
ConvWork conv_work(const Layer& layer);

}  // namespace hmasim
