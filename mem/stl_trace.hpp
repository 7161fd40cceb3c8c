// Request traces in the DRAMSys `.stl` text form, one request per line:
//   <cycle>: [(<length>)] read|write 0x<hex address> [0x<hex data>]
// `#` starts a comment; blank lines are skipped. Cycles count the memory's clock and must not
// decrease. Without a length the reader's default applies; write data, when given, must hold
// exactly `length` bytes (2 hex digits each, first byte first).
#pragma once

#include <cstdint>
#include <istream>
#include <stdexcept>
#include <string>
#include <vector>

namespace hmasim {

struct TraceRequest {
  std::uint64_t cycle = 0;
  bool write = false;
  std::uint64_t address = 0;
  std::uint32_t length = 0;
  std::vector<std::uint8_t> data;  // empty unless the line gives write data
  int line = 0;
};

class TraceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class StlTraceReader {
 public:
  // `name` is used in error messages ("trace.stl:12: ...").
  StlTraceReader(std::istream& in, std::string name, std::uint32_t default_length);
  // Reads the next request; false at end of input. Throws TraceError naming the line.
  bool next(TraceRequest& out);
  const std::string& name() const { return name_; }

 private:
  [[noreturn]] void fail(const std::string& why) const;
  std::istream& in_;
  std::string name_;
  std::uint32_t default_length_;
  int line_ = 0;
  std::uint64_t last_cycle_ = 0;
  std::string text_;
  std::string body_;
};

}  // namespace hmasim
