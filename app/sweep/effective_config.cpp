#include "app/sweep/effective_config.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "app/overrides.hpp"
#include "core/config_node.hpp"
#include "core/yaml_source.hpp"
#include "workloads/schedule.hpp"

#ifndef HMASIM_VERSION
#define HMASIM_VERSION "0.1.0"
#endif

namespace hmasim {

namespace fs = std::filesystem;

namespace {

// The preset file a `preset: NAME` names, searched in the order ConfigDocument::load_preset
// searches (a path relative to the including file; else presets/ beside it and in each parent
// directory, $HMASIM_PRESET_PATH, the shipped presets). Empty if there is none.
std::string find_preset(const std::string& base_dir, const std::string& name) {
  return ConfigDocument::find_preset_file(base_dir, name);
}

// `key.path=value` merged into `root` as ConfigDocument merges overrides: the value read as YAML
// (text that is not YAML is a string), maps created on the way.
void apply_override(YAML::Node& root, const std::string& override_text) {
  const auto eq = override_text.find('=');
  if (eq == std::string::npos) return;
  const std::string key = override_text.substr(0, eq);
  const std::string text = override_text.substr(eq + 1);
  std::vector<std::string> parts;
  for (std::size_t at = 0;;) {
    const auto dot = key.find('.', at);
    parts.push_back(key.substr(at, dot - at));
    if (dot == std::string::npos) break;
    at = dot + 1;
  }
  std::vector<Diagnostic> ignored;
  const YamlText parsed = parse_yaml(text, "--set", ignored, key);
  const YAML::Node value = parsed.ok && !parsed.root.IsNull() ? parsed.root : YAML::Node(text);
  if (!root.IsMap()) root = YAML::Node(YAML::NodeType::Map);
  YAML::Node cur;
  cur.reset(root);
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (!cur[parts[i]].IsMap()) cur[parts[i]] = YAML::Node(YAML::NodeType::Map);
    YAML::Node next = cur[parts[i]];
    cur.reset(next);
  }
  cur[parts.back()] = value;
}

std::string hex64(std::uint64_t h) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
  return text;
}

// FNV-1a: a change detector, not a signature.
std::uint64_t fnv1a(const std::string& bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

// The bytes of a workload's real weights file (`weights: FILE`, relative to the workload's
// folder), as a checksum line: a changed file is a changed point. "" without the key.
std::string weights_line(const std::string& workload, const YAML::Node& root) {
  if (!root.IsMap() || !root["weights"] || !root["weights"].IsScalar()) return "";
  const fs::path file = fs::path(workload).parent_path() / root["weights"].Scalar();
  std::ifstream in(file, std::ios::binary);
  if (!in) return "--- weights " + file.string() + ": unreadable\n";
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return "--- weights " + file.string() + " " + hex64(fnv1a(bytes)) + "\n";
}

}  // namespace

const char* hmasim_version() {
  return HMASIM_VERSION;
}

const EffectiveConfig::File& EffectiveConfig::file(const std::string& path) {
  auto it = files_.find(path);
  if (it != files_.end()) return it->second;
  File f;
  if (auto why = read_config_file(path, f.text)) {
    f.error = *why;
  } else {
    std::vector<Diagnostic> ignored;  // the run reports them
    const YamlText parsed = parse_yaml(f.text, path, ignored);
    if (parsed.ok) f.root = parsed.root;
  }
  return files_.emplace(path, std::move(f)).first->second;
}

void EffectiveConfig::add_presets(const std::string& base_dir, const YAML::Node& node,
                                  std::string& presets, std::set<std::string>& seen) {
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) add_presets(base_dir, item, presets, seen);
    return;
  }
  if (!node.IsMap()) return;
  for (const auto& kv : node) {
    if (kv.first.Scalar() == "preset" && kv.second.IsScalar()) {
      const std::string found = find_preset(base_dir, kv.second.Scalar());
      if (found.empty() || !seen.insert(found).second) continue;
      const File& f = file(found);
      presets += "--- preset " + found + "\n" + (f.error.empty() ? f.text : f.error) + "\n";
      if (f.root.IsDefined()) {
        add_presets(fs::path(found).parent_path().string(), f.root, presets, seen);
      }
    } else if (kv.first.Scalar() == "memspec" && kv.second.IsScalar()) {
      // An lpddr4 memory's DRAMSys memspec JSON, relative to the platform file, by its text.
      const std::string found = (fs::path(base_dir) / kv.second.Scalar()).string();
      if (!seen.insert(found).second) continue;
      std::string text;
      const auto why = read_config_file(found, text);
      presets += "--- memspec " + found + "\n" + (why ? *why : text) + "\n";
    } else {
      add_presets(base_dir, kv.second, presets, seen);
    }
  }
}

