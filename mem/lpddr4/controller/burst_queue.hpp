// One bank's waiting bursts in the buffered controller's request buffer, oldest first. The
// schedulers and page policies read it as an array. A burst leaves from wherever the scheduler
// picked it, mostly at or near the front (FR-FCFS serves the oldest row hit, FCFS the oldest), so
// a removal shifts the shorter side, as std::deque does, but on one contiguous array that a
// scheduler scans quickly: taking the oldest burst moves nothing.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "mem/lpddr4/controller/buffered_burst.hpp"

namespace hmasim {

class BurstQueue {
 public:
  std::size_t size() const { return items_.size() - head_; }
  bool empty() const { return items_.size() == head_; }
  const BufferedBurst& operator[](std::size_t i) const { return items_[head_ + i]; }
  const BufferedBurst* begin() const { return items_.data() + head_; }
  const BufferedBurst* end() const { return items_.data() + items_.size(); }

  // Appends `n` >= 1 consecutive bursts of one request to one row: copies of `b`, of which only
  // the last is the request's last burst to the row. The marks are written in place: a modified
  // copy of `b` read back at once would stall the processor's store-to-load forwarding.
  void push_run(const BufferedBurst& b, std::size_t n) {
    // The room that removals at the front left is used before the array grows.
    if (head_ > 0 && items_.size() + n > items_.capacity()) {
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
    for (std::size_t i = 0; i < n; ++i) items_.push_back(b);
    for (std::size_t i = items_.size() - n; i + 1 < items_.size(); ++i) {
      items_[i].last_in_row = false;
    }
    items_.back().last_in_row = true;
  }
  // Removes burst i; the others keep their order.
  void erase(std::size_t i) {
    const auto first = items_.begin() + static_cast<std::ptrdiff_t>(head_);
    const auto at = first + static_cast<std::ptrdiff_t>(i);
    if (i < size() / 2) {
      std::move_backward(first, at, at + 1);  // the older ones move up by one
      ++head_;
    } else {
      items_.erase(at);
    }
    if (empty()) {
      items_.clear();
      head_ = 0;
    }
  }

 private:
  std::vector<BufferedBurst> items_;  // [head_, end) wait
  std::size_t head_ = 0;
};

}  // namespace hmasim
