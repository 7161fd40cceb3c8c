#include "workloads/dense_packing.hpp"

#include "workloads/bit_stream.hpp"
#include "workloads/nvdla_order.hpp"

namespace hmasim {

EncodedStructure pack_dense_values(const KernelGeometry& g, const NvdlaAtoms& atoms,
                                   const std::vector<std::int8_t>& weights,
                                   const ValueCoder& coder) {
  check_weight_count(g, weights);
  BitWriter out;
  for (const KernelGroup& kg : kernel_groups(g, atoms)) {
    for_each_nvdla_weight(
        g, atoms, kg, [&](std::uint64_t i) { out.put(coder.encode(weights[i]), coder.bits()); });
  }
  out.align(kDataAlignment);
  return make_structure(StructureKind::values, coder.bits(), g.weights(), out.take());
}

void unpack_dense_values(const KernelGeometry& g, const NvdlaAtoms& atoms,
                         const EncodedStructure& values, const ValueCoder& coder,
                         DecodedLayer& out) {
  out.weights.assign(g.weights(), 0);
  out.source.clear();
  std::uint64_t at = 0;
  for (const KernelGroup& kg : kernel_groups(g, atoms)) {
    for_each_nvdla_weight(g, atoms, kg, [&](std::uint64_t i) {
      out.weights[i] = coder.decode(read_bits(values.bytes, at, coder.bits()));
      at += coder.bits();
    });
  }
}

}  // namespace hmasim
