// A sweep file (docs/sweeps.md) as plain structs: the base platform(s), workload(s) and
// schedule(s), fixed overrides, and the axes whose values make the points. Parsed and checked for
// its own shape in one pass (every problem a file:line:column: key: diagnostic; the schedules are
// read to learn whether they name their tasks' networks, which makes `workload:` wrong); whether
// each override reaches a key of the base files is sweep/override_check's question.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hmasim {

// Where something was written in the sweep file, for diagnostics about it found later.
struct SweepLocation {
  int line = 0;
  int column = 0;
  std::string key;  // dotted path in the sweep file, e.g. "axes[2].values[1]"
};

// A value as `--set` takes it (YAML text), where it was written.
struct SweepValue {
  std::string text;
  SweepLocation at;
};

// The axis keys that are not overrides: they become `hmasim run --seed` and `--frames`.
inline constexpr const char* kSeedAxis = "seed";
inline constexpr const char* kFramesAxis = "frames";
// The implicit axes of a sweep with several base files (their values are file paths).
inline constexpr const char* kPlatformAxis = "platform";
inline constexpr const char* kWorkloadAxis = "workload";
inline constexpr const char* kScheduleAxis = "schedule";

struct SweepAxis {
  std::string key;    // an override key as `--set` takes it, or one of the k*Axis names above
  std::string label;  // prefix of this axis' part of a point name (may be empty)
  std::vector<SweepValue> values;
  SweepLocation at;
};

// One axis, or axes zipped together (all of the same length: the i-th values go together).
struct SweepGroup {
  std::vector<SweepAxis> axes;
  bool zipped = false;
};

// A point matching every entry (its axis takes one of the listed values) is left out.
struct SweepExclusion {
  struct Match {
    std::string key;
    std::vector<SweepValue> values;
  };
  std::vector<Match> match;
  SweepLocation at;
};

// A base file: as written (for tables and names) and as a path from the working directory.
struct SweepFile {
  std::string given;
  std::string path;
  SweepLocation at;
};

// Several base files make axes of their own, outermost first: the workload axis, then the
// platform axis, then the schedule axis (values: the files as written), then the `axes:` of the
// file in order.
struct SweepSpec {
  std::string file;  // the sweep file
  std::string name;  // its `sweep:` key
  std::vector<SweepFile> platforms;
  std::vector<SweepFile> workloads;  // empty when the schedules name their tasks' networks
  std::vector<SweepFile> schedules;  // `schedule:` (optional)
  std::uint64_t seed = 1;
  std::uint64_t frames = 1;
  // With a schedule and no `frames` (top level or axis): the points get no --frames, so the
  // schedule's own frames (or a schedule.frames override) apply; `frames` is then unused.
  bool frames_from_schedule = false;
  std::vector<SweepValue> set;     // fixed "key=value" overrides of every point
  std::vector<SweepGroup> groups;  // outermost first; the last axis varies fastest
  std::vector<SweepExclusion> exclusions;
  // `functional: {inputs: F.npy, labels: L.npy}`: every point runs with --functional and these
  // (paths from the working directory); empty: timing-only runs.
  std::vector<std::string> run_options;
};

// Points of one sweep at most: far beyond any study, small enough that a range with a typo in
// its step is caught before a million runs are planned.
inline constexpr std::size_t kMaxSweepPoints = 100'000;
// Frames of one point (as `hmasim run --frames`).
inline constexpr std::uint64_t kMaxSweepFrames = 1'000'000;

// Loads and checks a sweep file; throws ConfigError listing every problem.
SweepSpec load_sweep(const std::string& file);

// Whether `file` is a sweep file: a YAML map with a top-level `sweep:` key.
bool is_sweep_file(const std::string& file);

// Every axis of `spec`, group by group (the order of the point names' parts and of the columns).
std::vector<const SweepAxis*> all_axes(const SweepSpec& spec);

}  // namespace hmasim
