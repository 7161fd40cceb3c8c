// The buffered controller's request buffer of one channel: the waiting bursts of every bank, in
// arrival order per bank, with the admission rule of the configured organisation:
//   per_bank  each bank holds at most `depth` bursts (DRAMSys's bankwise buffer);
//   global    the channel holds at most `depth` bursts in all.
// A request is admitted only whole: when every bank it touches has room for all its bursts
// there, or (a request larger than the buffer) when those banks are empty. The scheduler sees
// every waiting burst of a bank; a burst leaves the buffer when its column command issues.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "mem/lpddr4/controller/buffered_burst.hpp"
#include "mem/lpddr4/lpddr4_config.hpp"

namespace hmasim {

class RequestBuffer {
 public:
  RequestBuffer(BufferKind kind, unsigned banks, unsigned depth)
      : kind_(kind), depth_(depth), queues_(banks) {}

  // Room for `n` more bursts in `bank`.
  bool has_room(unsigned bank, std::size_t n) const {
    const std::size_t used = kind_ == BufferKind::per_bank ? queues_[bank].size() : total_;
    return used + n <= depth_ || used == 0;
  }
  void push(unsigned bank, const BufferedBurst& b) {
    queues_[bank].push_back(b);
    ++total_;
  }
  void erase(unsigned bank, std::size_t index) {
    auto& q = queues_[bank];
    q.erase(q.begin() + static_cast<std::ptrdiff_t>(index));
    --total_;
  }
  const std::vector<BufferedBurst>& queue(unsigned bank) const { return queues_[bank]; }
  std::size_t size() const { return total_; }
  bool empty() const { return total_ == 0; }
  unsigned banks() const { return static_cast<unsigned>(queues_.size()); }

 private:
  BufferKind kind_;
  std::size_t depth_;
  std::vector<std::vector<BufferedBurst>> queues_;
  std::size_t total_ = 0;
};

}  // namespace hmasim
