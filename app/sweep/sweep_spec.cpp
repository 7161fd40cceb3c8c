#include "app/sweep/sweep_spec.hpp"

#include <filesystem>
#include <map>

#include "app/overrides.hpp"
#include "app/sweep/axis_range.hpp"
#include "core/config_node.hpp"
#include "core/yaml_source.hpp"
#include "workloads/npy_file.hpp"
#include "workloads/schedule.hpp"

namespace hmasim {

namespace fs = std::filesystem;

namespace {

// Reads the parts of a sweep file that the ConfigDocument does not walk (lists of maps with
// dotted keys), reporting into the same diagnostics as the document.
class SweepReader {
 public:
  explicit SweepReader(std::string file) : file_(std::move(file)) {}

  SweepLocation at(const YAML::Node& n, const std::string& key) const {
    SweepLocation l;
    l.key = key;
    if (n.IsDefined()) {
      l.line = n.Mark().line + 1;
      l.column = n.Mark().column + 1;
    }
    return l;
  }
  void error(const YAML::Node& n, const std::string& key, const std::string& message) {
    const SweepLocation l = at(n, key);
    errors_.push_back({file_, l.line, l.column, key, message});
  }
  void error(const SweepLocation& l, const std::string& message) {
    errors_.push_back({file_, l.line, l.column, l.key, message});
  }
  std::vector<Diagnostic>& errors() { return errors_; }

  // A value as `--set` takes it: a scalar's text, or a list or map in YAML flow style.
  std::optional<SweepValue> value(const YAML::Node& n, const std::string& key) {
    if (!n.IsDefined() || n.IsNull()) {
      error(n, key, "expected a value, got nothing");
      return std::nullopt;
    }
    SweepValue v;
    v.at = at(n, key);
    if (n.IsScalar()) {
      v.text = n.Scalar();
    } else {
      YAML::Emitter e;
      e << YAML::Flow << n;
      v.text = e.c_str();
    }
    return v;
  }

  // Keys of a map item other than `allowed` are errors (a typo must not pass silently).
  void unknown_keys(const YAML::Node& map, const std::string& path,
                    const std::vector<std::string>& allowed) {
    for (const auto& kv : map) {
      const std::string k = kv.first.Scalar();
      if (k == "source") continue;
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        error(kv.first, path + "." + k,
              "unknown key '" + k + "' (expected one of: " + comma_separated(allowed) + ")");
      }
    }
  }

