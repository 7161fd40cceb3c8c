#include "traces/timeline_writer.hpp"

#include <stdexcept>

#include "core/json_writer.hpp"
#include "traces/text_format.hpp"

namespace hmasim {

TimelineWriter::TimelineWriter(const std::string& path) : out_(path) {
  out_.write("{\"traceEvents\": [");
}

void TimelineWriter::begin_event() {
  line_ = events_ == 0 ? "\n" : ",\n";
  ++events_;
}

void TimelineWriter::write_metadata(const char* what, std::uint32_t pid, std::uint32_t tid,
                                    const char* key, const std::string& value) {
  begin_event();
  line_ += "{\"ph\":\"M\",\"name\":\"";
  line_ += what;
  line_ += "\",\"pid\":" + std::to_string(pid) + ",\"tid\":" + std::to_string(tid) +
           ",\"ts\":0,\"args\":{\"" + key + "\":" + value + "}}";
  out_.write(line_);
}

TimelineWriter::Id TimelineWriter::track(const std::string& group, const std::string& name) {
  if (finished_) throw std::logic_error("timeline.json: track '" + name + "' after finish");
  std::uint32_t pid = 0;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    if (groups_[g] == group) pid = static_cast<std::uint32_t>(g + 1);
  }
  if (pid == 0) {
    groups_.push_back(group);
    pid = static_cast<std::uint32_t>(groups_.size());
    write_metadata("process_name", pid, 0, "name", JsonWriter::quote(group));
    write_metadata("process_sort_index", pid, 0, "sort_index", std::to_string(pid));
  }
  const std::uint32_t tid = static_cast<std::uint32_t>(tracks_.size() + 1);
  tracks_.push_back(Track{pid, tid, name});
  write_metadata("thread_name", pid, tid, "name", JsonWriter::quote(name));
  write_metadata("thread_sort_index", pid, tid, "sort_index", std::to_string(tid));
  return tid - 1;
}

void TimelineWriter::slice(Id track, Time begin, Time end, const std::string& name,
                           const char* category) {
  if (finished_) return;
  const Track& t = tracks_.at(track);
  begin_event();
  line_ += "{\"ph\":\"X\",\"name\":" + JsonWriter::quote(name) +
           ",\"cat\":" + JsonWriter::quote(category != nullptr ? category : "") +
           ",\"pid\":" + std::to_string(t.pid) + ",\"tid\":" + std::to_string(t.tid) + ",\"ts\":";
  append_microseconds(line_, begin);
  line_ += ",\"dur\":";
  append_microseconds(line_, end > begin ? end - begin : Time(0));
  line_ += '}';
  out_.write(line_);
}

void TimelineWriter::counter(Id track, Time at, const std::string& name, double value) {
  if (finished_) return;
  const Track& t = tracks_.at(track);
  begin_event();
  line_ += "{\"ph\":\"C\",\"name\":" + JsonWriter::quote(t.name + "." + name) +
           ",\"pid\":" + std::to_string(t.pid) + ",\"tid\":" + std::to_string(t.tid) + ",\"ts\":";
  append_microseconds(line_, at);
  line_ += ",\"args\":{\"value\":" + JsonWriter::number(value) + "}}";
  out_.write(line_);
}

void TimelineWriter::finish() {
  if (finished_) return;
  finished_ = true;
  out_.write(events_ == 0 ? "], \"displayTimeUnit\": \"ns\"}\n"
                          : "\n], \"displayTimeUnit\": \"ns\"}\n");
  out_.close();
}

}  // namespace hmasim
