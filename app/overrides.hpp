// `--set key.path=value` overrides of one command, split by what they configure. Platform and
// workload keys have distinct prefixes: `workload.input.h=320` sets the workload's `input.h`;
// `platform.memories.dram.page_policy=closed` or the bare `memories.dram.page_policy=closed` set
// the platform's key; `schedule.fps=30` the schedule's (hmasim run). Every override must reach a
// file the command reads: an override that configures nothing the command loads is an error, never
// silently dropped.
#pragma once

#include <string>
#include <vector>

#include "workloads/network.hpp"
#include "workloads/schedule.hpp"

namespace hmasim {

inline constexpr const char* kWorkloadPrefix = kWorkloadOverridePrefix;
inline constexpr const char* kPlatformPrefix = "platform.";
inline constexpr const char* kSchedulePrefix = kScheduleOverridePrefix;

struct Overrides {
  std::vector<std::string> platform;  // prefix removed
  std::vector<std::string> workload;  // prefix removed
  std::vector<std::string> schedule;  // prefix removed (`schedule.fps=30`)
  std::vector<std::string> errors;    // one message per override that cannot be placed
};

Overrides split_overrides(const std::vector<std::string>& all);

// Prints every error of `o`, and an error for each override kind the command does not read
// (e.g. a workload override given to `replay`), as "hmasim COMMAND: ..." on standard error.
// Returns false if anything was printed.
bool overrides_usable(const std::string& command, const Overrides& o, bool reads_platform,
                      bool reads_workload, bool reads_schedule = false);

}  // namespace hmasim
