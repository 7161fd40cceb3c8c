// Runs a sweep's points, each as its own `hmasim run` process (the same binary), a fixed number at
// a time. A point's process writes its run directory; its standard output and error go to its
// log. When it ends, its status is written (sweep/point_status) and the caller is told.
#pragma once

#include <csignal>
#include <functional>
#include <string>
#include <vector>

#include "app/sweep/point_status.hpp"
#include "app/sweep/sweep_layout.hpp"
#include "app/sweep/sweep_points.hpp"

namespace hmasim {

struct RunnerOptions {
  std::string exe;  // the hmasim binary
  SweepLayout layout;
  std::string weight_cache;  // passed as `--weight-cache DIR` when not empty
  unsigned jobs = 1;
};

// The `hmasim run` arguments of a point (without the program name).
std::vector<std::string> run_arguments(const SweepPoint& p, const RunnerOptions& options);

// The line that says why a run failed, from its log: the first line that is not empty and not a
// `note:`, at most 300 characters, anything but printable ASCII replaced by '?'.
std::string failure_line(const std::string& log_text);

// Runs plan.points[i] for each i of `todo`, in that order, `options.jobs` at a time, and calls
// `done(i, status)` (in the order they end) after writing each one's status. Once `*stop` is set
// (a signal), no further point starts; those running are waited for. `tick`, if set, is called
// whenever a signal interrupts the wait (a timer's, to redraw progress). Returns how many ran.
std::size_t run_points(const SweepPlan& plan, const std::vector<std::size_t>& todo,
                       const RunnerOptions& options,
                       const std::function<void(std::size_t, const PointStatus&)>& done,
                       const volatile std::sig_atomic_t* stop,
                       const std::function<void()>& tick = {});

}  // namespace hmasim
