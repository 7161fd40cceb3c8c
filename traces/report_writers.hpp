// Writers of a run directory's files. Each file is written whole or not at all
// (core/file_output.hpp), so an interrupted run never leaves a result that looks complete.
#pragma once

#include <string>

#include "core/file_output.hpp"
#include "core/json_writer.hpp"
#include "traces/run_report.hpp"

namespace hmasim {

// summary.json: the headline figures (docs/user-guide.md explains every key).
std::string summary_json(const RunReport& report);
// `energy_core_j`, `energy_io_j` (the sums) and `energy_by_rail_j` (per class {core, io}).
void write_energy_by_rail(JsonWriter& j, const std::vector<RailEnergy>& rails);
// layers.csv: one row per executed layer.
std::string layers_csv(const RunReport& report);

// Adds both to a run directory being staged (with traces streamed beside them), or writes them
// as the whole of `dir`, replaced in one swap (core/file_output.hpp).
void add_run_files(const RunReport& report, StagedDirectory& dir);
void write_run_directory(const RunReport& report, const std::string& dir);

}  // namespace hmasim
