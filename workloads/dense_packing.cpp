#include "workloads/dense_packing.hpp"

#include "workloads/bit_stream.hpp"
#include "workloads/nvdla_order.hpp"

namespace hmasim {

namespace {

// Every weight's code (code_of(generator index)) of `bits` bits in NVDLA's order, padded.
template <class CodeOf>
EncodedStructure pack_codes(const KernelGeometry& g, const NvdlaAtoms& atoms, unsigned bits,
                            CodeOf&& code_of) {
  BitWriter out;
  for (const KernelGroup& kg : kernel_groups(g, atoms)) {
    for_each_nvdla_weight(g, atoms, kg, [&](std::uint64_t i) { out.put(code_of(i), bits); });
  }
  out.align(kDataAlignment);
  return make_structure(StructureKind::values, bits, g.weights(), out.take());
}

// Calls set(generator index, code) for every stored code of `bits` bits, in NVDLA's order.
template <class Set>
void unpack_codes(const KernelGeometry& g, const NvdlaAtoms& atoms, const EncodedStructure& values,
                  unsigned bits, Set&& set) {
  std::uint64_t at = 0;
  for (const KernelGroup& kg : kernel_groups(g, atoms)) {
    for_each_nvdla_weight(g, atoms, kg, [&](std::uint64_t i) {
      set(i, read_bits(values.bytes, at, bits));
      at += bits;
    });
  }
}

}  // namespace

EncodedStructure pack_dense_values(const KernelGeometry& g, const NvdlaAtoms& atoms,
                                   const std::vector<std::int8_t>& weights,
                                   const ValueCoder& coder) {
  check_weight_count(g, weights);
  return pack_codes(g, atoms, coder.bits(),
                    [&](std::uint64_t i) { return coder.encode(weights[i]); });
}

void unpack_dense_values(const KernelGeometry& g, const NvdlaAtoms& atoms,
                         const EncodedStructure& values, const ValueCoder& coder,
                         DecodedLayer& out) {
  out.weights.assign(g.weights(), 0);
  out.source.clear();
  unpack_codes(g, atoms, values, coder.bits(),
               [&](std::uint64_t i, std::uint64_t code) { out.weights[i] = coder.decode(code); });
}

EncodedStructure pack_dense_int16(const KernelGeometry& g, const NvdlaAtoms& atoms,
                                  const std::vector<std::int16_t>& weights) {
  check_weight_count(g, weights);
  // LSB-first packing of 16-bit codes: the low byte first, i.e. little-endian.
  return pack_codes(g, atoms, kInt16Bits, [&](std::uint64_t i) {
    return static_cast<std::uint64_t>(static_cast<std::uint16_t>(weights[i]));
  });
}

void unpack_dense_int16(const KernelGeometry& g, const NvdlaAtoms& atoms,
                        const EncodedStructure& values, DecodedLayer& out) {
  out.weights.clear();
  out.weights16.assign(g.weights(), 0);
  out.source.clear();
  unpack_codes(g, atoms, values, kInt16Bits, [&](std::uint64_t i, std::uint64_t code) {
    out.weights16[i] = static_cast<std::int16_t>(static_cast<std::uint16_t>(code));
  });
}

}  // namespace hmasim
