// FR-FCFS with read/write grouping: prefers bursts in the direction of the channel's latest
// column command, so the bus turns around (RD -> WR, WR -> RD) less often. In order: the oldest
// row hit in the same direction, the oldest row hit, the oldest burst in the same direction, the
// oldest burst.
#pragma once

#include "mem/lpddr4/controller/scheduler.hpp"

namespace hmasim {

class FrFcfsGrpScheduler final : public Lpddr4Scheduler {
 public:
  std::size_t pick(const BurstQueue& q, const BankView& bank) const override {
    constexpr std::size_t kNone = ~std::size_t{0};
    std::size_t hit = kNone, same = kNone;
    for (std::size_t i = 0; i < q.size(); ++i) {
      const bool is_hit = bank.open && q[i].row == bank.row;
      const bool same_dir = q[i].write == bank.last_was_write;
      if (is_hit && same_dir) return i;
      if (is_hit && hit == kNone) hit = i;
      if (same_dir && same == kNone) same = i;
    }
    if (hit != kNone) return hit;
    return same != kNone ? same : 0;
  }
  const char* name() const override { return "fr_fcfs_grp"; }
  bool uses_direction() const override { return true; }
};

}  // namespace hmasim
