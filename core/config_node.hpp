// YAML configuration access with full diagnostics (stage one of the two-stage config: models read
// a ConfigNode into a plain struct, then validate it into their runtime config).
//
// A ConfigDocument is one YAML file plus, in front of it, a layer of command-line overrides
// (`--set key.path=value`), and behind any block that says `preset: NAME`, the preset file. Lookups
// take the first layer that has the key; maps merge across layers.
//
// Every access is recorded. finish() then reports every key no consumer asked for ("unknown key",
// with the keys that were expected at that place), so a typo is an error, not a silent default.
// Getters never throw: a bad value is recorded as a diagnostic and a neutral value is returned, so
// one pass finds every error in a file. Any map may carry a `source:` note (documentation of where
// a calibration number came from), and any scalar may be written `{value: X, source: "..."}`.
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/config_error.hpp"
#include "core/units.hpp"

namespace hmasim {

class ConfigDocument;

// "a, b, c": lists of accepted values and keys in diagnostics.
std::string comma_separated(const std::vector<std::string>& v);

// How many presets may name presets in a row (a longer chain is almost surely a mistake).
constexpr std::size_t kMaxPresetChain = 16;

// One place a YAML value came from.
struct ConfigSource {
  std::string file;
  bool command_line = false;
};

class ConfigNode {
 public:
  struct Layer {
    YAML::Node node;
    std::shared_ptr<const ConfigSource> source;
  };

  ConfigNode(ConfigDocument* doc, std::string path, std::vector<Layer> layers);

  const std::string& path() const { return path_; }
  bool has(const std::string& key) const;
  // Keys present in any layer, in order of first appearance (excluding `source` and `preset`).
  // Does not mark them used: callers read each key they accept.
  std::vector<std::string> keys() const;

  // A nested map. A missing or non-map child is a diagnostic; the returned node is then empty.
  ConfigNode child(const std::string& key) const;
  std::optional<ConfigNode> optional_child(const std::string& key) const;
  // This map with `defaults` behind all of its layers: a key no layer gives is read from there
  // (settings translated from a file of another format, e.g. an LPDDR4 memspec JSON). Unread keys
  // of `defaults` are not reported as unknown.
  ConfigNode with_defaults(Layer defaults) const;

  // Scalars. T is one of: std::string, bool, int, std::int64_t, std::uint64_t, std::uint32_t,
  // double, Bytes, Time, Frequency, Energy, Power, Bandwidth, Current, Voltage.
  template <class T>
  T get(const std::string& key) const;  // required
  template <class T>
  T get(const std::string& key, T fallback) const;  // optional with default
  template <class T>
  std::optional<T> find(const std::string& key) const;  // optional without default

  // A string that must be one of `allowed`.
  std::string choice(const std::string& key, const std::vector<std::string>& allowed) const;
  std::string choice(const std::string& key, const std::vector<std::string>& allowed,
                     const std::string& fallback) const;

  // The raw YAML value of `key` (first layer that has it), marked used with its whole subtree,
  // for values with a structure of their own (bit lists, tables). Undefined node if absent.
  YAML::Node raw(const std::string& key) const;

  // Whether the value of `key` came from a `--set` override.
  bool from_command_line(const std::string& key) const;
  // "path.key (file:line)" or "--set path.key": where the value of `key` was given.
  std::string where(const std::string& key) const;
  // Another setting (`by`, e.g. where("x") of a more specific key) decides what `key` would
  // set. If `key` came from `--set`, that override would silently do nothing: it is an error
  // ("has no effect: <by>; <instead>"). Keys from files are left alone (their author chose).
  void shadowed(const std::string& key, const std::string& by,
                const std::string& instead = "") const;
  // For keys that take a scalar or a map (a default and per-item values): the scalar a lower
  // layer gives under the map of a higher one (a file's `coding: gray` under `--set
  // coding.mask=binary`), which then stays the default. Undefined if there is none.
  YAML::Node scalar_under_map(const std::string& key) const;

