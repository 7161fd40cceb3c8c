// ConfigDocument: loading a file and its overrides, presets, diagnostics and the unknown-key
// check (the ConfigNode accessors are in config_node.cpp).
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "core/config_node.hpp"
#include "core/yaml_source.hpp"

namespace hmasim {

namespace fs = std::filesystem;

namespace {

std::string fs_dir_of(const std::string& file) {
  fs::path p(file);
  return p.has_parent_path() ? p.parent_path().string() : std::string(".");
}

std::string& preset_dir_storage() {
  static std::string dir;
  return dir;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// ConfigDocument

void ConfigDocument::set_preset_directory(std::string dir) {
  preset_dir_storage() = std::move(dir);
}

const std::string& ConfigDocument::preset_directory() {
  return preset_dir_storage();
}

std::unique_ptr<ConfigDocument> ConfigDocument::load_file(const std::string& file,
                                                          const std::vector<std::string>& overrides,
                                                          const std::string& override_prefix) {
  std::string text;
  if (auto why = read_config_file(file, text)) {
    std::unique_ptr<ConfigDocument> doc(new ConfigDocument());
    doc->file_ = file;
    doc->override_prefix_ = override_prefix;
    doc->diagnostics_.push_back({file, 0, 0, "", *why});
    doc->parse_overrides(overrides);
    return doc;
  }
  return load_string(text, file, overrides, override_prefix);
}

std::unique_ptr<ConfigDocument> ConfigDocument::load_string(
    const std::string& text, const std::string& name, const std::vector<std::string>& overrides,
    const std::string& override_prefix) {
  std::unique_ptr<ConfigDocument> doc(new ConfigDocument());
  doc->file_ = name;
  doc->override_prefix_ = override_prefix;
  doc->parse_overrides(overrides);
  auto source = std::make_shared<ConfigSource>(ConfigSource{name, false});
  const YamlText parsed = parse_yaml(text, name, doc->diagnostics_);
  if (!parsed.ok) return doc;
  const YAML::Node& root = parsed.root;
  if (!root.IsMap() && !root.IsNull()) {
    doc->diagnostics_.push_back(
        {name, root.Mark().line + 1, root.Mark().column + 1, "",
         "expected a map of settings at the top level, got " + describe_yaml(root)});
    return doc;
  }
  doc->root_layers_.push_back({root, source});
  doc->trees_.push_back({root, "", source});
  doc->parsed_ = true;
  return doc;
}

void ConfigDocument::parse_overrides(const std::vector<std::string>& overrides) {
  if (overrides.empty()) return;
  auto source = std::make_shared<ConfigSource>(ConfigSource{"--set", true});
  YAML::Node root(YAML::NodeType::Map);
  // Each key given, with the override that gave it: a later override that replaces or hides an
  // earlier one would make the earlier do nothing, silently.
  std::map<std::string, std::string> given;
  for (const std::string& o : overrides) {
    const auto eq = o.find('=');
    const std::string key = eq == std::string::npos ? o : o.substr(0, eq);
    if (eq == std::string::npos || key.empty()) {
      diagnostics_.push_back({"--set", 0, 0, override_prefix_ + key,
                              "expected key.path=value, got '" + override_prefix_ + o + "'"});
      continue;
    }
    std::vector<std::string> parts;
    std::stringstream ks(key);
    std::string part;
    bool bad = key.back() == '.';
    while (std::getline(ks, part, '.')) {
      if (part.empty()) bad = true;
      parts.push_back(part);
    }
    if (bad || parts.empty()) {
      diagnostics_.push_back(
          {"--set", 0, 0, override_prefix_ + key, "empty component in key path '" + key + "'"});
      continue;
    }
    // The same key twice, or a key and a key inside it: one of the two would have no effect.
    std::string conflict;
    std::string prefix;
    for (std::size_t i = 0; i < parts.size() && conflict.empty(); ++i) {
      prefix += (i ? "." : "") + parts[i];
      if (auto it = given.find(prefix); it != given.end()) conflict = it->second;
    }
    for (auto it = given.lower_bound(key + "."); conflict.empty() && it != given.end(); ++it) {
      if (it->first.compare(0, key.size() + 1, key + ".") != 0) break;
      conflict = it->second;
    }
    if (!conflict.empty()) {
      diagnostics_.push_back({"--set", 0, 0, override_prefix_ + key,
                              "'" + override_prefix_ + o + "' conflicts with '" + override_prefix_ +
                                  conflict + "': one of them would have no effect"});
      continue;
    }
    given.emplace(key, o);
    const std::string text = o.substr(eq + 1);
    // The value is read as YAML ([1, 2] is a list); text that is not valid YAML is a string.
    std::vector<Diagnostic> value_errors;
    const YamlText parsed = parse_yaml(text, "--set", value_errors, override_prefix_ + key);
    YAML::Node value;
    if (parsed.ok && !parsed.root.IsNull()) {
      value = parsed.root;
    } else if (parsed.ok || value_errors.empty() ||
               value_errors.front().message.rfind("YAML syntax error", 0) == 0) {
      value = YAML::Node(text);
    } else {
      diagnostics_.insert(diagnostics_.end(), value_errors.begin(), value_errors.end());
      continue;
    }
    if (!value_errors.empty() && parsed.ok) {
      diagnostics_.insert(diagnostics_.end(), value_errors.begin(), value_errors.end());
    }
    // yaml-cpp nodes are handles: walk with reset() so assignment never aliases siblings.
    YAML::Node cur;
    cur.reset(root);
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      if (!cur[parts[i]].IsMap()) cur[parts[i]] = YAML::Node(YAML::NodeType::Map);
      YAML::Node next = cur[parts[i]];
      cur.reset(next);
    }
    cur[parts.back()] = value;
  }
  root_layers_.insert(root_layers_.begin(), {root, source});
  trees_.push_back({root, "", source});
}

ConfigNode ConfigDocument::root() {
  return ConfigNode(this, "", root_layers_);
}

void ConfigDocument::report(const ConfigNode::Layer* layer, const YAML::Node& at, std::string key,
                            std::string message) {
  Diagnostic d;
  d.key = std::move(key);
  d.message = std::move(message);
  if (layer && layer->source) {
    d.file = layer->source->file;
    if (layer->source->command_line) d.key = override_prefix_ + d.key;
    if (!layer->source->command_line && at.IsDefined()) {
      d.line = at.Mark().line + 1;
      d.column = at.Mark().column + 1;
    }
  } else {
    d.file = file_;
  }
  // One report per key: a value read twice, or a bad value whose neutral stand-in then fails a
  // range check, must not be reported twice.
  for (const Diagnostic& x : diagnostics_) {
    if (x.key == d.key && (!d.key.empty() || x.message == d.message)) return;
  }
  diagnostics_.push_back(std::move(d));
}

void ConfigDocument::mark_used(const std::string& path, bool descend) {
  auto& v = used_[path];
  v = v || descend;
}

void ConfigDocument::mark_asked(const std::string& parent_path, const std::string& key) {
  asked_[parent_path].insert(key);
}

namespace {
// `preset: NAME` names a file by path if it has a '/' or ends in .yaml.
bool is_preset_path(const std::string& name) {
  return name.find('/') != std::string::npos ||
         (name.size() > 5 && name.substr(name.size() - 5) == ".yaml");
}
// What the search looks for: a path's file name, or NAME.yaml.
std::string preset_file_name(const std::string& name) {
  return is_preset_path(name) ? fs::path(name).filename().string() : name + ".yaml";
}
}  // namespace

std::string ConfigDocument::find_preset_file(const std::string& base_dir, const std::string& name) {
  std::vector<fs::path> candidates;
  if (is_preset_path(name)) {
    candidates.push_back(fs::path(base_dir) / name);
  } else {
    // presets/ beside the including file, then in each parent directory, then the shipped ones.
    std::error_code absolute_error;
    fs::path start = fs::absolute(base_dir, absolute_error);
    if (absolute_error) start = base_dir;
    for (fs::path dir = start;; dir = dir.parent_path()) {
      candidates.push_back(dir / "presets" / (name + ".yaml"));
      if (dir == dir.parent_path()) break;
    }
    if (const char* env = std::getenv("HMASIM_PRESET_PATH")) {
      candidates.push_back(fs::path(env) / (name + ".yaml"));
    }
    if (!preset_dir_storage().empty()) {
      candidates.push_back(fs::path(preset_dir_storage()) / (name + ".yaml"));
    }
  }
  for (const fs::path& c : candidates) {
    // A name no file system can hold (too long, bad bytes) is simply not found.
    std::error_code ec;
    if (fs::is_regular_file(c, ec)) return c.lexically_normal().string();
  }
  return "";
}

std::optional<ConfigNode::Layer> ConfigDocument::load_preset(const ConfigNode::Layer& from,
                                                             const YAML::Node& name_node,
                                                             const std::string& path) {
  if (!name_node.IsScalar()) {
    report(&from, name_node, path + ".preset",
           "expected a preset name, got " + describe_yaml(name_node));
    return std::nullopt;
  }
  const std::string name = name_node.Scalar();
  const std::string base =
      from.source && !from.source->command_line ? fs_dir_of(from.source->file) : std::string(".");
  const std::string found = find_preset_file(base, name);
  if (!found.empty()) {
    const std::string& file = found;
    // Each preset file is read once: a block read several times must not repeat its errors.
    if (auto cached = preset_cache_.find(file); cached != preset_cache_.end()) {
      if (cached->second) add_tree(cached->second->node, path, cached->second->source);
      return cached->second;
    }
    std::optional<ConfigNode::Layer>& entry = preset_cache_[file];
    auto source = std::make_shared<ConfigSource>(ConfigSource{file, false});
    std::string text;
    if (auto why = read_config_file(file, text)) {
      diagnostics_.push_back({file, 0, 0, "", *why});
      return entry;
    }
    const YamlText parsed = parse_yaml(text, file, diagnostics_);
    if (!parsed.ok) return entry;
    if (!parsed.root.IsMap()) {
      report(&from, name_node, path + ".preset",
             "preset file '" + file + "' does not hold a map of settings");
      return entry;
    }
    entry = ConfigNode::Layer{parsed.root, source};
    add_tree(parsed.root, path, source);
    return entry;
  }
  report(&from, name_node, path + ".preset",
         "no preset named '" + name + "' (looked for " + preset_file_name(name) +
             " in presets/ directories and the shipped presets)");
  return std::nullopt;
}

void ConfigDocument::add_tree(const YAML::Node& node, const std::string& path,
                              const std::shared_ptr<const ConfigSource>& source) {
  // Scan each (file, place) once for unknown keys, however often the block is read.
  const bool seen = std::any_of(trees_.begin(), trees_.end(), [&](const Tree& t) {
    return t.path == path && t.source->file == source->file;
  });
  if (!seen) trees_.push_back({node, path, source});
}

void ConfigDocument::check_unused(const YAML::Node& node, const std::string& path,
                                  const std::shared_ptr<const ConfigSource>& source) {
  if (!node.IsMap()) return;
  ConfigNode::Layer layer{node, source};
  std::set<std::string> seen;
  for (const auto& kv : node) {
    // Keys are plain scalars (parse_yaml checked); duplicates were reported there.
    const std::string k = kv.first.Scalar();
    const std::string p = path.empty() ? k : path + "." + k;
    if (!seen.insert(k).second) continue;
    if (k == "source") continue;
    auto it = used_.find(p);
    if (it == used_.end()) {
      std::string msg = "unknown key '" + k + "'";
      const auto asked = asked_.find(path);
      if (asked != asked_.end() && !asked->second.empty()) {
        std::vector<std::string> expected(asked->second.begin(), asked->second.end());
        msg += " (expected one of: " + comma_separated(expected) + ")";
      }
      report(&layer, kv.first, p, msg);
      continue;
    }
    if (it->second) check_unused(kv.second, p, source);
  }
}

void ConfigDocument::finish() {
  if (!finished_) {
    finished_ = true;
    // Unknown keys only mean something when the file itself was read.
    if (parsed_) {
      for (const Tree& t : trees_) check_unused(t.node, t.path, t.source);
    }
  }
  if (!diagnostics_.empty()) throw ConfigError(diagnostics_);
}

}  // namespace hmasim
