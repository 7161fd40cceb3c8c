// endurance.csv: eNVM wear over time, one row per block group per report, in report order:
// `memory,frame,time_s,group,writes` (cumulative writes of the group after the frame). Each report
// is a complete snapshot of one memory, so a plot needs no forward fill (pivot on group for a
// heat map, or take the max per (memory, frame) for the most worn group). Rows are written as
// reported: nothing is held.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/units.hpp"
#include "traces/output_stream.hpp"

namespace hmasim {

class EnduranceWriter {
 public:
  // Creates `path` (it must not exist) and writes the header. Throws OutputError.
  explicit EnduranceWriter(const std::string& path);

  void block_writes(const std::string& memory, std::uint32_t frame, Time at,
                    const std::vector<std::uint64_t>& writes_per_group);
  // Closes the file (throws OutputError on a write error). Idempotent.
  void finish();

  std::uint64_t rows() const { return rows_; }
  const std::string& path() const { return out_.path(); }

 private:
  OutputStream out_;
  std::uint64_t rows_ = 0;
  bool finished_ = false;
  std::string text_;
};

}  // namespace hmasim
