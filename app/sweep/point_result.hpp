// The outcome of one point as the results table needs it: ok or failed (with the error's first
// line), the wall time of its `hmasim run`, and its summary.json as flattened scalars and as one
// line of JSON.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace hmasim {

struct PointResult {
  bool ok = false;
  std::string error;       // first line of the failure, empty when ok
  double wall_time_s = 0;  // of the point's process, as the sweep measured it
  // summary.json's scalars, flattened with dotted names ("faults.envm.cells"), in file order;
  // the text as written (numbers exactly as hmasim printed them, strings unquoted).
  std::vector<std::pair<std::string, std::string>> scalars;
  std::string summary_json = "null";  // the whole summary on one line
};

// Reads a summary.json into `r`'s scalars and summary_json. Returns an error message (the file
// is missing, unreadable or not a JSON object), or an empty string.
std::string read_summary(const std::string& file, PointResult& r);

// JSON text without the whitespace between tokens (strings are kept as they are).
std::string compact_json(const std::string& json);

}  // namespace hmasim
