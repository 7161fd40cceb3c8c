// DIR/status/NAME.json: how a point's last run ended, with the hash of the config it ran. A
// resumed sweep skips a point whose status is ok, whose hash is the point's current one and whose
// summary.json exists; a sharded sweep's collect step reads the statuses of every shard.
#pragma once

#include <optional>
#include <string>

#include "app/sweep/sweep_layout.hpp"

namespace hmasim {

struct PointStatus {
  std::string hash;
  bool ok = false;
  std::string error;  // first line of the failure
  int exit_status = 0;
  double wall_time_s = 0;
};

// Written whole (a temporary file renamed over the old one); throws OutputError.
void write_point_status(const SweepLayout& layout, const std::string& name, const PointStatus& s);
// nullopt if there is none, or it cannot be read as a status.
std::optional<PointStatus> read_point_status(const SweepLayout& layout, const std::string& name);

}  // namespace hmasim
