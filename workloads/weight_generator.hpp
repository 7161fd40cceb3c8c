// Synthetic weights of one layer, deterministic from (seed, layer index).
//
// Each layer has its own std::mt19937_64, seeded through std::seed_seq from the global seed and the
// layer's index: a layer's weights do not depend on any other layer or on the order in which layers
// are generated. Only the generator's raw 64-bit outputs are used (integer ranges by Lemire's
// multiply-shift, values from an integer table): the standard distributions' algorithms are
// implementation-defined, and the same seed must give byte-identical weights everywhere.
//
// Values: signed integers of the layer's precision b, symmetric range [-q, q] with
// q = 2^(b-1) - 1 (as symmetric quantisation produces): int8 for 2..8 bits (generate_weights),
// int16 for 9..16 bits (generate_weights16, NVDLA's int16 data). Both run the same draws on the
// same engine; only the value table differs. Exactly round(sparsity x count)
// weights are zero, at uniformly drawn positions (every set of positions is equally likely). Every
// non-zero is drawn from a rounded Gaussian N(0, (sigma_of_max x q)^2) clipped to
// [-q, q] with zero excluded: P(v) is proportional to the Gaussian's mass on [v - 1/2, v + 1/2],
// and +/-q also take the tails beyond. With cluster_bits = c the layer uses at most 2^c distinct
// values, zero included when it has zeros (a k-means codebook, MaxNVM Sec. 3.1.2): the codebook is
// drawn first, without repetition, from the same distribution; non-zeros then take codebook values
// with probabilities proportional to the distribution.
//
// Order: [group][kernel][channel][r][s] (layer.hpp, KernelGeometry), PyTorch's weight layout.
// dense_encoding.hpp reorders them for NVDLA.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "workloads/layer.hpp"

namespace hmasim {

// Version of the generator's output: bump it whenever the same (seed, layer, distribution) would
// give other weights, so that cached weights (weight_cache.hpp) of the old version are not reused.
// 1: the generator of this file since its first release (the batched draws kept its outputs).
constexpr std::uint32_t kWeightGeneratorVersion = 1;

struct WeightDistribution {
  // Standard deviation of the Gaussian as a fraction of q: 0.25 puts q at 4 sigma, the usual
  // range of a max-abs quantised, roughly Gaussian weight tensor.
  double sigma_of_max = 0.25;
};

// The generator of layer `layer_index` for global `seed`.
std::mt19937_64 layer_generator(std::uint64_t seed, std::size_t layer_index);

// Number of zero weights the generator puts into `layer`: round(sparsity x weights).
std::uint64_t zero_weight_count(const Layer& layer);

// Bytes the generator returns for `layer`: one int8 per weight, or one int16 for 9..16 bits.
std::uint64_t generated_weight_bytes(const Layer& layer);

// The weights of a validated layer (layer.weights of them; empty for layers without weights).
// Throws std::invalid_argument for precisions outside 2..8 bits.
std::vector<std::int8_t> generate_weights(const Layer& layer, std::uint64_t seed,
                                          const WeightDistribution& distribution = {});
// The same for a layer of 9..16 bits, as int16 values. Throws std::invalid_argument otherwise.
std::vector<std::int16_t> generate_weights16(const Layer& layer, std::uint64_t seed,
                                             const WeightDistribution& distribution = {});

}  // namespace hmasim
