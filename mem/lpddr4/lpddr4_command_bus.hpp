// The command/address bus of one LPDDR4 channel, as the set of cycle intervals already reserved by
// scheduled commands (ACT, RD and WR hold it for 4 cycles, PRE, PREA and REF for 2).
//
// The controller serves requests in order, but it may issue the PRE and ACT of a later request
// early, into free bus slots between the column commands of earlier ones (bank parallelism). So
// reservations arrive slightly out of time order, and a command goes into the first gap at or after
// its earliest legal cycle that is long enough. Nothing ticks: the bus is a sorted list of busy
// intervals, and intervals no future command can reach are forgotten.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/units.hpp"

namespace hmasim {

class CommandBus {
 public:
  // Earliest cycle c >= `earliest` such that [c, c + length) overlaps no reservation.
  Cycles find(Cycles earliest, Cycles length) const;
  // Reserves [at, at + length); the caller found it free with find().
  void reserve(Cycles at, Cycles length);
  // Forgets reservations that end at or before `before`: no command will be placed earlier.
  void forget_before(Cycles before);
  void clear();
  // Reservations still remembered (bounded by the controller's lookahead).
  std::size_t size() const { return intervals_.size() - head_; }

 private:
  struct Interval {
    std::uint64_t start;
    std::uint64_t end;  // exclusive
  };
  // intervals_[head_ ..] are sorted by start and disjoint (so also sorted by end). Forgotten ones
  // stay in front of head_ until compaction, which keeps forget_before() O(1) amortised.
  std::vector<Interval> intervals_;
  std::size_t head_ = 0;
};

}  // namespace hmasim
