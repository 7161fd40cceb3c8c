// Turns a finished accelerator simulation into the plain report the writers print.
#pragma once

#include <string>

#include "core/energy_ledger.hpp"
#include "hw/accelerator.hpp"
#include "traces/run_report.hpp"

namespace hmasim {

RunReport build_run_report(const Accelerator& acc, const EnergyLedger& ledger,
                           const std::string& platform, const std::string& workload,
                           const RunOptions& options);

}  // namespace hmasim
