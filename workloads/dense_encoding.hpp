// Dense weight encoding: the raw bytes of a layer's weights in NVDLA's order for direct
// convolution (nvdla/doc, doc/hw/format.rst, "Basic Weight for Direct Convolution"), so the bytes
// programmed into a memory are the bytes the convolution DMA streams, in its order.
//
// NVDLA's rules, int8 (one byte per weight):
// - kernels are cut into groups of atomic_k kernels (the last group may be smaller);
// - each kernel is cut into 1 x 1 x atomic_c channel cubes (the last cube may be shorter; no
//   zeros are added);
// - within a kernel group the cubes are laid out C' -> K -> S (width) -> R (height) -> C: the
//   atomic_c channels of one cube fastest, then the kernels of the group, then kernel columns,
//   then rows, then the channel cubes slowest. This is the order in which the convolution core
//   consumes them: one atomic operation is atomic_c channels x atomic_k kernels at one (r, s);
// - kernel groups follow one another without padding; the whole is padded with zeros to a
//   multiple of 128 bytes.
// Fully-connected layers are convolutions whose kernel is the whole input (R = H, S = W); a matmul
// is n kernels of k channels. NVDLA has no grouped convolution: each group of a grouped or
// depthwise layer is a convolution of its own, encoded as above; groups follow one another
// (group g starts at g x group_bytes) and the end is padded once.
//
// The input is the generator's [group][kernel][channel][r][s] order (weight_generator.hpp).
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/layer.hpp"

namespace hmasim {

struct NvdlaAtoms {
  std::uint64_t atomic_c = 64;  // channels per atomic operation (int8): nv_full 64, NVDLA-64 8
  std::uint64_t atomic_k = 32;  // kernels per atomic operation (int8): nv_full 32, NVDLA-64 8
};

// The atoms for elements of `bytes_per_element` bytes, from the int8 atoms: int16 (2 bytes) halves
// atomic_k (at least 1) and keeps atomic_c in elements. NVDLA's MAC array computes half as many
// int16 products as int8 ones (nv_full: "2048 8-bit MACs (or 1024 16-bit fixed- or floating-point
// MACs)", nvdla/hw README, nvdlav1), and its weight layout follows: "For int16 and fp16 weight,
// one group has 16 kernels. For int8, one group has 32 kernels", each kernel cut into
// "1x1x64-element small cubes" for both (doc/hw/format.rst, "Basic Weight for Direct
// Convolution").
inline NvdlaAtoms atoms_for_element(const NvdlaAtoms& int8_atoms, std::uint64_t bytes_per_element) {
  NvdlaAtoms a = int8_atoms;
  if (bytes_per_element > 1) a.atomic_k = a.atomic_k > 1 ? a.atomic_k / 2 : 1;
  return a;
}

// Bytes of one group's weights, unpadded.
std::uint64_t dense_group_bytes(const Layer& layer);
// Bytes encode_dense_nvdla returns: all groups, padded to 128 bytes.
std::uint64_t dense_nvdla_bytes(const Layer& layer);

// Reorders `weights` (generator order, layer.weights of them) into NVDLA's direct-convolution
// order. Throws std::invalid_argument if the count does not match the layer or atoms are zero.
std::vector<std::int8_t> encode_dense_nvdla(const Layer& layer,
                                            const std::vector<std::int8_t>& weights,
                                            const NvdlaAtoms& atoms);

}  // namespace hmasim