  // Records a diagnostic at the location of `key` (or of this map if `key` is absent).
  void error(const std::string& key, const std::string& message) const;
  // Records `message` against `key` unless `ok`; returns ok.
  bool require(bool ok, const std::string& key, const std::string& message) const;

  // Accepts the rest of this block without checking its keys (e.g. after its model name was
  // rejected, so its settings are not reported as unknown on top).
  void ignore_unread_keys() const;

  ConfigDocument& document() const { return *doc_; }

 private:
  struct Found {
    YAML::Node node;
    const Layer* layer = nullptr;
  };
  std::optional<Found> lookup(const std::string& key) const;
  std::string child_path(const std::string& key) const;
  // Reads the scalar text of `key` (unwrapping {value:, source:}); diagnostics on failure.
  // `reported` is set when the value exists but has the wrong shape (already diagnosed).
  std::optional<std::string> scalar(const std::string& key, const char* expected,
                                    bool& reported) const;

  ConfigDocument* doc_;
  std::string path_;
  std::vector<Layer> layers_;
};

class ConfigDocument {
 public:
  // Parses `file` and the `--set` overrides ("a.b.c=value"). Syntax errors are recorded as
  // diagnostics (check ok()); the document is still usable and yields empty values.
  // `override_prefix` is how the user wrote the overrides' keys ("workload." for `--set
  // workload.input.h=...`): diagnostics about them name the key as given.
  static std::unique_ptr<ConfigDocument> load_file(const std::string& file,
                                                   const std::vector<std::string>& overrides = {},
                                                   const std::string& override_prefix = "");
  static std::unique_ptr<ConfigDocument> load_string(const std::string& text,
                                                     const std::string& name,
                                                     const std::vector<std::string>& overrides = {},
                                                     const std::string& override_prefix = "");

  ConfigNode root();
  const std::string& file() const { return file_; }

  // Reports unknown keys, then throws ConfigError if any diagnostic was recorded.
  void finish();
  bool ok() const { return diagnostics_.empty(); }
  // The file itself was read and parsed (override errors may still be pending).
  bool parsed() const { return parsed_; }
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

  // Internal to ConfigNode.
  void report(const ConfigNode::Layer* layer, const YAML::Node& at, std::string key,
              std::string message);
  void mark_used(const std::string& path, bool descend);
  void mark_asked(const std::string& parent_path, const std::string& key);
  void mark_opaque(const std::string& path) { used_[path] = false; }
  std::optional<ConfigNode::Layer> load_preset(const ConfigNode::Layer& from,
                                               const YAML::Node& name, const std::string& path);

  // Where named presets are searched after the including file's `presets/` directories.
  static void set_preset_directory(std::string dir);
  // The file a `preset: NAME` in a file of `base_dir` names: NAME as a path (it has a '/' or ends
  // in .yaml) relative to base_dir, else NAME.yaml in presets/ beside base_dir or any parent, in
  // $HMASIM_PRESET_PATH, then in the preset directory. "" if there is none.
  static std::string find_preset_file(const std::string& base_dir, const std::string& name);
  static const std::string& preset_directory();

 private:
  ConfigDocument() = default;
  void parse_overrides(const std::vector<std::string>& overrides);
  void check_unused(const YAML::Node& node, const std::string& path,
                    const std::shared_ptr<const ConfigSource>& source);
  void add_tree(const YAML::Node& node, const std::string& path,
                const std::shared_ptr<const ConfigSource>& source);

  std::string file_;
  std::string override_prefix_;
  std::vector<ConfigNode::Layer> root_layers_;
  // Every tree to scan for unknown keys: (root, path of that root, source).
  struct Tree {
    YAML::Node node;
    std::string path;
    std::shared_ptr<const ConfigSource> source;
  };
  std::vector<Tree> trees_;
  std::map<std::string, bool> used_;                    // path -> consumer walked into it as a map
  std::map<std::string, std::set<std::string>> asked_;  // parent path -> keys asked for
  std::vector<Diagnostic> diagnostics_;
  std::map<std::string, std::optional<ConfigNode::Layer>> preset_cache_;  // file -> its layer
  bool finished_ = false;
  bool parsed_ = false;
};

}  // namespace hmasim
