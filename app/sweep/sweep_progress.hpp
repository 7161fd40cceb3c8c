// What a running sweep says on standard error: on a terminal, one line redrawn in place (points
// done of total, failures, elapsed and estimated remaining time); otherwise a line per finished
// point (for logs and Slurm's output files).
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace hmasim {

class SweepProgress {
 public:
  // `total` points to run now (after skipping), `skipped` reused as unchanged.
  SweepProgress(std::size_t total, std::size_t skipped, std::FILE* out = stderr);
  void point_done(const std::string& name, bool ok, const std::string& error, double wall_s);
  // Clears the terminal line (the caller then prints the summary).
  void finish();
  // Redraws the terminal line (elapsed time moves on while points run); nothing otherwise.
  void tick() {
    if (tty_) redraw();
  }
  bool on_terminal() const { return tty_; }
  std::size_t failed() const { return failed_; }

  // "1:05:09", "2:03" or "7s".
  static std::string duration(double seconds);

 private:
  void redraw();

  std::size_t total_, done_ = 0, failed_ = 0;
  std::FILE* out_;
  bool tty_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace hmasim
