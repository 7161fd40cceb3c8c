#include "workloads/schedule.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/config_node.hpp"
#include "core/yaml_source.hpp"

namespace hmasim {

namespace {

constexpr double kMaxFps = 1e6;
constexpr double kMaxScheduleSeconds = 1e7;

// `tasks`: a YAML list of names, or (from `--set schedule.tasks=a,b`) one comma-separated string.
void read_tasks(const ConfigNode& root, Schedule& s) {
  if (!root.has("tasks")) return;
  // As the user wrote it: `--set schedule.tasks`, or the file's key (the prefix is the file's).
  s.tasks_where = root.from_command_line("tasks") ? "--set schedule.tasks" : root.where("tasks");
  const YAML::Node list = root.raw("tasks");
  std::vector<std::string> names;
  if (list.IsScalar()) {
    std::string text = list.Scalar();
    std::size_t from = 0;
    while (from <= text.size()) {
      const std::size_t comma = std::min(text.find(',', from), text.size());
      std::string name = text.substr(from, comma - from);
      name.erase(0, name.find_first_not_of(" \t"));
      name.erase(name.find_last_not_of(" \t") + 1);
      names.push_back(name);
      from = comma + 1;
    }
  } else if (list.IsSequence()) {
    for (const YAML::Node& item : list) {
      if (!item.IsScalar()) {
        root.error("tasks", "expected a list of task names, e.g. [mnli, mrpc, qnli]");
        return;
      }
      names.push_back(item.Scalar());
    }
  } else {
    root.error("tasks", "expected a list of task names, e.g. [mnli, mrpc, qnli]");
    return;
  }
  if (!root.require(!names.empty() && names.size() <= kMaxScheduleTasks, "tasks",
                    "expected 1 to " + std::to_string(kMaxScheduleTasks) + " task names")) {
    return;
  }
  for (const std::string& n : names) {
    if (!root.require(!n.empty() && n.size() <= 256, "tasks",
                      "a task name must be 1 to 256 characters")) {
      return;
    }
  }
  s.tasks = std::move(names);
}

// `networks`: a map of task name -> network file; every task of `tasks` has one, and every one
// names a task of `tasks`.
void read_networks(const ConfigNode& root, Schedule& s) {
  if (!root.has("networks")) return;
  s.networks_where = root.where("networks");
  if (!root.raw("networks").IsMap()) {
    root.error("networks", "expected a map of task name to network file, e.g. {detect: a.yaml}");
    return;
  }
  const ConfigNode map = root.child("networks");
  if (s.tasks.empty()) {
    root.error("networks", "names each task's network: give the tasks too (schedule.tasks)");
    return;
  }
  const std::string& file = root.document().file();
  std::vector<std::string> seen;
  for (const std::string& task : s.tasks) {
    if (std::find(seen.begin(), seen.end(), task) != seen.end()) continue;
    seen.push_back(task);
    if (!map.has(task)) {
      root.error("networks", "task '" + task + "' of schedule.tasks has no network here");
      continue;
    }
    const std::string path = map.get<std::string>(task);
    if (!map.require(!path.empty(), task, "expected the path of a network YAML file")) continue;
    const std::filesystem::path f(path);
    const bool relative = !f.is_absolute() && !file.empty() && !map.from_command_line(task);
    s.networks.push_back(
        {task, relative ? (std::filesystem::path(file).parent_path() / f).string() : path});
  }
  for (const std::string& key : map.keys()) {
    if (std::find(seen.begin(), seen.end(), key) == seen.end()) {
      map.error(key, "is not a task of the schedule's " + s.tasks_where);
    }
  }
}

Schedule load_document(std::unique_ptr<ConfigDocument> doc) {
  Schedule s;
  if (doc->parsed()) {
    ConfigNode root = doc->root();
    if (root.has("fps")) {
      const std::string text = root.get<std::string>("fps");
      if (text != "max") {
        const auto fps = root.find<double>("fps");
        if (fps && root.require(std::isfinite(*fps) && *fps > 0 && *fps <= kMaxFps, "fps",
                                "must be a frame rate above 0 and at most 1e6, or max")) {
          s.fps = *fps;
        }
      }
    }
    const auto frames = root.get<std::uint64_t>("frames", 1);
    if (root.require(frames >= 1 && frames <= kMaxScheduleFrames, "frames",
                     "must be 1 to " + std::to_string(kMaxScheduleFrames))) {
      s.frames = static_cast<std::uint32_t>(frames);
    }
    read_tasks(root, s);
    read_networks(root, s);
    // Simulated time is counted in picoseconds in 64 bits: about 213 days.
    if (s.fps && static_cast<double>(s.frames) / *s.fps > kMaxScheduleSeconds) {
      root.error(root.has("fps") ? "fps" : "frames",
                 "frames / fps = " + std::to_string(static_cast<double>(s.frames) / *s.fps) +
                     " s: a schedule may last at most 1e7 s");
      s.fps.reset();
    }
  }
  doc->finish();
  return s;
}

}  // namespace

std::optional<Time> Schedule::period() const {
  if (!fps) return std::nullopt;
  return Time(static_cast<std::uint64_t>(std::llround(1e12 / *fps)));
}

Schedule load_schedule(const std::string& file, const std::vector<std::string>& overrides) {
  if (file.empty()) return load_schedule_text("{}", "<schedule>", overrides);
  return load_document(ConfigDocument::load_file(file, overrides, kScheduleOverridePrefix));
}

Schedule load_schedule_text(const std::string& text, const std::string& name,
                            const std::vector<std::string>& overrides) {
  return load_document(ConfigDocument::load_string(text, name, overrides, kScheduleOverridePrefix));
}

bool is_schedule_file(const std::string& file) {
  const YAML::Node root = peek_yaml_map(file);
  if (!root.IsDefined() || root["memories"] || root["layers"] || root["sweep"]) return false;
  return root["fps"] || root["frames"] || root["tasks"] || root["networks"];
}

}  // namespace hmasim
