// What a point's results depend on, as one text and its hash: the base platform, workload and
// schedule with the point's overrides merged in (emitted as canonical YAML, so an override equal
// to the file's value changes nothing), every preset and memspec file they name, the networks a
// schedule names (merged the same way, with their weights files' checksums), the seed, the
// frames and hmasim's version. A resumed sweep reruns a point exactly when this hash changed.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <set>
#include <string>

#include "app/sweep/sweep_points.hpp"

namespace hmasim {

// hmasim's version, part of every hash (results of another version are not reused).
const char* hmasim_version();

class EffectiveConfig {
 public:
  // The text for `p` (files are read once per EffectiveConfig and kept).
  std::string text(const SweepPoint& p);
  // 16 hex digits (64-bit FNV-1a) of text(p).
  std::string hash(const SweepPoint& p);

 private:
  struct File {
    std::string error;  // why it could not be read, else empty
    std::string text;
    YAML::Node root;  // parsed once (a clone per point), undefined if it does not parse
  };
  const File& file(const std::string& path);
  // The file with the overrides merged in, as canonical YAML; the preset files it names are
  // appended to `presets`. merged() remembers each merge() it made.
  std::string merged(const std::string& path, const std::vector<std::string>& overrides,
                     std::string& presets);
  std::string merge(const std::string& path, const std::vector<std::string>& overrides,
                    std::string& presets);
  // The schedule with its overrides merged in, then each network it names for a task (as
  // load_schedule resolves them), merged the same way.
  std::string schedule(const std::string& path, const std::vector<std::string>& overrides,
                       std::string& presets);
  // Appends the text of every preset file `node` names (and they name), found as the config
  // loader finds them, and of every lpddr4 `memspec:` JSON file, to `presets`.
  void add_presets(const std::string& base_dir, const YAML::Node& node, std::string& presets,
                   std::set<std::string>& seen);

  std::map<std::string, File> files_;
  std::map<std::string, std::pair<std::string, std::string>> merges_;  // key -> text, presets
  // schedule and overrides -> its tasks' network files ("task file" lines; one that does not
  // load: its error, as the run will fail)
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> task_networks_;
};

// Fills every point's hash.
void hash_points(SweepPlan& plan);

}  // namespace hmasim
