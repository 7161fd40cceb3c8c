#include "app/sweep/point_status.hpp"

#include "core/file_output.hpp"
#include "core/json_writer.hpp"
#include "core/yaml_source.hpp"

namespace hmasim {

namespace {

// A missing key of a const node is invalid: IsDefined() first.
bool scalar(const YAML::Node& n) {
  return n.IsDefined() && n.IsScalar();
}

constexpr const char* kStatusFormat = "hmasim sweep point status";

}  // namespace

void write_point_status(const SweepLayout& layout, const std::string& name, const PointStatus& s) {
  JsonWriter j;
  j.begin_object();
  j.value("format", kStatusFormat);
  j.value("point", name);
  j.value("hash", s.hash);
  j.value("status", s.ok ? "ok" : "failed");
  j.value("error", s.error);
  j.value("exit_status", s.exit_status);
  j.value("sweep_wall_time_s", s.wall_time_s);
  j.end_object();
  write_file_atomically(layout.status(name), j.str() + "\n");
}

std::optional<PointStatus> read_point_status(const SweepLayout& layout, const std::string& name) {
  std::string text;
  if (read_config_file(layout.status(name), text)) return std::nullopt;
  std::vector<Diagnostic> ignored;
  const YamlText parsed = parse_yaml(text, layout.status(name), ignored);
  if (!parsed.ok || !parsed.root.IsMap()) return std::nullopt;
  const YAML::Node& n = parsed.root;
  for (const char* key :
       {"format", "hash", "status", "error", "exit_status", "sweep_wall_time_s"}) {
    if (!scalar(n[key])) return std::nullopt;
  }
  if (n["format"].Scalar() != kStatusFormat) return std::nullopt;
  PointStatus s;
  s.hash = n["hash"].Scalar();
  s.ok = n["status"].Scalar() == "ok";
  s.error = n["error"].Scalar();
  try {
    s.exit_status = std::stoi(n["exit_status"].Scalar());
    s.wall_time_s = std::stod(n["sweep_wall_time_s"].Scalar());
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return s;
}

}  // namespace hmasim
