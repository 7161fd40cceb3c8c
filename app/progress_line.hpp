// A long run's progress on a terminal: frames done, simulated time, wall time and an estimate of
// what is left, rewritten in place on standard error at most four times a second. Only when
// standard error is a terminal (a log file or a pipe gets nothing) and the run has frames to count.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>

#include "core/units.hpp"

namespace hmasim {

class ProgressLine {
 public:
  // `out` must be a terminal for anything to be shown (`enabled` false: never shows).
  ProgressLine(std::ostream& out, std::uint32_t frames, bool enabled);
  ~ProgressLine();  // clears the line
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // After frame `frame` (0-based) ended at simulated time `at`.
  void frame_done(std::uint32_t frame, Time at);

 private:
  std::ostream& out_;
  std::uint32_t frames_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace hmasim
