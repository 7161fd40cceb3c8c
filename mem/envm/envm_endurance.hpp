// Wear accounting of an eNVM: program operations counted per endurance block (e.g. 4 KiB), so a
// run reports how close the most-written block came to the technology's endurance and how the
// writes spread. A write request touching a block counts one program operation on it, whatever
// its size: each cell it covers is programmed once, and a block's count then bounds the writes
// any of its cells has seen.
#pragma once

#include <cstdint>
#include <vector>

#include "core/units.hpp"

namespace hmasim {

class EnduranceCounter {
 public:
  // `capacity` is split into blocks of `block` bytes; the last block may be partial.
  EnduranceCounter(Bytes capacity, Bytes block);

  // Counts one program operation on every block that [address, address + length) touches.
  void record_write(std::uint64_t address, std::uint64_t length);

  Bytes block_size() const { return block_; }
  std::size_t block_count() const { return counts_.size(); }
  std::uint64_t writes(std::size_t block) const { return counts_.at(block); }
  // The most-written block's count (kept up to date, O(1)).
  std::uint64_t max_writes() const { return max_; }
  // Sum over blocks, i.e. block program operations in total.
  std::uint64_t total_writes() const { return total_; }
  const std::vector<std::uint64_t>& counts() const { return counts_; }

 private:
  Bytes block_;
  std::vector<std::uint64_t> counts_;
  std::uint64_t max_ = 0;
  std::uint64_t total_ = 0;
};

}  // namespace hmasim
