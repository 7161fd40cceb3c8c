// The dense encodings as stored structures: every weight, zeros included, in NVDLA's
// direct-convolution order (dense_encoding.hpp), each as a code of the coder's width - fixed point
// ("dense") or a cluster index ("cluster", with its `lut`, cluster_encoding.hpp) - packed without
// gaps and padded to 128 bytes at the end. With 8-bit fixed point the bytes are exactly
// encode_dense_nvdla's. Every weight has a fixed address, so a fault corrupts only its own weight.
//
// 16-bit data (layers of 9..16 bits): every weight as an int16, 2 bytes, little-endian two's
// complement, in the same order - NVDLA's int16 weight layout ("For int16, one element refers to
// a 16-bit signed integer", doc/hw/format.rst, "Precision Type"). Only the dense encoding stores
// them (weight_encoding.hpp). A stored int16 decodes to any 16-bit value a fault makes of it.
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/encoded_layer.hpp"
#include "workloads/value_coder.hpp"

namespace hmasim {

// The `values` structure of `weights` (generator order, g.weights() of them).
EncodedStructure pack_dense_values(const KernelGeometry& g, const NvdlaAtoms& atoms,
                                   const std::vector<std::int8_t>& weights,
                                   const ValueCoder& coder);

// Decodes a stored `values` structure into out.weights (generator order). Any contents decode.
void unpack_dense_values(const KernelGeometry& g, const NvdlaAtoms& atoms,
                         const EncodedStructure& values, const ValueCoder& coder,
                         DecodedLayer& out);

// Bits of one stored 16-bit weight.
constexpr unsigned kInt16Bits = 16;
// The `values` structure of 16-bit `weights` (generator order, g.weights() of them).
EncodedStructure pack_dense_int16(const KernelGeometry& g, const NvdlaAtoms& atoms,
                                  const std::vector<std::int16_t>& weights);
// Decodes a stored 16-bit `values` structure into out.weights16. Any contents decode.
void unpack_dense_int16(const KernelGeometry& g, const NvdlaAtoms& atoms,
                        const EncodedStructure& values, DecodedLayer& out);

}  // namespace hmasim
