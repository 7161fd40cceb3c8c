// timeline.json: the Chrome trace event format, which ui.perfetto.dev and chrome://tracing open.
// Track groups are processes (pid), tracks are threads (tid), named by `M` metadata events;
// slices are `X` complete events, counter samples `C` events. Times are microseconds written as
// exact decimals (Time is integer picoseconds: 1 ps = 0.000001).
//
// Events are written as they are reported, unsorted (viewers sort), so nothing is held in memory;
// the file is valid JSON once finish() has closed the array, with any number of events.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/units.hpp"
#include "traces/output_stream.hpp"

namespace hmasim {

class TimelineWriter {
 public:
  using Id = std::uint32_t;

  // Creates `path` (it must not exist) and writes the opening. Throws OutputError.
  explicit TimelineWriter(const std::string& path);

  // Thread `name` of process `group`; groups and tracks are ordered as first registered.
  // May be called at any time.
  Id track(const std::string& group, const std::string& name);
  // A slice [begin, end) (end before begin: zero length).
  void slice(Id track, Time begin, Time end, const std::string& name, const char* category);
  // From `at` on, counter `name` of `track` has `value`. The counter is named "<track>.<name>":
  // the format keys counters by process and name, so tracks of one group keep theirs apart.
  void counter(Id track, Time at, const std::string& name, double value);
  // Closes the array and the file (throws OutputError on a write error). Idempotent.
  void finish();

  std::uint64_t events() const { return events_; }
  const std::string& path() const { return out_.path(); }

 private:
  struct Track {
    std::uint32_t pid;
    std::uint32_t tid;
    std::string name;
  };
  void begin_event();
  void write_metadata(const char* what, std::uint32_t pid, std::uint32_t tid, const char* key,
                      const std::string& value);

  OutputStream out_;
  std::vector<std::string> groups_;  // pid = index + 1
  std::vector<Track> tracks_;        // tid = index + 1
  std::uint64_t events_ = 0;
  bool finished_ = false;
  std::string line_;
};

}  // namespace hmasim
