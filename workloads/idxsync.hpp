// Index Synchronisation, IdxSync (MaxNVM Sec. 3.3 and Fig. 4): a count of the non-zero weights
// each 128-byte block of the bitmask promises, stored beside the mask, so that a decoder can put
// its index into the packed values back where it belongs at every block boundary.
//
// Without it a misread mask bit shifts the value index for the rest of the kernel group: every
// later non-zero of the group takes its neighbour's value. With it, the decoder starts each block
// at the index the counts of the group's earlier blocks give, so the damage stays within the block
// of the misread bit. IdxSync corrects nothing inside that block, and a misread count moves the
// starts of the group's later blocks (the counts are metadata too: MaxNVM keeps them small and in
// robust cells).
//
// Layout: one count per 128-byte block of the `mask` structure. Every kernel group's mask is
// padded to 128 bytes (bitmask_encoding.hpp), so blocks never span two groups and a group's last
// block may be partly padding (zero bits, counted as nothing). A count is 0..1024, so it takes 11
// bits; counts are packed LSB-first in mask order and the structure is padded to 128 bytes.
// MaxNVM counts the non-zeros "or zeros, depending on which is lower": either count fits a block
// only in the same 11 bits (a block can hold 1024 of either), so we always count non-zeros.
#pragma once

#include <cstdint>

#include "workloads/encoded_layer.hpp"

namespace hmasim {

constexpr std::uint64_t kIdxSyncBlockBytes = 128;
constexpr std::uint64_t kIdxSyncBlockWeights = 8 * kIdxSyncBlockBytes;  // mask bits per block
constexpr unsigned kIdxSyncCountBits = 11;                              // holds 0..1024

// The `idxsync` structure of a (fault-free) `mask` structure.
EncodedStructure idxsync_counts(const EncodedStructure& mask);

// The decoder side: tracks where the counts say each block of a kernel group starts.
class IdxSyncCursor {
 public:
  explicit IdxSyncCursor(const EncodedStructure& counts) : counts_(counts) {}
  // A new kernel group: its first block starts at value index 0 of the group.
  void start_group() { expected_ = 0; }
  // Entering mask block `block` (counted over the whole mask) with the decoder's running value
  // index `index` (within the group): returns the index the block must start at.
  std::uint64_t enter_block(std::uint64_t block, std::uint64_t index);
  // Blocks at which the running index disagreed with the counts and was moved.
  std::uint64_t realignments() const { return realignments_; }

 private:
  const EncodedStructure& counts_;
  std::uint64_t expected_ = 0;
  std::uint64_t realignments_ = 0;
};

}  // namespace hmasim
