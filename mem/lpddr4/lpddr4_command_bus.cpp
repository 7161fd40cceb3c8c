#include "mem/lpddr4/lpddr4_command_bus.hpp"

#include <algorithm>

namespace hmasim {

Cycles CommandBus::find(Cycles earliest, Cycles length) const {
  std::uint64_t c = earliest.value();
  const std::uint64_t len = length.value();
  // The first reservation that ends after `earliest`: ends are sorted as the intervals are
  // disjoint.
  auto it = std::partition_point(intervals_.begin() + static_cast<std::ptrdiff_t>(head_),
                                 intervals_.end(), [c](const Interval& i) { return i.end <= c; });
  for (; it != intervals_.end(); ++it) {
    if (it->start >= c + len) break;  // the gap before this reservation is long enough
    c = std::max(c, it->end);
  }
  return Cycles(c);
}

void CommandBus::reserve(Cycles at, Cycles length) {
  const Interval iv{at.value(), at.value() + length.value()};
  // Most reservations are the latest so far (column commands in order): append.
  if (intervals_.size() == head_ || intervals_.back().start <= iv.start) {
    intervals_.push_back(iv);
    return;
  }
  auto it =
      std::upper_bound(intervals_.begin() + static_cast<std::ptrdiff_t>(head_), intervals_.end(),
                       iv.start, [](std::uint64_t s, const Interval& i) { return s < i.start; });
  intervals_.insert(it, iv);
}

void CommandBus::forget_before(Cycles before) {
  while (head_ < intervals_.size() && intervals_[head_].end <= before.value()) ++head_;
  // Compact once the forgotten prefix dominates; the vector keeps its capacity (no allocation).
  if (head_ >= 64 && head_ * 2 >= intervals_.size()) {
    intervals_.erase(intervals_.begin(), intervals_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
}

void CommandBus::clear() {
  intervals_.clear();
  head_ = 0;
}

}  // namespace hmasim
