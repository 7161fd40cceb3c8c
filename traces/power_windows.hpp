// Power over time: the energy ledger's spans binned into trace windows, for power.csv and the VCD
// power signals. A span's energy is spread uniformly over [begin, end): each window gets the share
// of the span it overlaps (an instant goes to the window holding it), so the windows' energies sum
// to exactly what was reported.
//
// Memory is bounded by what lies after the watermark, not by the run: windows are kept sparsely
// (only those a span starts or ends in), and a span's full interior windows are summed by a
// running rate (a difference array), so a long span costs two entries, not one per window.
//
// A span that starts in a window already written (before the watermark: a contract violation)
// keeps its energy: the share before the oldest open window goes into that window, counted in
// late_spans() / moved_energy(). Energy after the run's end goes into the last window.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/units.hpp"
#include "traces/window_grid.hpp"

namespace hmasim {

class PowerWindows {
 public:
  // One complete window. energy[2c] is component c's dynamic energy in it, energy[2c + 1] its
  // static energy, in joules.
  struct Window {
    std::uint64_t index;
    Time start;
    Time length;
    const std::vector<double>& energy;
  };
  using Emit = std::function<void(const Window&)>;

  PowerWindows(Time window, std::size_t components);

  // Component `c` spent `e` over [begin, end) (end <= begin: an instant at begin).
  void add(std::size_t c, bool is_static, Energy e, Time begin, Time end);
  // Emits, in order, every window complete at watermark `t`.
  void advance(Time t, const Emit& emit);
  // Emits the remaining windows of a run ending at `end` (at least the watermark).
  void finish(Time end, const Emit& emit);

  std::size_t components() const { return columns_ / 2; }
  const WindowGrid& grid() const { return grid_; }
  // The first window not yet emitted.
  std::uint64_t next_window() const { return next_; }
  // Windows held (sparse entries): what lies after the watermark.
  std::size_t held() const { return cells_.size(); }
  std::uint64_t late_spans() const { return late_spans_; }
  Energy moved_energy() const { return Energy(moved_); }
  // Energy of a zero-length run (no window to hold it).
  Energy dropped_energy() const { return Energy(dropped_); }
  Energy total_energy() const { return Energy(total_); }

 private:
  struct Cell {
    double direct = 0.0;      // energy of spans starting or ending in this window, and instants
    double delta = 0.0;       // change of the running rate (energy per full window) from here on
    std::int64_t starts = 0;  // spans whose full windows begin (+1) or end (-1) here
  };
  std::vector<Cell>& cells(std::uint64_t k);
  // Computes window k's energies into energy_ from its cell (if any) and the running rates.
  void step(std::uint64_t k);
  // Adds the energies of every window from `from` on to `sum`, emptying cells_.
  void drain_into(std::vector<double>& sum, std::uint64_t from);

  WindowGrid grid_;
  std::size_t columns_;
  std::map<std::uint64_t, std::vector<Cell>> cells_;
  std::vector<double> rate_;
  std::vector<std::int64_t> active_;  // spans covering the current window whole: rate_ is 0 at 0
  std::vector<double> energy_;
  std::uint64_t next_ = 0;
  Time watermark_{0};
  std::uint64_t late_spans_ = 0;
  double moved_ = 0.0;
  double dropped_ = 0.0;
  double total_ = 0.0;
};

// power.csv: `start_s`, then `<name>_dynamic_w` and `<name>_static_w` per component, `total_w`.
std::string power_csv_header(const std::vector<std::string>& components);
std::string power_csv_row(const PowerWindows::Window& w);

}  // namespace hmasim
