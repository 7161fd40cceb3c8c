// NVDLA's direct-convolution weight order (dense_encoding.hpp), as a walk that every encoding
// shares: the dense and cluster encodings store all weights in it, the bitmask encoding stores
// one mask bit per weight and the non-zeros in it, one kernel group at a time, and CSR numbers the
// columns of a kernel in it.
//
// A kernel group is atomic_k kernels of one convolution group (the last may be smaller); each
// group of a grouped or depthwise convolution is a convolution of its own (NVDLA has no grouped
// convolution), so kernel groups never span two of them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "workloads/dense_encoding.hpp"
#include "workloads/layer.hpp"

namespace hmasim {

struct KernelGroup {
  std::uint64_t conv_group = 0;    // group of a grouped convolution
  std::uint64_t first_kernel = 0;  // first kernel, counted within the convolution group
  std::uint64_t kernels = 0;       // atomic_k, or fewer for the last group
  std::uint64_t weights(const KernelGeometry& g) const { return kernels * g.weights_per_kernel(); }
};

// Throws std::invalid_argument for zero atoms.
void check_atoms(const NvdlaAtoms& atoms);
// Throws std::invalid_argument unless there are g.weights() weights (int8 or int16 values).
void check_weight_count(const KernelGeometry& g, std::uint64_t count);
template <class V>
void check_weight_count(const KernelGeometry& g, const std::vector<V>& weights) {
  check_weight_count(g, static_cast<std::uint64_t>(weights.size()));
}

// The kernel groups of a layer in storage order.
std::vector<KernelGroup> kernel_groups(const KernelGeometry& g, const NvdlaAtoms& atoms);

// Calls f(generator index) for every weight of `kg`, in NVDLA's order: channel cubes of atomic_c
// slowest, then kernel rows (R), columns (S), the group's kernels, and the cube's channels fastest.
template <class F>
void for_each_nvdla_weight(const KernelGeometry& g, const NvdlaAtoms& atoms, const KernelGroup& kg,
                           F&& f) {
  const std::uint64_t per_kernel = g.weights_per_kernel();
  const std::uint64_t rs = g.r * g.s;
  const std::uint64_t base = (kg.conv_group * g.kernels_per_group + kg.first_kernel) * per_kernel;
  for (std::uint64_t c0 = 0; c0 < g.channels; c0 += atoms.atomic_c) {
    const std::uint64_t c1 = std::min(g.channels, c0 + atoms.atomic_c);
    for (std::uint64_t r = 0; r < g.r; ++r) {
      for (std::uint64_t s = 0; s < g.s; ++s) {
        for (std::uint64_t k = 0; k < kg.kernels; ++k) {
          const std::uint64_t at = base + k * per_kernel + r * g.s + s;
          for (std::uint64_t c = c0; c < c1; ++c) f(at + c * rs);
        }
      }
    }
  }
}

// The weights of one kernel in NVDLA's order: entry j is the generator-order offset, within the
// kernel, of the kernel's j-th weight in the stream (its CSR column, csr_encoding.hpp).
std::vector<std::uint64_t> nvdla_kernel_columns(const KernelGeometry& g, const NvdlaAtoms& atoms);

}  // namespace hmasim
