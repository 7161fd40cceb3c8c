#include "mem/stl_trace.hpp"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace hmasim {

StlTraceReader::StlTraceReader(std::istream& in, std::string name, std::uint32_t default_length)
    : in_(in), name_(std::move(name)), default_length_(default_length) {}

void StlTraceReader::fail(const std::string& why) const {
  throw TraceError(name_ + ":" + std::to_string(line_) + ": " + why +
                   " (expected '<cycle>: [(<length>)] read|write 0x<address> [0x<data>]', got '" +
                   text_ + "')");
}

namespace {
void skip_spaces(const char*& p) {
  while (*p == ' ' || *p == '\t' || *p == '\r') ++p;
}
bool parse_u64(const char*& p, int base, std::uint64_t& out) {
  if (!std::isxdigit(static_cast<unsigned char>(*p))) return false;
  errno = 0;
  char* end = nullptr;
  out = std::strtoull(p, &end, base);
  if (end == p || errno == ERANGE) return false;
  p = end;
  return true;
}
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

bool StlTraceReader::next(TraceRequest& out) {
  while (std::getline(in_, text_)) {
    ++line_;
    // Comments end the line: cut in place (the original text is kept for error messages).
    body_.assign(text_, 0, text_.find('#'));
    const char* p = body_.c_str();
    skip_spaces(p);
    if (*p == '\0') continue;

    out = TraceRequest{};
    out.line = line_;
    if (!std::isdigit(static_cast<unsigned char>(*p)) || !parse_u64(p, 10, out.cycle)) {
      fail("missing cycle number");
    }
    skip_spaces(p);
    if (*p != ':') fail("missing ':' after the cycle");
    ++p;
    skip_spaces(p);
    out.length = default_length_;
    if (*p == '(') {
      ++p;
      skip_spaces(p);
      std::uint64_t len = 0;
      const bool number = parse_u64(p, 10, len);
      skip_spaces(p);
      if (!number || *p != ')') fail("bad length in parentheses");
      ++p;
      if (len == 0 || len > (1u << 20)) fail("length must be between 1 and 1048576 bytes");
      out.length = static_cast<std::uint32_t>(len);
      skip_spaces(p);
    }
    if (std::strncmp(p, "read", 4) == 0) {
      out.write = false;
      p += 4;
    } else if (std::strncmp(p, "write", 5) == 0) {
      out.write = true;
      p += 5;
    } else {
      fail("expected 'read' or 'write'");
    }
    if (*p != ' ' && *p != '\t') fail("expected a space before the address");
    skip_spaces(p);
    if (!(p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))) fail("address must be hex with 0x");
    p += 2;
    if (!parse_u64(p, 16, out.address)) fail("bad hex address");
    skip_spaces(p);
    if (*p != '\0') {
      if (!out.write) fail("read requests carry no data");
      if (!(p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))) fail("data must be hex with 0x");
      p += 2;
      const char* d = p;
      while (std::isxdigit(static_cast<unsigned char>(*p))) ++p;
      const std::size_t digits = static_cast<std::size_t>(p - d);
      skip_spaces(p);
      if (*p != '\0') fail("unexpected text after the data");
      if (digits != 2 * static_cast<std::size_t>(out.length)) {
        fail("data has " + std::to_string(digits) + " hex digits, the length " +
             std::to_string(out.length) + " needs " + std::to_string(2 * out.length));
      }
      out.data.resize(out.length);
      for (std::size_t i = 0; i < out.length; ++i) {
        out.data[i] = static_cast<std::uint8_t>(hex_value(d[2 * i]) * 16 + hex_value(d[2 * i + 1]));
      }
    }
    if (out.cycle < last_cycle_) {
      fail("cycle " + std::to_string(out.cycle) + " is earlier than the previous request's " +
           std::to_string(last_cycle_));
    }
    last_cycle_ = out.cycle;
    return true;
  }
  return false;
}

}  // namespace hmasim
