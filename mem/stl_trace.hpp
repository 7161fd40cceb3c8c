// Request traces in the DRAMSys `.stl` text form, one request per line:
//   <cycle>: [(<length>)] read|write 0x<hex address> [0x<hex data>]
// `#` starts a comment; blank lines are skipped. Cycles count the memory's clock and must not
// decrease. Without a length the reader's default applies; write data, when given, must hold
// exactly `length` bytes (2 hex digits each, first byte first).
//
// What the reader refuses, each as a TraceError naming the line (docs/user-guide.md):
// - numbers that do not fit 64 bits (cycle, address), a length outside 1 B .. 1 MiB, a request
//   whose last byte lies past the 64-bit address space (address + length - 1 > 2^64 - 1);
// - a NUL byte (binary input, not a text trace), a line longer than kMaxTraceLineBytes (so
//   /dev/zero or a binary file fails fast instead of being read whole), and read errors (a
//   directory, an I/O error): they never pass for the end of the trace.
// Whether a cycle's time fits simulated time depends on the memory's clock: the replayer checks
// that (trace_replayer.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <stdexcept>
#include <string>
#include <vector>

namespace hmasim {

// The longest request a trace may give: 1 MiB.
constexpr std::uint32_t kMaxTraceRequestBytes = 1u << 20;
// The longest line: a write of the longest request with its data in hex (2 MiB of digits), plus
// 4 KiB for the rest of the line and a comment.
constexpr std::size_t kMaxTraceLineBytes = 2 * std::size_t{kMaxTraceRequestBytes} + 4096;

struct TraceRequest {
  std::uint64_t cycle = 0;
  bool write = false;
  std::uint64_t address = 0;
  std::uint32_t length = 0;
  std::vector<std::uint8_t> data;  // empty unless the line gives write data
  std::int64_t line = 0;           // 64 bits: a long trace must not wrap the line number
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
  // A malformed request: the message quotes the line and the expected form.
  [[noreturn]] void fail(const std::string& why) const;
  // A problem with the input itself (binary data, read error): no format reminder.
  [[noreturn]] void fail_input(const std::string& why) const;
  // Reads the next line into text_ (without its '\n'); false at end of input.
  bool read_line();
  // Reads the next chunk of input into chunk_; false at end of input.
  bool fill();
  static constexpr std::size_t kChunkBytes = 64 * 1024;
  std::istream& in_;
  std::string name_;
  std::uint32_t default_length_;
  std::int64_t line_ = 0;
  std::uint64_t last_cycle_ = 0;
  std::string text_;
  std::string body_;
  std::vector<char> chunk_;  // input read ahead; [pos_, end_) not yet consumed
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  bool at_end_ = false;
};

}  // namespace hmasim
