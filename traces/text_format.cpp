#include "traces/text_format.hpp"

#include <cmath>
#include <cstdio>

namespace hmasim {

namespace {

// `value / 10^digits` as an exact decimal without trailing zeros.
void append_fixed_point(std::string& out, std::uint64_t value, unsigned digits) {
  std::uint64_t scale = 1;
  for (unsigned i = 0; i < digits; ++i) scale *= 10;
  out += std::to_string(value / scale);
  std::uint64_t frac = value % scale;
  if (frac == 0) return;
  char buf[24];
  for (unsigned i = digits; i-- > 0;) {
    buf[i] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  unsigned n = digits;
  while (n > 0 && buf[n - 1] == '0') --n;
  out += '.';
  out.append(buf, n);
}

}  // namespace

void append_seconds(std::string& out, Time t) {
  append_fixed_point(out, t.value(), 12);
}

void append_microseconds(std::string& out, Time t) {
  append_fixed_point(out, t.value(), 6);
}

void append_real(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "nan";
    return;
  }
  if (std::isinf(v)) {
    out += v < 0 ? "-inf" : "inf";
    return;
  }
  char buf[40];
  const int n = std::snprintf(buf, sizeof buf, "%.12g", v);
  out.append(buf, static_cast<std::size_t>(n));
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

}  // namespace hmasim
