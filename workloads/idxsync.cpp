#include "workloads/idxsync.hpp"

#include "workloads/bit_stream.hpp"

namespace hmasim {

EncodedStructure idxsync_counts(const EncodedStructure& mask) {
  const std::uint64_t blocks = ceil_div(mask.bytes.size(), kIdxSyncBlockBytes);
  BitWriter out;
  for (std::uint64_t b = 0; b < blocks; ++b) {
    std::uint64_t count = 0;
    const std::uint64_t end =
        std::min<std::uint64_t>(mask.bytes.size(), (b + 1) * kIdxSyncBlockBytes);
    for (std::uint64_t i = b * kIdxSyncBlockBytes; i < end; ++i) {
      count += static_cast<std::uint64_t>(__builtin_popcount(mask.bytes[i]));
    }
    out.put(count, kIdxSyncCountBits);
  }
  out.align(kDataAlignment);
  return make_structure(StructureKind::idxsync, kIdxSyncCountBits, blocks, out.take());
}

std::uint64_t IdxSyncCursor::enter_block(std::uint64_t block, std::uint64_t index) {
  const std::uint64_t start = expected_;
  if (start != index) ++realignments_;
  expected_ += read_bits(counts_.bytes, block * kIdxSyncCountBits, kIdxSyncCountBits);
  return start;
}

}  // namespace hmasim
