// The weights and arithmetic the functional datapath computes a layer with. The weights are the
// stored structures decoded (for a cluster encoding the centroids, as the hardware sees them),
// arranged for the core (int8_kernels.hpp; int16 for 9..16-bit layers, int16_kernels.hpp). Bias,
// ReLU and requantisation come from the weights file; a network with generated weights gets a
// synthetic arithmetic (docs/functional.md): zero biases, ReLU on every layer another layer reads,
// and one shift per layer that keeps the activations' spread: round(log2 of the mean L2 norm of
// its kernels).
#pragma once

#include <cstdint>
#include <vector>

#include "hw/conv_work.hpp"
#include "hw/functional/int16_kernels.hpp"
#include "hw/functional/int8_kernels.hpp"
#include "workloads/encoded_layer.hpp"
#include "workloads/layer.hpp"
#include "workloads/weights_file.hpp"

namespace hmasim {

struct PreparedWeights {
  // Generator order ([group][kernel][channel][r][s]): int8, or int16 for a 9..16-bit layer (the
  // other vector empty).
  std::vector<std::int8_t> decoded;
  std::vector<std::int16_t> decoded16;
  std::vector<std::int8_t> arranged;  // arrange_kernels() of them
  std::vector<std::int16_t> arranged16;
  Requantisation synthetic;  // the synthetic scale (generated weights)
  std::uint64_t kernels = 0;
};

// Decodes `structures` (as stored, or as read: any bytes) for `layer` computed as `work`.
PreparedWeights prepare_weights(const Layer& layer, const ConvWork& work,
                                const EncodedLayer& structures);

// The layer's arithmetic: `record` from the weights file (the layer's own, or its owner's for a
// sharing layer), or without one the synthetic arithmetic from `prepared` (`relu`: whether
// another layer reads this one's output). Throws std::invalid_argument for a record without a
// requantisation scale.
LayerArithmetic layer_arithmetic(const Layer& layer, const LayerWeights* record,
                                 const PreparedWeights& prepared, bool relu);

// A softmax layer's input scale: its record's one scale, else default_softmax_scale.
Requantisation softmax_scale(const Layer& layer, const LayerWeights* record);

}  // namespace hmasim
