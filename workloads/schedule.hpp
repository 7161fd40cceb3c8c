// A schedule: how often frames come and how many (docs/schedules.md). A YAML file given with
// `hmasim run --schedule S.yaml`, keys overridable as `--set schedule.<key>=...`; `--fps` and
// `--frames` are shorthands for `schedule.fps` and `schedule.frames`:
//
//   fps: 30        # target frame rate: frame k starts at k / fps (or when frame k-1 ends, if
//                  # later: a missed deadline); `max` (default): back to back, as fast as it can
//   frames: 100    # frames to run (default 1); frames / fps at most 1e7 s
//
// Between frames the power manager (hw/power_manager.hpp) idles every component that has a
// `power:` block in the platform.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/units.hpp"

namespace hmasim {

inline constexpr const char* kScheduleOverridePrefix = "schedule.";
inline constexpr std::uint32_t kMaxScheduleFrames = 1'000'000;

struct Schedule {
  std::optional<double> fps;  // nullopt: as fast as possible
  std::uint32_t frames = 1;
  // The frame period (1 / fps, in whole picoseconds); nullopt at the maximum rate.
  std::optional<Time> period() const;
};

// Parses `file` (empty: no file, only the overrides) with `--set schedule.*` overrides (prefix
// removed). Throws ConfigError with file:line:key diagnostics.
Schedule load_schedule(const std::string& file, const std::vector<std::string>& overrides);
Schedule load_schedule_text(const std::string& text, const std::string& name,
                            const std::vector<std::string>& overrides);

}  // namespace hmasim
