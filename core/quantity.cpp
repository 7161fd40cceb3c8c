#include "core/quantity.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>

namespace hmasim {
namespace {

struct Unit {
  const char* suffix;
  double scale;
};

// Splits "12.5 GB/s" into 12.5 and "GB/s" and looks the unit up. `what` names the kind of value
// for the error message, `examples` shows valid spellings.
double parse_with_units(const std::string& text, const std::vector<Unit>& units, const char* what,
                        const char* examples) {
  const auto fail = [&](const std::string& why) -> double {
    throw QuantityError("'" + text + "' is not a valid " + what + " (" + why + "; expected e.g. " +
                        examples + ")");
  };
  std::size_t i = 0;
  while (i < text.size() && text[i] == ' ') ++i;
  const char* begin = text.c_str() + i;
  char* end = nullptr;
  const double number = std::strtod(begin, &end);
  if (end == begin) return fail("no number");
  if (!std::isfinite(number)) return fail("not a finite number");
  std::string unit(end);
  while (!unit.empty() && unit.front() == ' ') unit.erase(unit.begin());
  while (!unit.empty() && unit.back() == ' ') unit.pop_back();
  if (unit.empty()) return fail("missing unit");
  for (const Unit& u : units) {
    if (unit == u.suffix) {
      if (number < 0) return fail("negative");
      return number * u.scale;
    }
  }
  return fail("unknown unit '" + unit + "'");
}

// Converts a scaled value to an integer, refusing fractions that the unit cannot represent.
std::uint64_t to_whole(double v, const std::string& text, const char* what, const char* grain) {
  const double r = std::round(v);
  if (std::fabs(v - r) > 1e-6 * std::max(1.0, std::fabs(v))) {
    throw QuantityError("'" + text + "' is not a whole number of " + grain + " (" + what + ")");
  }
  if (r >= 18446744073709551615.0) throw QuantityError("'" + text + "' is too large");
  return static_cast<std::uint64_t>(r);
}

}  // namespace

Bytes parse_bytes(const std::string& text) {
  static const std::vector<Unit> units = {
      {"B", 1.0},
      {"KB", 1e3},
      {"kB", 1e3},
      {"MB", 1e6},
      {"GB", 1e9},
      {"TB", 1e12},
      {"KiB", 1024.0},
      {"MiB", 1048576.0},
      {"GiB", 1073741824.0},
      {"TiB", 1099511627776.0},
  };
  const double v = parse_with_units(text, units, "size", "64B, 64KiB, 2MiB, 4GB");
  return Bytes(to_whole(v, text, "size", "bytes"));
}

Bandwidth parse_bandwidth(const std::string& text) {
  static const std::vector<Unit> units = {
      {"B/s", 1.0},      {"KB/s", 1e3},        {"kB/s", 1e3},
      {"MB/s", 1e6},     {"GB/s", 1e9},        {"TB/s", 1e12},
      {"KiB/s", 1024.0}, {"MiB/s", 1048576.0}, {"GiB/s", 1073741824.0},
  };
  const double v = parse_with_units(text, units, "bandwidth", "25GB/s, 6.4GB/s, 512MiB/s");
  if (v <= 0) throw QuantityError("'" + text + "' is not a valid bandwidth (must be positive)");
  return Bandwidth(v);
}

Frequency parse_frequency(const std::string& text) {
  static const std::vector<Unit> units = {
      {"Hz", 1.0}, {"kHz", 1e3}, {"KHz", 1e3}, {"MHz", 1e6}, {"GHz", 1e9}};
  const double v = parse_with_units(text, units, "frequency", "1GHz, 1600MHz");
  const std::uint64_t hz = to_whole(v, text, "frequency", "hertz");
  if (hz == 0) throw QuantityError("'" + text + "' is not a valid frequency (must be positive)");
  return Frequency(hz);
}

Time parse_time(const std::string& text) {
  static const std::vector<Unit> units = {
      {"s", 1e12}, {"ms", 1e9}, {"us", 1e6}, {"ns", 1e3}, {"ps", 1.0}};
  const double v = parse_with_units(text, units, "time", "10ns, 0.625ns, 3.904us, 2ms");
  return Time(to_whole(v, text, "time", "picoseconds"));
}

Energy parse_energy(const std::string& text) {
  static const std::vector<Unit> units = {{"J", 1.0},   {"mJ", 1e-3},  {"uJ", 1e-6},
                                          {"nJ", 1e-9}, {"pJ", 1e-12}, {"fJ", 1e-15}};
  return Energy(parse_with_units(text, units, "energy", "5pJ, 1.35nJ"));
}

Power parse_power(const std::string& text) {
  static const std::vector<Unit> units = {{"W", 1.0}, {"mW", 1e-3}, {"uW", 1e-6}, {"nW", 1e-9}};
  return Power(parse_with_units(text, units, "power", "28mW, 1.2W, 300uW"));
}

Current parse_current(const std::string& text) {
  static const std::vector<Unit> units = {{"A", 1.0}, {"mA", 1e-3}, {"uA", 1e-6}};
  return Current(parse_with_units(text, units, "current", "45mA, 0.75mA, 1.2A"));
}

Voltage parse_voltage(const std::string& text) {
  static const std::vector<Unit> units = {{"V", 1.0}, {"mV", 1e-3}};
  return Voltage(parse_with_units(text, units, "voltage", "1.8V, 1100mV"));
}

namespace {
std::string format(double v, const char* unit) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g%s", v, unit);
  return buf;
}
}  // namespace

std::string to_string(Time t) {
  return format(to_nanoseconds(t), "ns");
}
std::string to_string(Bytes b) {
  return std::to_string(b.value()) + "B";
}
std::string to_string(Energy e) {
  return format(e.value() * 1e12, "pJ");
}
std::string to_string(Power p) {
  return format(p.value() * 1e3, "mW");
}
std::string to_string(Frequency f) {
  return format(static_cast<double>(f.value()) * 1e-6, "MHz");
}
std::string to_string(Bandwidth b) {
  return format(b.value() * 1e-9, "GB/s");
}
std::string to_string(Current i) {
  return format(i.value() * 1e3, "mA");
}
std::string to_string(Voltage v) {
  return format(v.value(), "V");
}

}  // namespace hmasim
