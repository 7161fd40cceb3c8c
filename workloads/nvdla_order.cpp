#include "workloads/nvdla_order.hpp"

#include <stdexcept>
#include <string>

#include "workloads/bit_stream.hpp"

namespace hmasim {

void check_atoms(const NvdlaAtoms& atoms) {
  if (atoms.atomic_c == 0 || atoms.atomic_k == 0) {
    throw std::invalid_argument("NVDLA atoms must be positive");
  }
}

void check_weight_count(const KernelGeometry& g, std::uint64_t count) {
  if (count != g.weights()) {
    throw std::invalid_argument(std::to_string(count) + " weights given, the layer has " +
                                std::to_string(g.weights()));
  }
}

std::vector<KernelGroup> kernel_groups(const KernelGeometry& g, const NvdlaAtoms& atoms) {
  check_atoms(atoms);
  std::vector<KernelGroup> out;
  out.reserve(g.groups * ceil_div(g.kernels_per_group, atoms.atomic_k));
  for (std::uint64_t conv = 0; conv < g.groups; ++conv) {
    for (std::uint64_t k0 = 0; k0 < g.kernels_per_group; k0 += atoms.atomic_k) {
      out.push_back({conv, k0, std::min(atoms.atomic_k, g.kernels_per_group - k0)});
    }
  }
  return out;
}

std::vector<std::uint64_t> nvdla_kernel_columns(const KernelGeometry& g, const NvdlaAtoms& atoms) {
  check_atoms(atoms);
  std::vector<std::uint64_t> columns;
  columns.reserve(g.weights_per_kernel());
  // A group of one kernel at the origin: the stream order of one kernel's weights.
  for_each_nvdla_weight(g, atoms, KernelGroup{0, 0, 1},
                        [&](std::uint64_t i) { columns.push_back(i); });
  return columns;
}

}  // namespace hmasim
