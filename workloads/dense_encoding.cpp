#include "workloads/dense_encoding.hpp"

#include <stdexcept>
#include <string>

#include "workloads/nvdla_order.hpp"

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
  check_atoms(atoms);
  std::vector<std::int8_t> out;
  out.reserve(dense_nvdla_bytes(layer));
  for (const KernelGroup& kg : kernel_groups(g, atoms)) {
    for_each_nvdla_weight(g, atoms, kg, [&](std::uint64_t i) { out.push_back(weights[i]); });
  }
  out.resize(dense_nvdla_bytes(layer), 0);
  return out;
}

}  // namespace hmasim