 private:
  std::string file_;
  std::vector<Diagnostic> errors_;
};

// The key an override sets, with the optional `platform.` prefix removed: `platform.x` and `x`
// are the same key; `schedule.frames` is what `frames` sets (hmasim run --frames).
std::string canonical_key(const std::string& key) {
  const std::string p = kPlatformPrefix;
  if (key == std::string(kSchedulePrefix) + kFramesAxis) return kFramesAxis;
  return key.compare(0, p.size(), p) == 0 ? key.substr(p.size()) : key;
}

bool has_prefix(const std::string& key, const char* prefix) {
  return key.rfind(prefix, 0) == 0;
}

// `functional:` {inputs: F.npy, labels: L.npy (optional)}: the points' --functional options.
// Without frames given, a point runs one frame per image, as hmasim run does.
void read_functional(SweepReader& r, const YAML::Node& n, const std::string& sweep_file,
                     bool frames_given, SweepSpec& spec) {
  if (!n.IsDefined()) return;
  if (!n.IsMap()) {
    r.error(n, "functional", "expected a map: {inputs: IMAGES.npy, labels: LABELS.npy}");
    return;
  }
  const fs::path base = fs::path(sweep_file).parent_path();
  spec.run_options = {"--functional"};
  std::uint64_t images = 0;
  for (const auto& kv : n) {
    const std::string key = kv.first.Scalar();
    const std::string path = "functional." + key;
    if (key != "inputs" && key != "labels") {
      r.error(kv.first, path, "unknown key '" + key + "' (expected one of: inputs, labels)");
      continue;
    }
    if (!kv.second.IsScalar() || kv.second.Scalar().empty()) {
      r.error(kv.second, path, "expected a .npy file name");
      continue;
    }
    const std::string given = kv.second.Scalar();
    const std::string file = fs::path(given).is_absolute() ? given : (base / given).string();
    try {
      const Npy8Array a = read_npy8(file);
      if (key == "inputs") images = a.shape.empty() ? 0 : a.shape[0];
    } catch (const NpyError& e) {
      r.error(kv.second, path, e.what());
      continue;
    }
    spec.run_options.push_back("--" + key);
    spec.run_options.push_back(file);
  }
  if (!n["inputs"]) r.error(n, "functional", "missing required key 'inputs' (the images)");
  if (!frames_given && images > 0) spec.frames = std::min<std::uint64_t>(images, kMaxSweepFrames);
}

bool is_run_option_axis(const std::string& key) {
  return key == kSeedAxis || key == kFramesAxis;
}

// "seed" and "frames" values are integers as the command line takes them.
void check_run_option_value(SweepReader& r, const std::string& key, const SweepValue& v) {
  const std::uint64_t max = key == kSeedAxis ? UINT64_MAX : kMaxSweepFrames;
  const std::uint64_t min = key == kSeedAxis ? 0 : 1;
  if (!parse_decimal(v.text, min, max)) {
    r.error(v.at, "'" + v.text + "' is not a whole number from " + std::to_string(min) + " to " +
                      std::to_string(max) + " (a " + key + ")");
  }
}

std::optional<SweepAxis> read_axis(SweepReader& r, const YAML::Node& item,
                                   const std::string& path) {
  if (!item.IsMap()) {
    r.error(item, path,
            "expected an axis ({key: K, values: [...]} or {key: K, range: {from: A, to: B}}) or "
            "{zip: [axes...]}");
    return std::nullopt;
  }
  r.unknown_keys(item, path, {"key", "values", "range", "label"});
  SweepAxis a;
  a.at = r.at(item, path);
  const YAML::Node key = item["key"];
  if (!key.IsDefined() || !key.IsScalar() || key.Scalar().empty()) {
    r.error(key.IsDefined() ? key : item, path + ".key",
            "expected the key this axis sets (an override key such as "
            "storage.encoding or workload.input.h, or seed or frames)");
    return std::nullopt;
  }
  a.key = key.Scalar();
  a.at = r.at(key, path + ".key");
  // Bare numbers name nothing: the run options get their name in front.
  if (a.key == kSeedAxis) a.label = "seed";
  if (a.key == kFramesAxis) a.label = "frames";
  if (a.key == kPlatformAxis || a.key == kWorkloadAxis || a.key == kScheduleAxis) {
    r.error(key, path + ".key",
            "list the base files in the top-level '" + a.key +
                ":' key (several files make an "
                "axis of their own)");
    return std::nullopt;
  }
  if (item["label"]) {
    if (!item["label"].IsScalar()) {
      r.error(item["label"], path + ".label", "expected a short text to prefix point names with");
    } else {
      a.label = item["label"].Scalar();
    }
  }
  const YAML::Node values = item["values"];
  const YAML::Node range = item["range"];
  if (values.IsDefined() == range.IsDefined()) {
    r.error(item, path, "an axis takes either values: [...] or range: {from:, to:, step:}");
    return std::nullopt;
  }
  if (values.IsDefined()) {
    if (!values.IsSequence() || values.size() == 0) {
      r.error(values, path + ".values", "expected a non-empty list of values");
      return std::nullopt;
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (auto v = r.value(values[i], path + ".values[" + std::to_string(i) + "]")) {
        a.values.push_back(*v);
      }
    }
  } else {
    const std::string rp = path + ".range";
    if (!range.IsMap()) {
      r.error(range, rp, "expected {from: A, to: B, step: S} (step defaults to 1)");
      return std::nullopt;
    }
    r.unknown_keys(range, rp, {"from", "to", "step"});
    std::string why;
    // (A missing key of a const node is invalid: ask IsDefined() before anything else.)
    const auto text = [&](const char* k, const char* fallback) {
      const YAML::Node v = range[k];
      return v.IsDefined() && v.IsScalar() ? v.Scalar() : std::string(fallback);
    };
    const auto texts =
        expand_range(text("from", ""), text("to", ""), text("step", "1"), kMaxSweepPoints, why);
    if (!texts) {
      r.error(range, rp, why);
      return std::nullopt;
    }
    for (const std::string& t : *texts) a.values.push_back({t, r.at(range, rp)});
  }
  if (is_run_option_axis(a.key)) {
    for (const SweepValue& v : a.values) check_run_option_value(r, a.key, v);
  } else {
    const Overrides o =
        split_overrides({a.key + "=" + (a.values.empty() ? "" : a.values.front().text)});
    for (const std::string& e : o.errors) r.error(a.at, e);
  }
  return a;
}

// No two points of a group may be the same: a value (or, zipped, a tuple of values) twice.
void check_distinct_values(SweepReader& r, const SweepGroup& g) {
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < g.axes.front().values.size(); ++i) {
    std::string tuple;
    for (const SweepAxis& a : g.axes) tuple += (tuple.empty() ? "" : ", ") + a.values[i].text;
    const auto [it, fresh] = seen.emplace(tuple, i);
    if (!fresh) {
      const SweepValue& first = g.axes.front().values[it->second];
      r.error(g.axes.front().values[i].at,
              std::string(g.zipped ? "values (" : "value '") + tuple + (g.zipped ? ")" : "'") +
                  " listed twice (also at line " + std::to_string(first.at.line) + ")");
    }
  }
}

