// Busy wires of a banked model's traces (SRAM, eNVM): one 1-bit signal "bank<i>_busy" per bank,
// 1 while an access occupies the bank. A model reports each occupancy of a request with occupy()
// and closes the request with end_request(); occupancies of one bank that follow each other
// without a gap are reported as one interval, so a pipelined stream is not a wire toggling every
// cycle. Between requests, an interval that starts where the last one ended reports 1 at the
// time the last one reported 0: at one time the change reported last wins (the VCD writer's
// rule, traces/vcd_writer.hpp), so the wire stays high.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/trace_sink.hpp"
#include "core/units.hpp"

namespace hmasim {

class BankBusyTrace {
 public:
  // Registers the wires in `scope` (nullptr: off).
  void attach(TraceSink* sink, const std::string& scope, std::size_t banks, const Clock& clock) {
    sink_ = sink;
    clock_ = clock;
    signals_.clear();
    runs_.assign(sink ? banks : 0, Run{});
    touched_.clear();
    if (!sink) return;
    for (std::size_t b = 0; b < banks; ++b) {
      signals_.push_back(sink->integer_signal(scope, "bank" + std::to_string(b) + "_busy", 1));
    }
  }
  bool on() const { return sink_ != nullptr; }

  // `bank` is busy for `cycles` from `start` (one access of the current request).
  void occupy(std::size_t bank, Cycles start, Cycles cycles) {
    Run& r = runs_[bank];
    if (r.open && r.end == start) {
      r.end = start + cycles;
      return;
    }
    if (r.open) {
      report(bank);
    } else {
      touched_.push_back(bank);
    }
    r = Run{start, start + cycles, true};
  }
  // Reports the request's intervals.
  void end_request() {
    for (std::size_t b : touched_) {
      report(b);
      runs_[b].open = false;
    }
    touched_.clear();
  }

 private:
  struct Run {
    Cycles begin{0};
    Cycles end{0};
    bool open = false;
  };
  void report(std::size_t bank) {
    const Run& r = runs_[bank];
    sink_->set(signals_[bank], clock_.time_of(r.begin), 1);
    sink_->set(signals_[bank], clock_.time_of(r.end), 0);
  }

  TraceSink* sink_ = nullptr;
  Clock clock_;
  std::vector<TraceSink::Id> signals_;
  std::vector<Run> runs_;             // per bank: the current request's open interval
  std::vector<std::size_t> touched_;  // banks with an open interval
};

}  // namespace hmasim
