#include "app/sweep/point_result.hpp"

#include "app/sweep/flat_json.hpp"
#include "core/yaml_source.hpp"

namespace hmasim {

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
  std::string why;
  auto flat = flatten_json(text, why);
  if (!flat) return file + ": not a JSON object: " + why;
  r.scalars = std::move(*flat);
  r.summary_json = compact_json(text);
  return "";
}

}  // namespace hmasim