void read_axes(SweepReader& r, const YAML::Node& list, SweepSpec& spec) {
  if (!list.IsDefined() || list.IsNull()) return;
  if (!list.IsSequence()) {
    r.error(list, "axes", "expected a list of axes");
    return;
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = "axes[" + std::to_string(i) + "]";
    const YAML::Node item = list[i];
    SweepGroup g;
    if (item.IsMap() && item["zip"].IsDefined()) {
      r.unknown_keys(item, path, {"zip"});
      const YAML::Node zip = item["zip"];
      if (!zip.IsSequence() || zip.size() < 2) {
        r.error(zip, path + ".zip", "expected a list of at least two axes that vary together");
        continue;
      }
      g.zipped = true;
      for (std::size_t j = 0; j < zip.size(); ++j) {
        if (auto a = read_axis(r, zip[j], path + ".zip[" + std::to_string(j) + "]")) {
          g.axes.push_back(std::move(*a));
        }
      }
      if (g.axes.size() != zip.size()) continue;
      bool same_length = true;
      for (const SweepAxis& a : g.axes) {
        if (a.values.size() != g.axes.front().values.size()) {
          same_length = false;
          r.error(a.at, "zipped axes need the same number of values: " + g.axes.front().key +
                            " has " + std::to_string(g.axes.front().values.size()) + ", " + a.key +
                            " has " + std::to_string(a.values.size()));
        }
      }
      if (!same_length) continue;
    } else if (auto a = read_axis(r, item, path)) {
      g.axes.push_back(std::move(*a));
    } else {
      continue;
    }
    check_distinct_values(r, g);
    spec.groups.push_back(std::move(g));
  }
}

