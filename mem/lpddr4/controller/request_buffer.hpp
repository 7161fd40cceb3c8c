// The buffered controller's request buffer of one channel: the waiting bursts of every bank, in
// arrival order per bank, with the admission rule of the configured organisation:
//   per_bank  each bank holds at most `depth` bursts (DRAMSys's bankwise buffer);
//   global    the channel holds at most `depth` bursts in all.
// A request is admitted only whole: when every bank it touches has room for all its bursts
// there, or (a request larger than the buffer) when those banks are empty. The scheduler sees
// every waiting burst of a bank; a burst leaves the buffer when its column command issues.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "mem/lpddr4/controller/burst_queue.hpp"
#include "mem/lpddr4/lpddr4_config.hpp"

namespace hmasim {

class RequestBuffer {
 public:
  RequestBuffer(BufferKind kind, unsigned banks, unsigned depth)
      : kind_(kind), depth_(depth), queues_(banks) {
    busy_.reserve(banks);
  }

  // Room for `n` more bursts in `bank`.
  bool has_room(unsigned bank, std::size_t n) const {
    const std::size_t used = kind_ == BufferKind::per_bank ? queues_[bank].size() : total_;
    return used + n <= depth_ || used == 0;
  }
  // Adds `n` consecutive bursts of one request to one row of `bank` (BurstQueue::push_run).
  void push(unsigned bank, const BufferedBurst& b, std::size_t n) {
    BurstQueue& q = queues_[bank];
    if (q.empty()) busy_.insert(std::lower_bound(busy_.begin(), busy_.end(), bank), bank);
    q.push_run(b, n);
    total_ += n;
  }
  void erase(unsigned bank, std::size_t index) {
    BurstQueue& q = queues_[bank];
    q.erase(index);
    if (q.empty()) busy_.erase(std::lower_bound(busy_.begin(), busy_.end(), bank));
    --total_;
  }
  const BurstQueue& queue(unsigned bank) const { return queues_[bank]; }
  // The banks with waiting bursts, in bank order: the only ones a scheduler has to look at.
  const std::vector<unsigned>& busy_banks() const { return busy_; }
  std::size_t size() const { return total_; }
  bool empty() const { return total_ == 0; }
  unsigned banks() const { return static_cast<unsigned>(queues_.size()); }

 private:
  BufferKind kind_;
  std::size_t depth_;
  std::vector<BurstQueue> queues_;
  std::vector<unsigned> busy_;
  std::size_t total_ = 0;
};

}  // namespace hmasim
