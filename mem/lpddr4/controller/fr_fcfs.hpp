// FR-FCFS (first ready, first come first served): the oldest burst that hits the open row, else
// the oldest burst.
#pragma once

#include "mem/lpddr4/controller/scheduler.hpp"

namespace hmasim {

class FrFcfsScheduler final : public Lpddr4Scheduler {
 public:
  std::size_t pick(const BurstQueue& q, const BankView& bank) const override {
    if (bank.open) {
      for (std::size_t i = 0; i < q.size(); ++i) {
        if (q[i].row == bank.row) return i;
      }
    }
    return 0;
  }
  const char* name() const override { return "fr_fcfs"; }
};

}  // namespace hmasim
