// Totals of a validated network, per frame at batch 1. What is counted (docs/workload-format.md):
// - MACs: multiply-accumulates of conv, dwconv, fc and matmul layers (one MAC = one multiply and
//   one add; FLOPs would be twice this). Pooling, element-wise operations, biases and batch norm
//   are not MACs (torchvision and fvcore count the same way: ResNet-50 = 4.09 G).
// - weights: stored kernel / matrix elements (what the weight generator produces and the memories
//   hold); params: weights + biases + batch-norm scale and shift (2 per channel; running
//   statistics are buffers, not parameters, as in PyTorch's parameter count), plus a layer
//   norm's scale and shift. Weights a layer uses through `shares:` are counted once, on their
//   owner (ALBERT's 12 layers count one set).
#pragma once

#include <cstdint>
#include <string>

#include "workloads/network.hpp"

namespace hmasim {

struct NetworkStats {
  std::uint64_t layers = 0;
  std::uint64_t macs = 0;
  std::uint64_t weights = 0;
  std::uint64_t params = 0;
  std::uint64_t task_specific_params = 0;  // params of layers with shared: false
  std::uint64_t weight_bytes = 0;          // dense: one container of ceil(precision/8) bytes each
};

// Bytes of one element of `precision` bits in a dense container (int8 up to 8 bits, ...).
std::uint64_t element_bytes(std::uint32_t precision);
// Dense bytes of a layer's weights.
std::uint64_t dense_weight_bytes(const Layer& layer);

NetworkStats network_stats(const Network& net);
// The same over the layers that run for `task` (the backbone and that task's head).
NetworkStats network_stats(const Network& net, const std::string& task);

// "72 layers, 4.089 GMAC, 25.557 M params, 25.503 MB of weights" (task-specific params if any)
std::string summary_line(const NetworkStats& s);
// One row per layer: index, name, type, input and output shapes, MACs, weights, params.
std::string layer_table(const Network& net);

}  // namespace hmasim
