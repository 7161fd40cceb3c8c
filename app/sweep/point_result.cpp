#include "app/sweep/point_result.hpp"

#include "core/yaml_source.hpp"

namespace hmasim {

namespace {

void flatten(const YAML::Node& n, const std::string& path,
             std::vector<std::pair<std::string, std::string>>& out) {
  if (n.IsMap()) {
    for (const auto& kv : n) {
      const std::string k = kv.first.Scalar();
      flatten(kv.second, path.empty() ? k : path + "." + k, out);
    }
  } else if (n.IsSequence()) {
    for (std::size_t i = 0; i < n.size(); ++i) flatten(n[i], path + "." + std::to_string(i), out);
  } else if (n.IsScalar()) {
    out.emplace_back(path, n.Scalar());
  } else {
    out.emplace_back(path, "");  // null
  }
}

}  // namespace

std::string compact_json(const std::string& json) {
  std::string out;
  out.reserve(json.size());
  bool in_string = false, escaped = false;
  for (char c : json) {
    if (in_string) {
      out += c;
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
      out += c;
    } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
      out += c;
    }
  }
  return out;
}

std::string read_summary(const std::string& file, PointResult& r) {
  std::string text;
  if (auto why = read_config_file(file, text)) return *why;
  std::vector<Diagnostic> errors;
  // JSON is YAML's flow style: the config reader parses it with the same checks.
  const YamlText parsed = parse_yaml(text, file, errors);
  if (!parsed.ok || !parsed.root.IsMap()) {
    return file + ": not a JSON object" + (errors.empty() ? "" : " (" + errors.front().str() + ")");
  }
  r.scalars.clear();
  flatten(parsed.root, "", r.scalars);
  r.summary_json = compact_json(text);
  return "";
}

}  // namespace hmasim