void read_exclusions(SweepReader& r, const YAML::Node& list, SweepSpec& spec) {
  if (!list.IsDefined() || list.IsNull()) return;
  if (!list.IsSequence()) {
    r.error(list, "exclude", "expected a list of {axis key: value or [values], ...} maps");
    return;
  }
  std::map<std::string, const SweepAxis*> axes;
  for (const SweepAxis* a : all_axes(spec)) axes[a->key] = a;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = "exclude[" + std::to_string(i) + "]";
    const YAML::Node item = list[i];
    if (!item.IsMap() || item.size() == 0) {
      r.error(item, path, "expected a map {axis key: value or [values], ...}");
      continue;
    }
    SweepExclusion x;
    x.at = r.at(item, path);
    for (const auto& kv : item) {
      const std::string key = kv.first.Scalar();
      const std::string kp = path + "." + key;
      const auto axis = axes.find(key);
      if (axis == axes.end()) {
        r.error(kv.first, kp, "'" + key + "' is not an axis of this sweep");
        continue;
      }
      SweepExclusion::Match m;
      m.key = key;
      const YAML::Node vs = kv.second;
      const std::size_t n = vs.IsSequence() ? vs.size() : 1;
      for (std::size_t j = 0; j < n; ++j) {
        const YAML::Node v = vs.IsSequence() ? vs[j] : vs;
        auto value = r.value(v, vs.IsSequence() ? kp + "[" + std::to_string(j) + "]" : kp);
        if (!value) continue;
        const auto& av = axis->second->values;
        if (std::none_of(av.begin(), av.end(),
                         [&](const SweepValue& a) { return a.text == value->text; })) {
          r.error(value->at, "'" + value->text + "' is not a value of axis " + key);
          continue;
        }
        m.values.push_back(*value);
      }
      if (!m.values.empty()) x.match.push_back(std::move(m));
    }
    if (x.match.size() == item.size()) spec.exclusions.push_back(std::move(x));
  }
}

// `platform:`, `workload:` or `schedule:`: one file or a list; relative paths are from the sweep
// file's folder. `missing`: what to say without it.
std::vector<SweepFile> read_files(SweepReader& r, const YAML::Node& n, const std::string& key,
                                  const std::string& sweep_file,
                                  const std::string& missing = "a file, or a list of files") {
  std::vector<SweepFile> out;
  if (!n.IsDefined() || n.IsNull()) {
    r.error(n, key, "missing required key '" + key + "' (" + missing + ")");
    return out;
  }
  const std::size_t count = n.IsSequence() ? n.size() : 1;
  if (n.IsSequence() && count == 0) r.error(n, key, "expected at least one file");
  const fs::path base = fs::path(sweep_file).parent_path();
  for (std::size_t i = 0; i < count; ++i) {
    const YAML::Node f = n.IsSequence() ? n[i] : n;
    const std::string path = n.IsSequence() ? key + "[" + std::to_string(i) + "]" : key;
    if (!f.IsScalar() || f.Scalar().empty()) {
      r.error(f, path, "expected a file name");
      continue;
    }
    SweepFile file;
    file.given = f.Scalar();
    file.path = fs::path(file.given).is_absolute() ? file.given : (base / file.given).string();
    file.at = r.at(f, path);
    for (const SweepFile& other : out) {
      if (other.given == file.given) r.error(f, path, "'" + file.given + "' is listed twice");
    }
    out.push_back(std::move(file));
  }
  return out;
}

// The base files as an axis of their own (several files) at the front of the groups.
void add_file_axis(SweepSpec& spec, const std::vector<SweepFile>& files, const char* key,
                   std::size_t position) {
  if (files.size() < 2) return;
  SweepAxis a;
  a.key = key;
  a.at = files.front().at;
  for (const SweepFile& f : files) a.values.push_back({f.given, f.at});
  SweepGroup g;
  g.axes.push_back(std::move(a));
  spec.groups.insert(spec.groups.begin() + static_cast<std::ptrdiff_t>(position), std::move(g));
}

// No key may be set twice: by two axes, or by an axis and a fixed override.
void check_distinct_keys(SweepReader& r, const SweepSpec& spec) {
  std::map<std::string, SweepLocation> seen;
  const auto add = [&](const std::string& key, const SweepLocation& at) {
    const auto [it, fresh] = seen.emplace(canonical_key(key), at);
    if (!fresh) {
      r.error(at, "'" + key + "' is set twice (also at " + it->second.key + ", line " +
                      std::to_string(it->second.line) + ")");
    }
  };
  for (const SweepValue& s : spec.set) add(s.text.substr(0, s.text.find('=')), s.at);
  for (const SweepAxis* a : all_axes(spec)) add(a->key, a->at);
}

