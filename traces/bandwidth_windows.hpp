// Memory bandwidth over time: byte counters summed per trace window, for bandwidth.csv and the
// VCD byte signals. Windows are kept sparsely (only those with bytes), so memory is bounded by
// what lies after the watermark. Bytes reported in a window already written (before the
// watermark: a contract violation) go into the oldest open window, counted in late_reports();
// bytes after the run's end go into the last window.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/units.hpp"
#include "traces/window_grid.hpp"

namespace hmasim {

class BandwidthWindows {
 public:
  // One complete window: bytes[i] is counter i's bytes in it.
  struct Window {
    std::uint64_t index;
    Time start;
    Time length;
    const std::vector<std::uint64_t>& bytes;
  };
  using Emit = std::function<void(const Window&)>;

  explicit BandwidthWindows(Time window) : grid_(window) {}

  // A new counter (before the first window is emitted); returns its index.
  std::size_t add_counter();
  void add(std::size_t counter, Time at, std::uint64_t bytes);
  // Emits, in order, every window complete at watermark `t`.
  void advance(Time t, const Emit& emit);
  // Emits the remaining windows of a run ending at `end` (at least the watermark).
  void finish(Time end, const Emit& emit);

  std::size_t counters() const { return counters_; }
  const WindowGrid& grid() const { return grid_; }
  std::uint64_t next_window() const { return next_; }
  std::size_t held() const { return cells_.size(); }
  std::uint64_t late_reports() const { return late_; }
  std::uint64_t total_bytes() const { return total_; }

 private:
  void take(std::uint64_t k);  // bytes_ := window k's bytes

  WindowGrid grid_;
  std::size_t counters_ = 0;
  std::map<std::uint64_t, std::vector<std::uint64_t>> cells_;
  std::vector<std::uint64_t> bytes_;
  std::uint64_t next_ = 0;
  Time watermark_{0};
  std::uint64_t late_ = 0;
  std::uint64_t total_ = 0;
};

// bandwidth.csv: `start_s`, then `<name>_bytes` and `<name>_gbps` (10^9 bytes per second) per
// counter.
std::string bandwidth_csv_header(const std::vector<std::string>& counters);
std::string bandwidth_csv_row(const BandwidthWindows::Window& w);

}  // namespace hmasim
