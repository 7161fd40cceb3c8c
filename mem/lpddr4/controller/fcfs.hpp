// FCFS: each bank serves its oldest waiting burst (banks still proceed in parallel).
#pragma once

#include "mem/lpddr4/controller/scheduler.hpp"

namespace hmasim {

class FcfsScheduler final : public Lpddr4Scheduler {
 public:
  std::size_t pick(const BurstQueue&, const BankView&) const override { return 0; }
  const char* name() const override { return "fcfs"; }
};

}  // namespace hmasim
