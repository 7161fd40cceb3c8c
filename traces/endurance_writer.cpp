#include "traces/endurance_writer.hpp"

#include "traces/text_format.hpp"

namespace hmasim {

EnduranceWriter::EnduranceWriter(const std::string& path) : out_(path) {
  out_.write("memory,frame,time_s,group,writes\n");
}

void EnduranceWriter::block_writes(const std::string& memory, std::uint32_t frame, Time at,
                                   const std::vector<std::uint64_t>& writes_per_group) {
  if (finished_) return;
  std::string prefix = csv_field(memory) + "," + std::to_string(frame) + ",";
  append_seconds(prefix, at);
  prefix += ',';
  text_.clear();
  for (std::size_t g = 0; g < writes_per_group.size(); ++g) {
    text_ += prefix;
    text_ += std::to_string(g);
    text_ += ',';
    text_ += std::to_string(writes_per_group[g]);
    text_ += '\n';
    if (text_.size() >= (1 << 16)) {
      out_.write(text_);
      text_.clear();
    }
  }
  out_.write(text_);
  rows_ += writes_per_group.size();
}

void EnduranceWriter::finish() {
  if (finished_) return;
  finished_ = true;
  out_.close();
}

}  // namespace hmasim
