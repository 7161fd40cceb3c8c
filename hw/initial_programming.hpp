// The eNVMs' initial programming, simulated and reported apart from the run. Before the first
// frame the weights are put into their memories untimed (debug writes), so that every run starts
// from a programmed chip; this module times that programming as it would happen: on a copy of
// the eNVM model (same config, own energy ledger), every byte the weights occupy there is written
// in DMA-sized requests through the model's program-and-verify path, all offered at time 0 (the
// host's stream is not the limit: the banks and their write sequences are). The run's own
// memories, endurance counters and energy are untouched. MaxNVM Table 5's write times are a
// check on it (docs/schedules.md).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/energy_ledger.hpp"
#include "core/tlm_initiator.hpp"
#include "hw/placement.hpp"
#include "mem/memory_system.hpp"
#include "mem/memory_target.hpp"

namespace hmasim {

struct ProgrammingResult {
  std::string memory;
  std::uint64_t bytes = 0;     // written (the weight regions, whole 256 B)
  std::uint64_t requests = 0;  // write requests of at most `request_bytes`
  Time time{0};                // from the first request to the last completion
  Energy energy{0.0};          // of the copy: its writes, and its static power over `time`
};

class InitialProgramming : public TlmInitiator {
 public:
  SC_HAS_PROCESS(InitialProgramming);
  // `spec`: the eNVM's config; `source`: the run's memory, read (debug) for the bytes of
  // `regions` (its weight regions); `request_bytes`: the size of one write request.
  InitialProgramming(const sc_core::sc_module_name& name, const MemorySpec& spec,
                     MemoryTarget& source, std::vector<Region> regions,
                     std::uint64_t request_bytes);

  // After the simulation: done() says whether it finished, error() why not.
  const ProgrammingResult& result() const { return result_; }
  bool done() const { return done_; }
  const std::string& error() const { return error_; }

 private:
  void run();
  void program();

  EnergyLedger ledger_;  // the copy's: the run's energy does not include the programming
  std::unique_ptr<MemoryTarget> copy_;
  MemoryTarget& source_;
  std::vector<Region> regions_;
  std::uint64_t request_bytes_;
  ProgrammingResult result_;
  bool done_ = false;
  std::string error_;
};

}  // namespace hmasim
