// The trace windows (--window, default 10 us): window k covers [k*width, (k+1)*width), the last
// one ends at the run's end. A window is complete, and written, once the watermark has passed
// its end strictly, so that a report exactly at the watermark can still land in it.
#pragma once

#include <cstdint>
#include <stdexcept>

#include "core/units.hpp"

namespace hmasim {

class WindowGrid {
 public:
  explicit WindowGrid(Time width) : width_(width.value()) {
    if (width_ == 0) throw std::invalid_argument("the trace window must be longer than 0 ps");
  }
  Time width() const { return Time(width_); }
  std::uint64_t index(Time t) const { return t.value() / width_; }
  Time start(std::uint64_t k) const { return Time(k * width_); }
  // How many windows are complete at watermark `t`: those ending before `t`.
  std::uint64_t complete_at(Time t) const { return t.value() == 0 ? 0 : (t.value() - 1) / width_; }
  // How many windows a run ending at `end` has (the last one may be shorter).
  std::uint64_t count(Time end) const { return (end.value() + width_ - 1) / width_; }
  // Length of window k of a run ending at `end` (k < count(end)).
  Time length(std::uint64_t k, Time end) const {
    const std::uint64_t s = k * width_;
    return Time(end.value() - s < width_ ? end.value() - s : width_);
  }

 private:
  std::uint64_t width_;
};

}  // namespace hmasim
