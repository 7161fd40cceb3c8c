#include "app/sweep/point_status.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>

#include "app/sweep/flat_json.hpp"
#include "core/file_output.hpp"
#include "core/json_writer.hpp"
#include "core/yaml_source.hpp"

namespace hmasim {

namespace {

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
  // Renamed into place, but not flushed to disk: a point's status is written once per point,
  // and an fsync costs several ms, a few percent of a short run. After a crash a status may be
  // missing or empty: the point then runs again, which is the safe side.
  const std::string target = layout.status(name);
  std::string temp = target + ".tmp-XXXXXX";
  const int fd = mkstemp(temp.data());
  if (fd < 0) throw OutputError(target + ": cannot create a temporary file: " + strerror(errno));
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);  // as a file the sweep creates plainly (mkstemp makes it 0600)
  const std::string text = j.str() + "\n";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool closed = ::close(fd) == 0;
  if (!written || !closed || std::rename(temp.c_str(), target.c_str()) != 0) {
    const std::string why = strerror(errno);
    std::remove(temp.c_str());
    throw OutputError(target + ": cannot be written: " + why);
  }
}

std::optional<PointStatus> read_point_status(const SweepLayout& layout, const std::string& name) {
  std::string text, why;
  if (read_config_file(layout.status(name), text)) return std::nullopt;
  const auto flat = flatten_json(text, why);
  if (!flat) return std::nullopt;
  std::map<std::string, std::string> n(flat->begin(), flat->end());
  for (const char* key :
       {"format", "hash", "status", "error", "exit_status", "sweep_wall_time_s"}) {
    if (!n.count(key)) return std::nullopt;
  }
  if (n["format"] != kStatusFormat) return std::nullopt;
  PointStatus s;
  s.hash = n["hash"];
  s.ok = n["status"] == "ok";
  s.error = n["error"];
  try {
    s.exit_status = std::stoi(n["exit_status"]);
    s.wall_time_s = std::stod(n["sweep_wall_time_s"]);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return s;
}

}  // namespace hmasim
