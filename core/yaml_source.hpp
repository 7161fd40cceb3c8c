// Reading YAML text into a node tree with the checks yaml-cpp does not make, so every config file
// (platform, workload, preset, a `--set` value) is held to one set of rules before anything reads
// it:
// - one document per file (a second `---` document would be silently ignored);
// - every map key is a plain scalar (a `? [a, b]` key cannot name a setting);
// - no key twice in one map, also inside `{value: ..., source: ...}` and list items;
// - every quoted string is closed (yaml-cpp accepts a file cut after an opening quote);
// - a bounded size: at most kMaxYamlNodes nodes, counting aliases as often as they are used, so
//   a "billion laughs" document cannot make a walk over the tree run for hours.
// Every problem is a Diagnostic naming the file, line and column (syntax errors included).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/config_error.hpp"

namespace hmasim {

constexpr std::size_t kMaxYamlNodes = 1'000'000;
// Config files are small; anything larger is not one (a device, a binary, a mistake).
constexpr std::size_t kMaxConfigFileBytes = 64u << 20;

struct YamlText {
  YAML::Node root;  // Null for an empty document; undefined when !ok
  bool ok = false;  // parsed and structurally sound: safe to walk
};

// Parses `text`; problems are appended to `diagnostics` under the file name `name`. With
// `key_path` set (a `--set` value), diagnostics name that key and carry no line.
YamlText parse_yaml(const std::string& text, const std::string& name,
                    std::vector<Diagnostic>& diagnostics, const std::string& key_path = "");

// What a node is, for messages: "a map", "a list", "nothing", or the scalar quoted.
std::string describe_yaml(const YAML::Node& n);

// Reads a whole regular file (following symlinks) into `text`. Returns an error message for a
// missing, unreadable or non-regular file (a directory, a device) or one above
// kMaxConfigFileBytes.
std::optional<std::string> read_config_file(const std::string& path, std::string& text);

// The top-level map of a YAML file, to tell what kind of file it is (a network, a sweep, a
// schedule, ...); undefined if it cannot be read or parsed or is no map. Problems are not
// reported here: the loader that reads the file reports them.
YAML::Node peek_yaml_map(const std::string& path);

}  // namespace hmasim
