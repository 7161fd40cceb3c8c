// Number and field formatting shared by the trace writers: times as exact decimals (Time is
// integer picoseconds, so seconds and microseconds have a finite decimal expansion), reals in one
// fixed format (same value, same bytes), CSV fields quoted only when they need it.
#pragma once

#include <string>

#include "core/units.hpp"

namespace hmasim {

// `t` in seconds, exact: 12'345'000 ps -> "0.000012345"; 0 -> "0".
void append_seconds(std::string& out, Time t);
// `t` in microseconds, exact (the Chrome trace event format's unit): 1'500 ps -> "0.0015".
void append_microseconds(std::string& out, Time t);
// A real in "%.12g" (as summary.json; core/json_writer), "nan" / "inf" / "-inf" when not finite.
void append_real(std::string& out, double v);
// A CSV field: as is, or quoted (quotes doubled) when it holds a comma, quote or line break.
std::string csv_field(const std::string& s);

inline std::string seconds_text(Time t) {
  std::string s;
  append_seconds(s, t);
  return s;
}
inline std::string real_text(double v) {
  std::string s;
  append_real(s, v);
  return s;
}

}  // namespace hmasim
