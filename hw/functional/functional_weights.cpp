#include "hw/functional/functional_weights.hpp"

#include <cmath>
#include <stdexcept>

#include "workloads/weight_encoding.hpp"

namespace hmasim {

PreparedWeights prepare_weights(const Layer& layer, const ConvWork& work,
                                const EncodedLayer& structures) {
  PreparedWeights p;
  DecodedLayer d = decode_layer(layer, structures);
  p.decoded = std::move(d.weights);
  p.decoded16 = std::move(d.weights16);
  p.kernels = work.kernels;
  const bool wide = !p.decoded16.empty();
  if (wide) {
    p.arranged16 = arrange_kernels(work, p.decoded16);
  } else {
    p.arranged = arrange_kernels(work, p.decoded);
  }
  const std::uint64_t per_kernel = work.channels * work.r * work.s;
  double norms = 0;
  for (std::uint64_t k = 0; k < work.kernels; ++k) {
    double sq = 0;
    for (std::uint64_t i = 0; i < per_kernel; ++i) {
      const double v = wide ? p.decoded16[k * per_kernel + i] : p.decoded[k * per_kernel + i];
      sq += v * v;
    }
    norms += std::sqrt(sq);
  }
  const double mean = work.kernels ? norms / static_cast<double>(work.kernels) : 1.0;
  p.synthetic.multiplier = 1;
  p.synthetic.shift =
      mean > 1.0 ? static_cast<std::int32_t>(std::min(62.0, std::round(std::log2(mean)))) : 0;
  return p;
}

LayerArithmetic layer_arithmetic(const Layer& layer, const LayerWeights* record,
                                 const PreparedWeights& prepared, bool relu) {
  LayerArithmetic a;
  if (!record) {
    a.relu = relu;
    if (layer.bias) a.bias.assign(prepared.kernels, 0);
    a.scales.push_back(prepared.synthetic);
    return a;
  }
  if (record->scales.empty()) {
    throw std::invalid_argument("layer '" + layer.name +
                                "': its weights record has no requantisation scale");
  }
  a.bias = record->bias;
  a.relu = record->relu;
  a.scales = record->scales;
  return a;
}

Requantisation softmax_scale(const Layer& layer, const LayerWeights* record) {
  if (record && !record->scales.empty()) return record->scales.front();
  return default_softmax_scale(layer.precision);
}

}  // namespace hmasim
