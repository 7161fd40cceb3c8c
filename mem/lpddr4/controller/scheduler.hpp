// The buffered controller's scheduler: which waiting burst a bank serves next. One small
// interface, one class per policy (fcfs.hpp, fr_fcfs.hpp, fr_fcfs_grp.hpp). Arbitration across
// banks is not the scheduler's business: the channel controller issues, among every bank's next
// command, the one with the earliest legal issue cycle (the oldest request on ties).
#pragma once

#include <cstddef>
#include <memory>

#include "mem/lpddr4/controller/burst_queue.hpp"
#include "mem/lpddr4/lpddr4_config.hpp"

namespace hmasim {

// What a scheduler may know of a bank and its channel.
struct BankView {
  bool open = false;
  std::uint32_t row = 0;
  bool last_was_write = false;  // direction of the channel's latest column command
};

class Lpddr4Scheduler {
 public:
  virtual ~Lpddr4Scheduler() = default;
  // Index into `queue` (one bank's waiting bursts, oldest first, never empty).
  virtual std::size_t pick(const BurstQueue& queue, const BankView& bank) const = 0;
  virtual const char* name() const = 0;
  // Whether pick() looks at BankView::last_was_write (its choice then changes with every
  // column command of the channel, not only with the bank's own queue and row).
  virtual bool uses_direction() const { return false; }
};

// The scheduler for `kind` (not in_order, which is the unbuffered controller).
std::unique_ptr<Lpddr4Scheduler> make_scheduler(SchedulerKind kind);

}  // namespace hmasim
