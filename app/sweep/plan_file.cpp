#include "app/sweep/plan_file.hpp"

#include "app/sweep/effective_config.hpp"
#include "core/file_output.hpp"
#include "core/json_writer.hpp"
#include "core/yaml_source.hpp"

namespace hmasim {

namespace {

// A missing key of a const node is invalid: IsDefined() first.
bool scalar(const YAML::Node& n) {
  return n.IsDefined() && n.IsScalar();
}
bool sequence(const YAML::Node& n) {
  return n.IsDefined() && n.IsSequence();
}

constexpr const char* kPlanFormat = "hmasim sweep plan";

}  // namespace

void write_plan(const SweepLayout& layout, const SweepPlan& plan, const std::string& sweep_file) {
  JsonWriter j;
  j.begin_object();
  j.value("format", kPlanFormat);
  j.value("hmasim_version", hmasim_version());
  j.value("sweep", plan.name);
  j.value("file", sweep_file);
  j.begin_array("columns");
  for (const std::string& c : plan.columns) j.value("", c);
  j.end_array();
  j.begin_array("points");
  for (const SweepPoint& p : plan.points) {
    j.begin_object();
    j.value("name", p.name);
    j.value("hash", p.hash);
    j.begin_array("values");
    for (const std::string& v : p.values) j.value("", v);
    j.end_array();
    j.end_object();
  }
  j.end_array();
  j.end_object();
  write_file_atomically(layout.plan(), j.str() + "\n");
}

SweepPlan read_plan(const SweepLayout& layout) {
  const std::string file = layout.plan();
  std::string text;
  if (auto why = read_config_file(file, text)) {
    throw OutputError(file + ": " + *why + " (is this a sweep's output directory?)");
  }
  std::vector<Diagnostic> errors;
  const YamlText parsed = parse_yaml(text, file, errors);
  const YAML::Node& n = parsed.root;
  const auto bad = [&] { return OutputError(file + ": not a sweep plan written by hmasim sweep"); };
  if (!parsed.ok || !n.IsMap() || !scalar(n["format"]) || n["format"].Scalar() != kPlanFormat ||
      !scalar(n["sweep"]) || !sequence(n["columns"]) || !sequence(n["points"])) {
    throw bad();
  }
  SweepPlan plan;
  plan.name = n["sweep"].Scalar();
  for (const YAML::Node& c : n["columns"]) {
    if (!c.IsScalar()) throw bad();
    plan.columns.push_back(c.Scalar());
  }
  for (const YAML::Node& p : n["points"]) {
    if (!p.IsMap() || !scalar(p["name"]) || !scalar(p["hash"]) || !sequence(p["values"]) ||
        p["values"].size() != plan.columns.size()) {
      throw bad();
    }
    SweepPoint point;
    point.index = plan.points.size();
    point.name = p["name"].Scalar();
    point.hash = p["hash"].Scalar();
    for (const YAML::Node& v : p["values"]) {
      if (!v.IsScalar()) throw bad();
      point.values.push_back(v.Scalar());
    }
    plan.points.push_back(std::move(point));
  }
  return plan;
}

bool same_points(const SweepPlan& a, const SweepPlan& b) {
  if (a.columns != b.columns || a.points.size() != b.points.size()) return false;
  for (std::size_t i = 0; i < a.points.size(); ++i) {
    const SweepPoint &x = a.points[i], &y = b.points[i];
    if (x.name != y.name || x.hash != y.hash || x.values != y.values) return false;
  }
  return true;
}

}  // namespace hmasim
