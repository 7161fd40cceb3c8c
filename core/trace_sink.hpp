// What a run's modules report for its traces: waves.vcd (value changes), timeline.json (slices and
// counters on tracks), bandwidth.csv (bytes per window) and endurance.csv (eNVM block writes).
// Power over time (power.csv) comes from the energy ledger instead (EnergyObserver). traces/
// implements this interface; modules see only it, and hold a null TraceSink* when nothing is
// traced, so tracing off costs one branch per report site.
//
// Modules register their signals and tracks once, before simulation, then report at the
// simulated times where things happen. Units compute their timing ahead of SystemC time
// (temporal decoupling), so reports arrive out of time order, but never earlier than the last
// advance(t): writers that need time order (VCD) keep what is later than the watermark and write
// the rest sorted.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/units.hpp"

namespace hmasim {

// How much a timeline shows: layers only, layers and tiles (and weight decode), or every DMA
// burst as well. Value changes (VCD) do not depend on it.
enum class TraceDetail { layer = 0, tile = 1, burst = 2 };

class TraceSink {
 public:
  using Id = std::uint32_t;

  explicit TraceSink(TraceDetail detail) : detail_(detail) {}
  virtual ~TraceSink() = default;
  TraceDetail detail() const { return detail_; }
  bool shows(TraceDetail d) const { return static_cast<int>(detail_) >= static_cast<int>(d); }

  // ---- registration (before simulation; tracks also during it) ----
  // A VCD variable in a dotted scope ("accelerator.cbuf"): an unsigned integer of `bits` bits
  // (1 to 64; 1 is a wire) with initial value 0, or a real (initially 0.0).
  virtual Id integer_signal(const std::string& scope, const std::string& name, unsigned bits) = 0;
  virtual Id real_signal(const std::string& scope, const std::string& name) = 0;
  // A timeline track: thread `name` of process `group` ("accelerator", "memories").
  virtual Id track(const std::string& group, const std::string& name) = 0;
  // Bytes moved, summed per trace window: a VCD integer `name` in `scope` holding each window's
  // bytes, and a column of bandwidth.csv.
  virtual Id byte_counter(const std::string& scope, const std::string& name) = 0;

  // ---- reports (any order, none before the last advance) ----
  // At one time, the value reported last wins (a unit going busy again exactly when it went
  // idle stays busy). Slices of one track must not overlap: core/slice_lanes.hpp spreads
  // overlapping ones (requests in flight) over several tracks.
  virtual void set(Id signal, Time at, std::uint64_t value) = 0;
  virtual void set_real(Id signal, Time at, double value) = 0;
  // A slice [begin, end) named `name` of category `category` ("layer", "tile", "decode",
  // "dma", ...) on `track`.
  virtual void slice(Id track, Time begin, Time end, const std::string& name,
                     const char* category) = 0;
  // A counter sample: from `at` on, `name` on `track` has `value` (a Perfetto counter track).
  virtual void counter(Id track, Time at, const std::string& name, double value) = 0;
  virtual void add_bytes(Id counter, Time at, std::uint64_t bytes) = 0;
  // The cumulative writes of eNVM `memory`'s block groups after `frame`, at time `at`.
  virtual void block_writes(const std::string& memory, std::uint32_t frame, Time at,
                            const std::vector<std::uint64_t>& writes_per_group) = 0;

  // Nothing earlier than `t` will be reported any more: writers may write out up to it.
  virtual void advance(Time t) = 0;

 private:
  TraceDetail detail_;
};

}  // namespace hmasim
