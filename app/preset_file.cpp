#include "app/preset_file.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "app/platform_file.hpp"
#include "core/config_node.hpp"
#include "core/yaml_source.hpp"

namespace hmasim {

namespace fs = std::filesystem;

const char* to_string(PresetKind k) {
  return k == PresetKind::memory ? "memory" : "technology";
}

namespace {

YAML::Node read_root(const std::string& file) {
  std::string text;
  if (read_config_file(file, text)) return YAML::Node();
  std::vector<Diagnostic> ignored;  // check_preset reports them
  const YamlText yaml = parse_yaml(text, file, ignored);
  return yaml.ok ? yaml.root : YAML::Node();
}

std::string first_comment(const std::string& file) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    const auto at = line.find_first_not_of(" \t");
    if (at == std::string::npos) continue;
    if (line[at] != '#') break;
    std::string text = line.substr(line.find_first_not_of("# \t", at));
    if (!text.empty() && text.back() == ':') text.pop_back();
    return text;
  }
  return "";
}

}  // namespace

bool is_preset_file(const std::string& file) {
  const YAML::Node root = read_root(file);
  return root.IsMap() && !root["memories"] && !root["layers"];
}

PresetInfo describe_preset(const std::string& file) {
  PresetInfo p;
  p.file = file;
  p.name = fs::path(file).stem().string();
  const YAML::Node root = read_root(file);
  if (root.IsMap() && root["model"] && root["model"].IsScalar()) {
    p.kind = PresetKind::memory;
    p.model = root["model"].Scalar();
  }
  if (root.IsMap() && root["name"] && root["name"].IsScalar()) {
    p.description = root["name"].Scalar();
  } else {
    p.description = first_comment(file);
  }
  return p;
}

PresetInfo check_preset(const std::string& file) {
  const PresetInfo info = describe_preset(file);
  // The preset is validated where a platform would use it, inside a minimal platform: a memory
  // block that names it (memory presets) or an envm memory whose technology names it.
  const std::string path = fs::absolute(file).lexically_normal().string();
  const std::string wrapper = file + " (checked as a " + to_string(info.kind) + " preset)";
  const std::string text = info.kind == PresetKind::memory
                               ? "memories:\n  preset_check:\n    preset: \"" + path + "\"\n"
                               : "memories:\n  preset_check:\n    model: envm\n    capacity: 1MiB\n"
                                 "    technology: {preset: \"" +
                                     path + "\"}\n";
  try {
    load_platform_text(text, wrapper, {});
  } catch (const ConfigError& e) {
    // What the wrapper lacks (capacity, address mapping, ...) is the using platform's to give;
    // every problem inside the preset file is the preset's own.
    std::vector<Diagnostic> own;
    for (const Diagnostic& d : e.diagnostics()) {
      if (d.file != wrapper) own.push_back(d);
    }
    if (!own.empty()) throw ConfigError(own);
  }
  return info;
}

std::vector<PresetInfo> shipped_presets() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("HMASIM_PRESET_PATH")) dirs.emplace_back(env);
  if (!ConfigDocument::preset_directory().empty()) {
    dirs.push_back(ConfigDocument::preset_directory());
  }
  std::map<std::string, PresetInfo> by_name;
  for (const std::string& d : dirs) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(d, ec)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".yaml") continue;
      const std::string name = entry.path().stem().string();
      if (!by_name.count(name)) by_name.emplace(name, describe_preset(entry.path().string()));
    }
  }
  std::vector<PresetInfo> out;
  for (auto& kv : by_name) out.push_back(std::move(kv.second));
  return out;
}

}  // namespace hmasim
