#include "app/progress_line.hpp"

#include <cstdio>
#include <ostream>

namespace hmasim {

namespace {
constexpr std::chrono::milliseconds kInterval{250};
}

ProgressLine::ProgressLine(std::ostream& out, std::uint32_t frames, bool enabled)
    : out_(out),
      frames_(frames),
      enabled_(enabled && frames > 1),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

ProgressLine::~ProgressLine() {
  if (shown_) out_ << "\r\033[K" << std::flush;
}

void ProgressLine::frame_done(std::uint32_t frame, Time at) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < kInterval) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double done = frame + 1.0;
  const double left = elapsed / done * (frames_ - done);
  char line[160];
  std::snprintf(line, sizeof line, "frame %u/%u, simulated %.6g s, wall %.1f s, ~%.0f s left",
                frame + 1, frames_, to_seconds(at), elapsed, left);
  out_ << "\r\033[K" << line << std::flush;
  shown_ = true;
}

}  // namespace hmasim
