#include "mem/stl_trace.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <limits>
#include <streambuf>

namespace hmasim {

namespace {

// At most this much of a bad line is quoted: a 2 MiB line or binary junk must not flood stderr.
constexpr std::size_t kQuoteBytes = 120;

// The line as written, with bytes that a terminal would not show escaped (\xNN).
std::string quote_line(const std::string& text) {
  std::string q;
  for (std::size_t i = 0; i < text.size() && i < kQuoteBytes; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f) {
      q += static_cast<char>(c);
    } else {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\x%02x", c);
      q += esc;
    }
  }
  if (text.size() > kQuoteBytes) q += "...";
  return q;
}

void skip_spaces(const char*& p) {
  while (*p == ' ' || *p == '\t' || *p == '\r') ++p;
}

enum class Number { ok, missing, too_large };

// The value of each byte as a hex digit, or -1. A table, not comparisons: a trace is mostly
// digits, and which range (0-9 or a-f) the next one is in is data, so branches mispredict.
constexpr std::array<std::int8_t, 256> make_hex_values() {
  std::array<std::int8_t, 256> v{};
  for (int c = 0; c < 256; ++c) {
    v[c] = c >= '0' && c <= '9'   ? static_cast<std::int8_t>(c - '0')
           : c >= 'a' && c <= 'f' ? static_cast<std::int8_t>(c - 'a' + 10)
           : c >= 'A' && c <= 'F' ? static_cast<std::int8_t>(c - 'A' + 10)
                                  : std::int8_t{-1};
  }
  return v;
}
constexpr std::array<std::int8_t, 256> kHexValues = make_hex_values();

int hex_value(char c) {
  return kHexValues[static_cast<unsigned char>(c)];
}

// The value of digit c in base 10 or 16, or -1.
template <unsigned kBase>
int digit_value(char c) {
  const int v = hex_value(c);
  return kBase == 16 || v < 10 ? v : -1;
}

// Digits in kBase (10 or 16) at p, no sign, no prefix; too_large if the value exceeds 64 bits.
template <unsigned kBase>
Number parse_u64(const char*& p, std::uint64_t& out) {
  int d = digit_value<kBase>(*p);
  if (d < 0) return Number::missing;
  std::uint64_t v = 0;
  bool overflow = false;
  for (; d >= 0; d = digit_value<kBase>(*++p)) {
    // v * base + d past 2^64 - 1 (checked without a division per digit)
    overflow |= __builtin_mul_overflow(v, std::uint64_t{kBase}, &v);
    overflow |= __builtin_add_overflow(v, static_cast<std::uint64_t>(d), &v);
  }
  if (overflow) return Number::too_large;
  out = v;
  return Number::ok;
}

// Whether the text at p starts with `word` (compared byte by byte: never past the terminator).
bool starts_with(const char* p, const char* word) {
  for (; *word != '\0'; ++p, ++word) {
    if (*p != *word) return false;
  }
  return true;
}

std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

StlTraceReader::StlTraceReader(std::istream& in, std::string name, std::uint32_t default_length)
    : in_(in), name_(std::move(name)), default_length_(default_length), chunk_(kChunkBytes) {
  if (default_length == 0 || default_length > kMaxTraceRequestBytes) {
    throw std::invalid_argument("StlTraceReader: the default length must be 1 B .. 1 MiB");
  }
}

void StlTraceReader::fail(const std::string& why) const {
  throw TraceError(name_ + ":" + std::to_string(line_) + ": " + why +
                   " (expected '<cycle>: [(<length>)] read|write 0x<address> [0x<data>]', got '" +
                   quote_line(text_) + "')");
}

void StlTraceReader::fail_input(const std::string& why) const {
  throw TraceError(name_ + ":" + std::to_string(line_) + ": " + why);
}

bool StlTraceReader::fill() {
  if (at_end_) return false;
  std::streambuf* buf = in_.rdbuf();
  const std::streamsize n =
      buf ? buf->sgetn(chunk_.data(), static_cast<std::streamsize>(chunk_.size())) : 0;
  pos_ = 0;
  end_ = n > 0 ? static_cast<std::size_t>(n) : 0;
  at_end_ = end_ == 0;
  return !at_end_;
}

bool StlTraceReader::read_line() {
  text_.clear();
  bool any = false;
  std::string read_error;
  // A chunk at a time from the stream buffer, cut at newlines: the line length stays bounded,
  // which std::getline cannot promise on input without newlines. The checks see the bytes in
  // order, as a byte-by-byte reader would: the first NUL, or the first byte past the longest line.
  try {
    for (;;) {
      if (pos_ == end_ && !fill()) break;
      if (!any) ++line_;
      any = true;
      const char* start = chunk_.data() + pos_;
      const std::size_t available = end_ - pos_;
      const char* newline = static_cast<const char*>(std::memchr(start, '\n', available));
      const std::size_t n = newline ? static_cast<std::size_t>(newline - start) : available;
      const std::size_t room = kMaxTraceLineBytes - text_.size();
      if (const void* nul = std::memchr(start, '\0', std::min(n, room + 1))) {
        fail_input("NUL byte at column " +
                   std::to_string(text_.size() +
                                  static_cast<std::size_t>(static_cast<const char*>(nul) - start) +
                                  1) +
                   ": a trace is text (is this a binary file?)");
      }
      if (n > room) {
        fail_input("line " + std::to_string(line_) + " is longer than " +
                   std::to_string(kMaxTraceLineBytes) +
                   " bytes, the longest a request line can be (is this a binary file?)");
      }
      text_.append(start, n);
      pos_ += n;
      if (newline) {
        ++pos_;
        return true;
      }
    }
  } catch (const std::ios_base::failure& e) {
    // libstdc++'s filebuf throws on read(2) errors (EISDIR, EIO): not the end of the trace.
    read_error = e.code() ? e.code().message() : e.what();
  }
  if (!read_error.empty()) {
    if (!any) ++line_;
    fail_input("cannot read the trace: " + read_error);
  }
  return any;
}

bool StlTraceReader::next(TraceRequest& out) {
  while (read_line()) {
    // Comments end the line: a copy without it (the original text is kept for error messages).
    const std::size_t comment = text_.find('#');
    if (comment != std::string::npos) body_.assign(text_, 0, comment);
    const char* p = comment == std::string::npos ? text_.c_str() : body_.c_str();
    skip_spaces(p);
    if (*p == '\0') continue;

    // Field by field, not `out = TraceRequest{}`: the data vector keeps its buffer.
    out.cycle = 0;
    out.write = false;
    out.address = 0;
    out.data.clear();
    out.line = line_;
    switch (parse_u64<10>(p, out.cycle)) {
      case Number::ok:
        break;
      case Number::missing:
        fail("missing cycle number");
      case Number::too_large:
        fail("the cycle does not fit 64 bits (at most 18446744073709551615)");
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
      const Number number = parse_u64<10>(p, len);
      skip_spaces(p);
      if (number == Number::missing || *p != ')') fail("bad length in parentheses");
      ++p;
      if (number == Number::too_large || len == 0 || len > kMaxTraceRequestBytes) {
        fail("length must be between 1 and " + std::to_string(kMaxTraceRequestBytes) + " bytes");
      }
      out.length = static_cast<std::uint32_t>(len);
      skip_spaces(p);
    }
    if (starts_with(p, "read")) {
      out.write = false;
      p += 4;
    } else if (starts_with(p, "write")) {
      out.write = true;
      p += 5;
    } else {
      fail("expected 'read' or 'write'");
    }
    if (*p != ' ' && *p != '\t') fail("expected a space before the address");
    skip_spaces(p);
    if (!(p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))) fail("address must be hex with 0x");
    p += 2;
    switch (parse_u64<16>(p, out.address)) {
      case Number::ok:
        break;
      case Number::missing:
        fail("bad hex address");
      case Number::too_large:
        fail("the address does not fit 64 bits (at most 0xffffffffffffffff)");
    }
    // The request's last byte must be addressable: no wrap past 2^64 - 1.
    if (out.length - 1 > std::numeric_limits<std::uint64_t>::max() - out.address) {
      fail("a request of " + std::to_string(out.length) + " B at " + hex(out.address) +
           " runs past the end of the 64-bit address space");
    }
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
