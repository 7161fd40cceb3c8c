#include "app/sweep/results_table.hpp"

#include <map>
#include <set>

#include "core/file_output.hpp"
#include "core/json_writer.hpp"

namespace hmasim {

namespace {

const char* const kFixedColumns[] = {"point", "status", "error", "sweep_wall_time_s"};

}  // namespace

std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

std::string results_csv(const SweepPlan& plan,
                        const std::vector<std::optional<PointResult>>& results) {
  std::set<std::string> taken(plan.columns.begin(), plan.columns.end());
  for (const char* c : kFixedColumns) taken.insert(c);
  std::vector<std::string> summary_columns;
  std::map<std::string, std::size_t> column_index;
  for (const auto& r : results) {
    if (!r) continue;
    for (const auto& [key, value] : r->scalars) {
      if (taken.count(key) || column_index.count(key)) continue;
      column_index[key] = summary_columns.size();
      summary_columns.push_back(key);
    }
  }
  std::string out = "point";
  for (const std::string& c : plan.columns) out += "," + csv_cell(c);
  out += ",status,error,sweep_wall_time_s";
  for (const std::string& c : summary_columns) out += "," + csv_cell(c);
  out += "\n";
  for (std::size_t i = 0; i < plan.points.size() && i < results.size(); ++i) {
    if (!results[i]) continue;
    const SweepPoint& p = plan.points[i];
    const PointResult& r = *results[i];
    out += csv_cell(p.name);
    for (const std::string& v : p.values) out += "," + csv_cell(v);
    out += std::string(",") + (r.ok ? "ok" : "failed") + "," + csv_cell(r.error) + "," +
           JsonWriter::number(r.wall_time_s);
    std::vector<std::string> cells(summary_columns.size());
    for (const auto& [key, value] : r.scalars) {
      const auto it = column_index.find(key);
      if (it != column_index.end()) cells[it->second] = value;
    }
    for (const std::string& c : cells) out += "," + csv_cell(c);
    out += "\n";
  }
  return out;
}

std::string results_jsonl(const SweepPlan& plan,
                          const std::vector<std::optional<PointResult>>& results) {
  std::string out;
  for (std::size_t i = 0; i < plan.points.size() && i < results.size(); ++i) {
    if (!results[i]) continue;
    const SweepPoint& p = plan.points[i];
    const PointResult& r = *results[i];
    out += "{\"point\":" + JsonWriter::quote(p.name) + ",\"values\":{";
    for (std::size_t c = 0; c < plan.columns.size(); ++c) {
      out += (c ? "," : "") + JsonWriter::quote(plan.columns[c]) + ":" +
             JsonWriter::quote(p.values[c]);
    }
    out += std::string("},\"status\":\"") + (r.ok ? "ok" : "failed") +
           "\",\"error\":" + JsonWriter::quote(r.error) +
           ",\"sweep_wall_time_s\":" + JsonWriter::number(r.wall_time_s) +
           ",\"summary\":" + r.summary_json + "}\n";
  }
  return out;
}

void write_results(const std::string& dir, const SweepPlan& plan,
                   const std::vector<std::optional<PointResult>>& results) {
  write_file_atomically(dir + "/results.csv", results_csv(plan, results));
  write_file_atomically(dir + "/results.jsonl", results_jsonl(plan, results));
}

}  // namespace hmasim
