// Writers of a run directory's files. Each file is written whole or not at all
// (core/file_output.hpp), so an interrupted run never leaves a result that looks complete.
#pragma once

#include <string>

#include "traces/run_report.hpp"

namespace hmasim {

// summary.json: the headline figures (docs/user-guide.md explains every key).
std::string summary_json(const RunReport& report);
// layers.csv: one row per executed layer.
std::string layers_csv(const RunReport& report);

// Writes both into `dir` as one run directory, replaced whole (core/file_output.hpp).
void write_run_directory(const RunReport& report, const std::string& dir);

}  // namespace hmasim
