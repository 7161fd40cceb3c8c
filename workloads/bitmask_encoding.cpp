#include "workloads/bitmask_encoding.hpp"

#include <optional>
#include <stdexcept>

#include "workloads/bit_stream.hpp"
#include "workloads/idxsync.hpp"
#include "workloads/nvdla_order.hpp"

namespace hmasim {

namespace {

std::uint64_t group_mask_bytes(const KernelGeometry& g, const KernelGroup& kg) {
  return round_up(ceil_div(kg.weights(g), 8), kDataAlignment);
}

}  // namespace

std::uint64_t bitmask_mask_bytes(const KernelGeometry& g, const NvdlaAtoms& atoms) {
  std::uint64_t bytes = 0;
  for (const KernelGroup& kg : kernel_groups(g, atoms)) bytes += group_mask_bytes(g, kg);
  return bytes;
}

void encode_bitmask(const KernelGeometry& g, const NvdlaAtoms& atoms,
                    const std::vector<std::int8_t>& weights, const ValueCoder& coder,
                    std::vector<EncodedStructure>& out) {
  check_weight_count(g, weights);
  BitWriter mask, values, counters;
  std::uint64_t non_zeros = 0;
  const std::vector<KernelGroup> groups = kernel_groups(g, atoms);
  for (const KernelGroup& kg : groups) {
    const std::uint64_t first_value_bit = values.bit_size();
    for_each_nvdla_weight(g, atoms, kg, [&](std::uint64_t i) {
      const bool non_zero = weights[i] != 0;
      mask.put(non_zero, 1);
      if (non_zero) {
        values.put(coder.encode(weights[i]), coder.bits());
        ++non_zeros;
      }
    });
    counters.put(ceil_div(values.bit_size() - first_value_bit, 8), kBitmaskCounterBits);
    mask.align(kDataAlignment);
    values.align(kDataAlignment);
  }
  counters.align(kDataAlignment);

  out.push_back(make_structure(StructureKind::values, coder.bits(), non_zeros, values.take()));
  out.push_back(make_structure(StructureKind::mask, 1, g.weights(), mask.take()));
  out.push_back(
      make_structure(StructureKind::counters, kBitmaskCounterBits, groups.size(), counters.take()));
}

void decode_bitmask(const KernelGeometry& g, const EncodedLayer& stored, const ValueCoder& coder,
                    DecodedLayer& out) {
  const EncodedStructure& values = stored.require(StructureKind::values);
  const EncodedStructure& mask = stored.require(StructureKind::mask);
  const EncodedStructure& counters = stored.require(StructureKind::counters);
  const EncodedStructure* counts = stored.find(StructureKind::idxsync);
  check_source_range(values);
  std::optional<IdxSyncCursor> sync;
  if (counts) sync.emplace(*counts);

  out.weights.assign(g.weights(), 0);
  out.source.assign(g.weights(), 0);
  const unsigned bits = coder.bits();
  const std::uint64_t value_bits_stored = 8 * values.bytes.size();
  std::uint64_t mask_bit = 0;    // the group's first mask bit
  std::uint64_t value_base = 0;  // the group's first value bit, from the WGS words read so far
  std::uint64_t group = 0;
  for (const KernelGroup& kg : kernel_groups(g, stored.atoms)) {
    std::uint64_t index = 0;  // values of the group taken so far
    std::uint64_t position = 0;
    if (sync) sync->start_group();
    for_each_nvdla_weight(g, stored.atoms, kg, [&](std::uint64_t i) {
      const std::uint64_t bit = mask_bit + position++;
      if (sync && bit % kIdxSyncBlockWeights == 0) {
        index = sync->enter_block(bit / kIdxSyncBlockWeights, index);
      }
      if (!read_bit(mask.bytes, bit)) return;
      // index <= 2^43 (counts of 11 bits per block, blocks < 2^32): no overflow below.
      const std::uint64_t at = value_base + index * bits;
      out.weights[i] = coder.decode(read_bits(values.bytes, at, bits));
      out.source[i] = value_source(at, values);
      ++index;
    });
    mask_bit += 8 * group_mask_bytes(g, kg);
    const std::uint64_t wgs =
        read_bits(counters.bytes, group * kBitmaskCounterBits, kBitmaskCounterBits);
    // Clamped: past the end every read is zero anyway, and the sum must not overflow.
    value_base = std::min(value_bits_stored, value_base + 8 * round_up(wgs, kDataAlignment));
    ++group;
  }
  if (sync) out.idxsync_realignments = sync->realignments();
}

}  // namespace hmasim