// Whether the schedules name their tasks' networks (then the points run no workload), as loaded
// with the sweep's fixed schedule overrides. nullopt if one does not load (sweep/override_check
// reports why, at the line that caused it) or if some do and some do not (reported here).
std::optional<bool> schedules_name_networks(SweepReader& r, const SweepSpec& spec) {
  std::vector<std::string> fixed;
  for (const SweepValue& s : spec.set) {
    const Overrides o = split_overrides({s.text});
    fixed.insert(fixed.end(), o.schedule.begin(), o.schedule.end());
  }
  const SweepFile *with = nullptr, *without = nullptr;
  for (const SweepFile& f : spec.schedules) {
    try {
      const SweepFile*& kind = load_schedule(f.path, fixed).networks.empty() ? without : with;
      if (!kind) kind = &f;
    } catch (const ConfigError&) {
      return std::nullopt;
    }
  }
  if (with && without) {
    r.error(with->at, "'" + with->given + "' names its tasks' networks (networks:) and '" +
                          without->given +
                          "' does not: the schedules of a sweep must all name them (and the "
                          "sweep no workload:) or none (with a workload:)");
    return std::nullopt;
  }
  return with != nullptr;
}

// `schedule.` overrides need a schedule; `workload.` ones a workload (not the tasks' networks).
void check_override_kinds(SweepReader& r, const SweepSpec& spec, bool task_networks) {
  const auto check = [&](const std::string& key, const SweepLocation& at) {
    if (spec.schedules.empty() && has_prefix(key, kSchedulePrefix)) {
      r.error(at, "'" + key +
                      "' overrides a schedule key, and the sweep has no schedule: give one "
                      "(schedule: S.yaml)");
    }
    if (task_networks && has_prefix(key, kWorkloadPrefix)) {
      r.error(at, "'" + key +
                      "' overrides a workload key, and the points run no workload: the "
                      "schedule names each task's network (networks:), which takes no overrides");
    }
  };
  for (const SweepValue& s : spec.set) check(s.text.substr(0, s.text.find('=')), s.at);
  for (const SweepAxis* a : all_axes(spec)) check(a->key, a->at);
}

