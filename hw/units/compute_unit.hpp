// What every compute unit shares (the convolution core, the SDP and the PDP): one tile at a
// time, each starting when its data is in and the unit is done with the previous one; the time
// between is a stall on missing data. The unit's timing and energy per tile are its own (plan
// and charge); this base keeps the busy time, the statistics, the traces (a 2-bit state: 0 idle,
// 1 busy, 2 stalled; a timeline slice per tile) and the done event the controller waits for.
#pragma once

#include <string>
#include <systemc>

#include "core/clock.hpp"
#include "core/trace_sink.hpp"
#include "hw/units/tile_job.hpp"

namespace hmasim {

class ComputeUnit : public sc_core::sc_module {
 public:
  struct Stats {
    std::uint64_t tiles = 0;
    Cycles busy{0};
    Time stalled{0};  // waiting for data while the layer was on
  };
  enum State : std::uint64_t { kIdle = 0, kBusy = 1, kStalled = 2 };

  ComputeUnit(const sc_core::sc_module_name& name, Clock clock);

  // A layer using this unit starts at `start`.
  void begin_layer(Time start);
  // Runs one tile: begins at the clock edge at or after max(job.ready, the previous tile's
  // end) and lasts the unit's cycles for it.
  TileDone run(const TileJob& job);
  // The layer is over at `end`: the unit goes idle, and its done event fires at `end`.
  void end_layer(Time end);
  const sc_core::sc_event& done_event() const { return done_; }

  const Stats& stats() const { return stats_; }
  const Clock& clock() const { return clock_; }
  void set_trace(TraceSink* sink);

 protected:
  struct Work {
    Cycles cycles{0};
    std::uint64_t atomic_ops = 0;
  };
  // The unit's cycles for the tile (energy is charged once its span is known).
  virtual Work plan(const TileJob& job) = 0;
  virtual void charge(const TileJob& job, Time begin, Time end) = 0;

 private:
  Clock clock_;
  Time free_{0};
  Stats stats_;
  sc_core::sc_event done_;
  TraceSink* trace_ = nullptr;
  TraceSink::Id state_signal_ = 0, track_ = 0;
};

}  // namespace hmasim