std::string EffectiveConfig::merged(const std::string& path,
                                    const std::vector<std::string>& overrides,
                                    std::string& presets) {
  // Points share merges (a seed axis changes no file; a platform axis leaves the workload
  // alone): each distinct one is made once.
  std::string key = path;
  for (const std::string& o : overrides) key += '\n' + o;
  if (auto it = merges_.find(key); it != merges_.end()) {
    presets += it->second.second;
    return it->second.first;
  }
  std::string own_presets;
  std::string text = merge(path, overrides, own_presets);
  presets += own_presets;
  return merges_.emplace(key, std::make_pair(std::move(text), std::move(own_presets)))
      .first->second.first;
}

std::string EffectiveConfig::merge(const std::string& path,
                                   const std::vector<std::string>& overrides,
                                   std::string& presets) {
  const File& f = file(path);
  if (!f.error.empty()) return "unreadable: " + f.error + "\n";
  if (!f.root.IsDefined()) return f.text;
  YAML::Node root = YAML::Clone(f.root);
  for (const std::string& o : overrides) apply_override(root, o);
  std::set<std::string> seen;
  add_presets(fs::path(path).parent_path().string(), root, presets, seen);
  presets += weights_line(path, root);
  YAML::Emitter e;
  e << root;
  return std::string(e.c_str()) + "\n";
}

std::string EffectiveConfig::schedule(const std::string& path,
                                      const std::vector<std::string>& overrides,
                                      std::string& presets) {
  std::string t = merged(path, overrides, presets);
  std::string key = path;
  for (const std::string& o : overrides) key += '\n' + o;
  auto it = task_networks_.find(key);
  if (it == task_networks_.end()) {
    std::vector<std::pair<std::string, std::string>> networks;
    try {
      for (const Schedule::TaskNetwork& n : load_schedule(path, overrides).networks) {
        networks.emplace_back(n.task, n.file);
      }
    } catch (const ConfigError& e) {
      networks.emplace_back("", e.what());  // the point's run fails, and says why
    }
    it = task_networks_.emplace(key, std::move(networks)).first;
  }
  for (const auto& [task, file] : it->second) {
    t += task.empty() ? "unloadable: " + file + "\n"
                      : "--- network " + task + " " + file + "\n" + merged(file, {}, presets);
  }
  return t;
}

std::string EffectiveConfig::text(const SweepPoint& p) {
  const Overrides o = split_overrides(p.set);
  std::string presets;
  std::string t =
      "hmasim " + std::string(hmasim_version()) + "\nseed " + std::to_string(p.seed) + "\nframes " +
      (p.frames_from_schedule ? std::string("of the schedule") : std::to_string(p.frames)) + "\n";
  t += "--- platform\n" + merged(p.platform, o.platform, presets);
  if (!p.workload.empty()) t += "--- workload\n" + merged(p.workload, o.workload, presets);
  if (!p.schedule.empty()) t += "--- schedule\n" + schedule(p.schedule, o.schedule, presets);
  // An override merged into neither file (of a kind this hash does not merge) still counts.
  t += "--- other overrides\n";
  const auto merged_into = [](const std::vector<std::string>& kind, const std::string& s) {
    return std::any_of(kind.begin(), kind.end(), [&](const std::string& k) {
      return s == k || (s.size() > k.size() && s.compare(s.size() - k.size(), k.size(), k) == 0 &&
                        s[s.size() - k.size() - 1] == '.');
    });
  };
  for (const std::string& s : p.set) {
    if (!merged_into(o.platform, s) && !merged_into(o.workload, s) &&
        !(!p.schedule.empty() && merged_into(o.schedule, s))) {
      t += s + "\n";
    }
  }
  // Run options, and the bytes of the files they name (a changed image set is a changed point).
  for (std::size_t i = 0; i < p.run_options.size(); ++i) {
    const std::string& o = p.run_options[i];
    t += "option " + o + "\n";
    if ((o == "--inputs" || o == "--labels") && i + 1 < p.run_options.size()) {
      const std::string& file = p.run_options[++i];
      std::ifstream in(file, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
      t += "file " + file + " " + (in ? hex64(fnv1a(bytes)) : std::string("unreadable")) + "\n";
    }
  }
  return t + presets;
}

std::string EffectiveConfig::hash(const SweepPoint& p) {
  return hex64(fnv1a(text(p)));
}

void hash_points(SweepPlan& plan) {
  EffectiveConfig config;
  for (SweepPoint& p : plan.points) p.hash = config.hash(p);
}

}  // namespace hmasim