std::optional<std::uint64_t> read_count(SweepReader& r, const YAML::Node& n, const std::string& key,
                                        std::uint64_t min, std::uint64_t max) {
  if (!n.IsDefined()) return std::nullopt;
  const auto v = n.IsScalar() ? parse_decimal(n.Scalar(), min, max) : std::nullopt;
  if (!v) {
    r.error(n, key,
            "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return v;
}

}  // namespace

std::vector<const SweepAxis*> all_axes(const SweepSpec& spec) {
  std::vector<const SweepAxis*> out;
  for (const SweepGroup& g : spec.groups) {
    for (const SweepAxis& a : g.axes) out.push_back(&a);
  }
  return out;
}

SweepSpec load_sweep(const std::string& file) {
  SweepSpec spec;
  spec.file = file;
  auto doc = ConfigDocument::load_file(file);
  SweepReader r(file);
  if (doc->parsed()) {
    ConfigNode root = doc->root();
    spec.name = root.get<std::string>("sweep");
    root.get<std::string>("description", "");
    spec.platforms = read_files(r, root.raw("platform"), "platform", file);
    const YAML::Node schedule = root.raw(kScheduleAxis);
    if (schedule.IsDefined()) spec.schedules = read_files(r, schedule, kScheduleAxis, file);
    if (auto s = read_count(r, root.raw("seed"), "seed", 0, UINT64_MAX)) spec.seed = *s;
    if (auto f = read_count(r, root.raw("frames"), "frames", 1, kMaxSweepFrames)) spec.frames = *f;
    const YAML::Node set = root.raw("set");
    if (set.IsDefined() && !set.IsNull() && !set.IsSequence()) {
      r.error(set, "set", "expected a list of key.path=value overrides, as --set takes them");
    } else if (set.IsSequence()) {
      for (std::size_t i = 0; i < set.size(); ++i) {
        const std::string path = "set[" + std::to_string(i) + "]";
        auto v = r.value(set[i], path);
        if (!v) continue;
        const auto eq = v->text.find('=');
        if (!set[i].IsScalar() || eq == std::string::npos || eq == 0) {
          r.error(set[i], path, "expected key.path=value, as --set takes it");
          continue;
        }
        const std::string key = v->text.substr(0, eq);
        if (is_run_option_axis(key)) {
          r.error(set[i], path, "'" + key + "' is a key of the sweep file, not an override");
          continue;
        }
        for (const std::string& e : split_overrides({v->text}).errors) r.error(v->at, e);
        spec.set.push_back(*v);
      }
    }
    // A schedule that names its tasks' networks runs no workload (as hmasim run).
    const std::optional<bool> task_networks =
        spec.schedules.empty() ? std::optional<bool>(false) : schedules_name_networks(r, spec);
    const YAML::Node workload = root.raw(kWorkloadAxis);
    if (task_networks.value_or(false)) {
      if (workload.IsDefined()) {
        r.error(workload, kWorkloadAxis,
                "the schedule names each task's network (networks: in " +
                    spec.schedules.front().given + "): give no workload");
      }
    } else if (task_networks || workload.IsDefined()) {
      spec.workloads =
          read_files(r, workload, kWorkloadAxis, file,
                     spec.schedules.empty() ? "a file, or a list of files"
                                            : "a file, or a list of files; left out only with a "
                                              "schedule that names each task's network, networks:");
    }
    read_axes(r, root.raw("axes"), spec);
    add_file_axis(spec, spec.workloads, kWorkloadAxis, 0);
    add_file_axis(spec, spec.platforms, kPlatformAxis, spec.workloads.size() > 1 ? 1 : 0);
    add_file_axis(spec, spec.schedules, kScheduleAxis,
                  (spec.workloads.size() > 1 ? 1 : 0) + (spec.platforms.size() > 1 ? 1 : 0));
    check_distinct_keys(r, spec);
    check_override_kinds(r, spec, task_networks.value_or(false));
    for (const char* option : {kSeedAxis, kFramesAxis}) {
      const YAML::Node given = root.raw(option);
      if (!given.IsDefined()) continue;
      const std::string line = std::to_string(given.Mark().line + 1);
      for (const SweepAxis* a : all_axes(spec)) {
        if (a->key == option) {
          r.error(a->at, std::string("'") + option + "' is an axis and also set at line " + line +
                             ": keep one");
        } else if (canonical_key(a->key) == option) {
          r.error(a->at, "'" + a->key + "' sets the " + option + ", and so does '" + option +
                             ":' at line " + line + ": keep one");
        }
      }
      for (const SweepValue& s : spec.set) {
        const std::string key = s.text.substr(0, s.text.find('='));
        if (canonical_key(key) == option) {
          r.error(s.at, "'" + key + "' sets the " + option + ", and so does '" + option +
                            ":' at line " + line + ": keep one");
        }
      }
    }
    read_exclusions(r, root.raw("exclude"), spec);
    bool frames_given = root.raw(kFramesAxis).IsDefined();
    for (const SweepAxis* a : all_axes(spec)) frames_given = frames_given || a->key == kFramesAxis;
    // Without frames the schedule's own apply (hmasim run gets no --frames).
    spec.frames_from_schedule = !spec.schedules.empty() && !frames_given;
    read_functional(r, root.raw("functional"), file, frames_given || !spec.schedules.empty(), spec);
  }
  std::vector<Diagnostic> all;
  try {
    doc->finish();
  } catch (const ConfigError& e) {
    all = e.diagnostics();
  }
  all.insert(all.end(), r.errors().begin(), r.errors().end());
  if (!all.empty()) throw ConfigError(all);
  return spec;
}

bool is_sweep_file(const std::string& file) {
  const YAML::Node root = peek_yaml_map(file);
  return root.IsDefined() && root["sweep"].IsDefined();
}

}  // namespace hmasim
