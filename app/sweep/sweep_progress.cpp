#include "app/sweep/sweep_progress.hpp"

#include <unistd.h>

#include <cmath>

namespace hmasim {

SweepProgress::SweepProgress(std::size_t total, std::size_t skipped, std::FILE* out)
    : total_(total), out_(out), tty_(isatty(fileno(out)) != 0) {
  if (skipped > 0) {
    std::fprintf(out_, "sweep: %zu point%s unchanged since the last run, not run again\n", skipped,
                 skipped == 1 ? "" : "s");
  }
  if (tty_) redraw();
}

std::string SweepProgress::duration(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  char text[32];
  if (s >= 3600) {
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  } else if (s >= 60) {
    std::snprintf(text, sizeof text, "%ld:%02ld", s / 60, s % 60);
  } else {
    std::snprintf(text, sizeof text, "%lds", s);
  }
  return text;
}

void SweepProgress::redraw() {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string eta = "?";
  if (done_ > 0) eta = duration(elapsed / static_cast<double>(done_) * (total_ - done_));
  std::fprintf(out_, "\r\033[K[%zu/%zu] %zu failed, elapsed %s, about %s left", done_, total_,
               failed_, duration(elapsed).c_str(), done_ == total_ ? "0s" : eta.c_str());
  std::fflush(out_);
}

void SweepProgress::point_done(const std::string& name, bool ok, const std::string& error,
                               double wall_s) {
  ++done_;
  failed_ += ok ? 0 : 1;
  if (tty_) {
    if (!ok) std::fprintf(out_, "\r\033[Kfailed: %s: %s\n", name.c_str(), error.c_str());
    redraw();
    return;
  }
  if (ok) {
    std::fprintf(out_, "[%zu/%zu] ok %s (%.2f s)\n", done_, total_, name.c_str(), wall_s);
  } else {
    std::fprintf(out_, "[%zu/%zu] FAILED %s: %s\n", done_, total_, name.c_str(), error.c_str());
  }
  std::fflush(out_);
}

void SweepProgress::finish() {
  if (tty_) {
    std::fprintf(out_, "\r\033[K");
    std::fflush(out_);
  }
}

}  // namespace hmasim
