#include "workloads/dense_encoding.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace hmasim {

namespace {
constexpr std::uint64_t kAlignment = 128;  // bytes; NVDLA weight surfaces end 128-byte aligned
}

std::uint64_t dense_group_bytes(const Layer& layer) {
  const KernelGeometry g = kernel_geometry(layer);
  return g.kernels_per_group * g.weights_per_kernel();
}

std::uint64_t dense_nvdla_bytes(const Layer& layer) {
  const std::uint64_t bytes = kernel_geometry(layer).weights();
  return (bytes + kAlignment - 1) / kAlignment * kAlignment;
}

std::vector<std::int8_t> encode_dense_nvdla(const Layer& layer,
                                            const std::vector<std::int8_t>& weights,
                                            const NvdlaAtoms& atoms) {
  const KernelGeometry g = kernel_geometry(layer);
  if (weights.size() != g.weights()) {
    throw std::invalid_argument("layer '" + layer.name + "': " + std::to_string(weights.size()) +
                                " weights given, the layer has " + std::to_string(g.weights()));
  }
  if (atoms.atomic_c == 0 || atoms.atomic_k == 0) {
    throw std::invalid_argument("NVDLA atoms must be positive");
  }
  std::vector<std::int8_t> out;
  out.reserve(dense_nvdla_bytes(layer));
  const std::uint64_t per_kernel = g.weights_per_kernel();
  const std::uint64_t rs = g.r * g.s;
  for (std::uint64_t group = 0; group < g.groups; ++group) {
    const std::uint64_t group_base = group * g.kernels_per_group * per_kernel;
    for (std::uint64_t k0 = 0; k0 < g.kernels_per_group; k0 += atoms.atomic_k) {
      const std::uint64_t k1 = std::min(g.kernels_per_group, k0 + atoms.atomic_k);
      for (std::uint64_t c0 = 0; c0 < g.channels; c0 += atoms.atomic_c) {
        const std::uint64_t c1 = std::min(g.channels, c0 + atoms.atomic_c);
        for (std::uint64_t r = 0; r < g.r; ++r) {
          for (std::uint64_t s = 0; s < g.s; ++s) {
            for (std::uint64_t k = k0; k < k1; ++k) {
              const std::uint64_t base = group_base + k * per_kernel + r * g.s + s;
              for (std::uint64_t c = c0; c < c1; ++c) out.push_back(weights[base + c * rs]);
            }
          }
        }
      }
    }
  }
  out.resize(dense_nvdla_bytes(layer), 0);
  return out;
}

}  // namespace hmasim
