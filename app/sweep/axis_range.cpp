#include "app/sweep/axis_range.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace hmasim {

namespace {

std::optional<std::int64_t> parse_integer(const std::string& text) {
  const bool negative = !text.empty() && text[0] == '-';
  const auto magnitude =
      parse_decimal(negative ? text.substr(1) : text, 0,
                    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
  if (!magnitude) return std::nullopt;
  const auto v = static_cast<std::int64_t>(*magnitude);
  return negative ? -v : v;
}

std::optional<double> parse_real(const std::string& text) {
  if (text.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (errno != 0 || end != text.c_str() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

std::optional<std::uint64_t> parse_decimal(const std::string& text, std::uint64_t min,
                                           std::uint64_t max) {
  if (text.empty()) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (v > (max - digit) / 10) return std::nullopt;
    v = v * 10 + digit;
  }
  if (v < min) return std::nullopt;
  return v;
}

std::optional<std::vector<std::string>> expand_range(const std::string& from, const std::string& to,
                                                     const std::string& step,
                                                     std::size_t max_values, std::string& why) {
  const auto too_many = [&] {
    why = "the range has more than " + std::to_string(max_values) + " values";
    return std::nullopt;
  };
  const auto a = parse_integer(from), b = parse_integer(to), s = parse_integer(step);
  std::vector<std::string> out;
  if (a && b && s) {
    if (*s == 0) {
      why = "step must not be 0";
      return std::nullopt;
    }
    if ((*s > 0 && *a > *b) || (*s < 0 && *a < *b)) {
      why = "a step of " + step + " never goes from " + from + " to " + to;
      return std::nullopt;
    }
    // In unsigned arithmetic: the span of two int64 values always fits.
    const std::uint64_t span =
        *s > 0 ? static_cast<std::uint64_t>(*b) - static_cast<std::uint64_t>(*a)
               : static_cast<std::uint64_t>(*a) - static_cast<std::uint64_t>(*b);
    const std::uint64_t stride =
        *s > 0 ? static_cast<std::uint64_t>(*s) : 0 - static_cast<std::uint64_t>(*s);
    const std::uint64_t count = span / stride + 1;
    if (count > max_values) return too_many();
    for (std::uint64_t i = 0; i < count; ++i) {
      const std::uint64_t offset = i * stride;
      const auto v = *s > 0 ? static_cast<std::int64_t>(static_cast<std::uint64_t>(*a) + offset)
                            : static_cast<std::int64_t>(static_cast<std::uint64_t>(*a) - offset);
      out.push_back(std::to_string(v));
    }
    return out;
  }
  const auto x = parse_real(from), y = parse_real(to), d = parse_real(step);
  if (!x || !y || !d) {
    why = "from, to and step must be numbers (from: " + (from.empty() ? "missing" : from) +
          ", to: " + (to.empty() ? "missing" : to) + ", step: " + step + ")";
    return std::nullopt;
  }
  if (*d == 0) {
    why = "step must not be 0";
    return std::nullopt;
  }
  const double steps = (*y - *x) / *d;
  if (steps < 0) {
    why = "a step of " + step + " never goes from " + from + " to " + to;
    return std::nullopt;
  }
  // A hair of tolerance: 0 to 1 in steps of 0.1 ends at 1, though 1 / 0.1 may round below 10.
  const double last = std::floor(steps + 1e-9);
  if (last + 1 > static_cast<double>(max_values)) return too_many();
  for (double i = 0; i <= last; ++i) {
    char text[64];
    std::snprintf(text, sizeof text, "%.12g", *x + i * *d);
    out.push_back(text);
  }
  return out;
}

}  // namespace hmasim
