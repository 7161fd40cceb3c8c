// A schedule: how often frames come and how many (docs/schedules.md). A YAML file given with
// `hmasim run --schedule S.yaml`, keys overridable as `--set schedule.<key>=...`; `--fps` and
// `--frames` are shorthands for `schedule.fps` and `schedule.frames`:
//
//   fps: 30        # target frame rate: frame k starts at k / fps (or when frame k-1 ends, if
//                  # later: a missed deadline); `max` (default): back to back, as fast as it can
//   frames: 100    # frames to run (default 1); frames / fps at most 1e7 s
//   tasks: [cifar100, gtsrb, ucf101]   # run per frame, in order (default: one pass of the
//                  # network, every layer); names of the network's task heads (`task:` on its
//                  # layers), or any names for a network without heads
//   networks:      # optional: each task a network of its own (then no --workload), paths
//     detect: ../workloads/networks/resnet50.yaml   # relative to this file
//     classify: mobilenetv2.yaml
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
inline constexpr std::size_t kMaxScheduleTasks = 64;  // tasks per frame

struct Schedule {
  std::optional<double> fps;  // nullopt: as fast as possible
  std::uint32_t frames = 1;
  // Tasks run per frame, in order; empty: the network once, every layer (no task switches).
  std::vector<std::string> tasks;
  // Where `tasks` was given ("schedule.tasks (file:line)"), for errors found against the network.
  std::string tasks_where;
  // `networks`: per task, in the order of `tasks`' first mentions, its network file (paths as
  // given, made relative to the schedule's folder). Empty: the run's workload holds every task.
  struct TaskNetwork {
    std::string task;
    std::string file;
  };
  std::vector<TaskNetwork> networks;
  std::string networks_where;  // "schedule.networks (file:line)"
  // The frame period (1 / fps, in whole picoseconds); nullopt at the maximum rate.
  std::optional<Time> period() const;
};

// Parses `file` (empty: no file, only the overrides) with `--set schedule.*` overrides (prefix
// removed). Throws ConfigError with file:line:key diagnostics.
Schedule load_schedule(const std::string& file, const std::vector<std::string>& overrides);
// Whether `file` looks like a schedule: a map with a schedule key (fps, frames, tasks, networks)
// and none of a platform's, a network's or a sweep's. For `hmasim check`.
bool is_schedule_file(const std::string& file);

Schedule load_schedule_text(const std::string& text, const std::string& name,
                            const std::vector<std::string>& overrides);

}  // namespace hmasim
