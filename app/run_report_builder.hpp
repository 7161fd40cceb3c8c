// Turns a finished accelerator simulation into the plain report the writers print.
#pragma once

#include <string>

#include "core/energy_ledger.hpp"
#include "hw/accelerator.hpp"
#include "mem/lpddr4/lpddr4_energy.hpp"
#include "traces/run_report.hpp"

namespace hmasim {

RunReport build_run_report(const Accelerator& acc, const EnergyLedger& ledger,
                           const std::string& platform, const std::string& workload,
                           const RunOptions& options);

// One `note:` line per memory whose interconnect link, not the memory, limited its bandwidth
// (MemoryReport::limited_by == "link"); empty if there is none. `hmasim run` prints it on stderr.
std::string link_limit_notes(const RunReport& report);

// An LPDDR4's energy per class and rail, as the reports print it.
std::vector<RailEnergy> rail_energies(const Lpddr4RailReport& rails);

}  // namespace hmasim
