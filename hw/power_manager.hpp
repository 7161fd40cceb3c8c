// The power manager: between frames it moves every component with a `power:` block (memories,
// and the datapath's units as one domain) into its idle state and wakes it in time for the next
// frame (core/power_config.hpp, docs/schedules.md). Idle time costs no simulation work: a state
// change is two ledger events, not a process.
//
// A component goes idle for a gap only if the gap is at least its wake latency and longer than
// its break-even time. It wakes at (next use - wake latency), paying its wake energy, so it is
// ready exactly when the next frame starts. A memory that loses its contents when off has the
// weights placed in it copied back from its `reload_from` memory before the next frame: the
// copies are what take_reloads() hands to the layer controller, which runs them through the DMA.
#pragma once

#include <array>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/energy_ledger.hpp"
#include "core/power_config.hpp"
#include "core/units.hpp"
#include "mem/memory_target.hpp"

namespace hmasim {

class PowerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A copy of `bytes` from global address `from` to `to` (interconnect addresses).
struct ReloadCopy {
  std::uint64_t from = 0;
  std::uint64_t to = 0;
  std::uint64_t bytes = 0;
};

// A break-even no gap reaches: going idle saves no power.
inline constexpr Time kNeverWorthIt{std::numeric_limits<std::uint64_t>::max()};

struct PowerDomainStats {
  std::string name;
  PowerState idle = PowerState::on;  // its configured idle state
  std::array<Time, 3> time_in{};     // by PowerState, up to finish()
  std::uint64_t idle_periods = 0;    // gaps it spent idle (= wake-ups, but the last may not wake)
  std::uint64_t wakes = 0;
  Energy wake_energy{0.0};
  Time break_even{0};         // as used (kNeverWorthIt: idling saves nothing)
  std::uint64_t reloads = 0;  // wake-ups after which its weights were copied back
  std::uint64_t reload_bytes = 0;
};

class PowerManager {
 public:
  // The datapath's units as one domain: their ledger components (their leakage now is their
  // power while on).
  struct Datapath {
    PowerConfig power;
    std::vector<EnergyLedger::ComponentId> components;
  };

  // `memories`: the accelerator's linked memories. Throws PowerError if a memory's idle state
  // cannot be reached (retention the model does not have).
  PowerManager(std::vector<MemoryTarget*> memories, Datapath datapath, EnergyLedger& ledger);

  // Weights of memory `memory` (index in `memories`) that must be copied back after it was off.
  void add_reload(std::size_t memory, ReloadCopy copy);
  // Whether any component has an idle state other than on.
  bool active() const { return !domains_.empty(); }

  // Every component is on and unused from `from`; the next use starts at `until`, or never
  // (`wake` false: the end of the schedule). Called from the layer controller's thread.
  void idle(Time from, Time until, bool wake = true);
  // The copies to run before the next use (memories that lost their contents), then forgotten.
  std::vector<ReloadCopy> take_reloads();
  // How many times memory `memory` has been off and lost its contents (0: never, or it keeps
  // them): a change means what it held must be brought back.
  std::uint64_t contents_lost(std::size_t memory) const;
  // Closes the time-in-state accounting at the end of the run.
  void finish(Time end);
  const std::vector<PowerDomainStats>& stats() const { return stats_; }

 private:
  struct Domain {
    std::size_t stats;
    MemoryTarget* memory = nullptr;  // nullptr: the datapath
    PowerConfig power;
    std::vector<ReloadCopy> reloads;
    EnergyLedger::ActionId wake_action{};
  };
  Power on_power(const Domain& d) const;
  Power state_power(const Domain& d) const;
  Time wake_latency(const Domain& d) const;
  void enter(Domain& d, Time at);
  void wake(Domain& d, Time at);

  std::vector<Domain> domains_;
  std::vector<PowerDomainStats> stats_;
  std::vector<std::size_t> memory_domain_;  // per memory: its domain, or npos
  std::vector<EnergyLedger::ComponentId> datapath_components_;
  std::vector<Power> datapath_leakage_;
  std::vector<ReloadCopy> pending_;
  EnergyLedger& ledger_;
};

}  // namespace hmasim
