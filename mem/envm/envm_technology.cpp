#include "mem/envm/envm_technology.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <vector>

#include "core/quantity.hpp"

namespace hmasim {

namespace {

struct LengthUnit {
  const char* suffix;
  double scale;
};

// "<number><unit>" with one of `units`; nullopt if the text does not have that form.
std::optional<double> number_with_unit(const std::string& text,
                                       const std::vector<LengthUnit>& units) {
  const char* begin = text.c_str();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  if (end == begin || !std::isfinite(v)) return std::nullopt;
  std::string unit(end);
  while (!unit.empty() && unit.front() == ' ') unit.erase(unit.begin());
  for (const LengthUnit& u : units) {
    if (unit == u.suffix) return v * u.scale;
  }
  return std::nullopt;
}

// The feature size, written with its unit ("22nm") like every other quantity in a config.
double parse_node_nm(const ConfigNode& node) {
  const auto text = node.find<std::string>("node");
  if (!text) return 0.0;
  const auto nm = number_with_unit(*text, {{"nm", 1.0}, {"um", 1000.0}});
  if (!nm || *nm <= 0.0) {
    node.error("node", "'" + *text + "' is not a feature size; expected e.g. 22nm");
    return 0.0;
  }
  return *nm;
}

// Retention spans years, beyond the picosecond Time type (which tops out near 213 days), so it
// is kept as seconds in a double; it is reported, never simulated.
std::optional<double> parse_retention_s(const ConfigNode& node) {
  const auto text = node.find<std::string>("retention");
  if (!text) return std::nullopt;
  constexpr double kDay = 86400.0;
  const auto s = number_with_unit(*text, {{"s", 1.0},
                                          {"min", 60.0},
                                          {"h", 3600.0},
                                          {"d", kDay},
                                          {"days", kDay},
                                          {"y", 365.25 * kDay},
                                          {"years", 365.25 * kDay}});
  if (!s || *s <= 0.0) {
    node.error("retention", "'" + *text + "' is not a retention time; expected e.g. 10years, " +
                                "30days, 3600s");
    return std::nullopt;
  }
  return s;
}

void parse_area(const ConfigNode& node, EnvmTechnology& t) {
  // Both forms are read so that neither is reported as unknown when a block overrides a preset
  // written in the other form; the macro form wins.
  const auto per_mib = node.find<double>("area_per_mib");
  const auto f2 = node.find<double>("cell_area_f2");
  const bool has_node = node.has("node");
  t.node_nm = has_node ? parse_node_nm(node) : 0.0;
  t.array_efficiency = node.get<double>("array_efficiency", 1.0);
  node.require(t.array_efficiency > 0.0 && t.array_efficiency <= 1.0, "array_efficiency",
               "must be in (0, 1] (cell area / macro area)");
  if (per_mib) {
    if (node.require(*per_mib > 0.0, "area_per_mib", "must be positive (mm^2 per MiB in SLC)")) {
      t.area_per_mib_mm2 = *per_mib;
    }
    return;
  }
  if (!f2 || !has_node) {
    node.error("",
               "missing area: give cell_area_f2 and node (e.g. 53 and 22nm), or area_per_mib "
               "(mm^2 per MiB in SLC mode)");
    return;
  }
  node.require(*f2 > 0.0, "cell_area_f2", "must be positive");
  t.cell_area_f2 = *f2;
}

// Whether `key` is a mode of the bits-per-cell maps ("1" to "4").
bool is_mode_key(const std::string& key) {
  return key.size() == 1 && key[0] >= '1' && key[0] <= '0' + EnvmTechnology::kMaxBitsPerCell;
}

// `key` (read_latency or read_cycle) as one time or a map bits-per-cell -> time. Every mode
// 1..max_bits_per_cell gets a value: a map's entry, else the scalar a lower layer gives under
// the map (a preset's `read_latency: 5ns` under `--set technology.read_latency.2=7ns`), else
// `fallback` (per mode; nullptr: the key is required). Returns the scalar form (mode 1's value).
Time parse_time_by_mode(const ConfigNode& node, const std::string& key, EnvmTechnology& t,
                        std::array<Time, EnvmTechnology::kMaxBitsPerCell + 1>& by_mode,
                        const std::array<Time, EnvmTechnology::kMaxBitsPerCell + 1>* fallback) {
  const std::string positive = "must be positive";
  if (const YAML::Node raw = node.raw(key); raw.IsMap() && !raw["value"]) {
    const ConfigNode modes = node.child(key);
    std::optional<Time> below;
    YAML::Node s = node.scalar_under_map(key);
    const bool value_form = s.IsMap() && s["value"];  // {value: 5ns, source: ...}
    if (value_form) s = s["value"];
    if (s.IsScalar()) {
      try {
        below = parse_time(s.Scalar());
      } catch (const QuantityError& e) {
        node.error(key, e.what());
      }
    }
    // Lower layers' {value: ...} forms merge into the map: they are the scalars under it.
    if (value_form) modes.raw("value");
    for (const std::string& m : modes.keys()) {
      if (is_mode_key(m) || (value_form && m == "value")) continue;
      modes.get<std::string>(m, "");
      modes.error(m, "'" + m + "' is not a bits-per-cell mode (expected 1 to " +
                         std::to_string(EnvmTechnology::kMaxBitsPerCell) +
                         "; give one time, or a time per mode)");
    }
    for (int b = 1; b <= EnvmTechnology::kMaxBitsPerCell; ++b) {
      const std::string m = std::to_string(b);
      const auto v = modes.find<Time>(m);
      if (b > t.max_bits_per_cell) continue;  // read but unused, as for pulses
      const std::size_t i = static_cast<std::size_t>(b);
      if (v) {
        modes.require(v->value() > 0, m, positive);
        by_mode[i] = *v;
      } else if (below) {
        by_mode[i] = *below;
      } else if (fallback) {
        by_mode[i] = (*fallback)[i];
      } else {
        modes.error("", "missing " + key + " for " + m + " bits per cell (max_bits_per_cell is " +
                            std::to_string(t.max_bits_per_cell) + ")");
      }
    }
    return by_mode[1];
  }
  std::optional<Time> v = fallback ? node.find<Time>(key) : node.get<Time>(key);
  if (v) node.require(v->value() > 0 || !node.has(key), key, positive);
  for (int b = 1; b <= EnvmTechnology::kMaxBitsPerCell; ++b) {
    const std::size_t i = static_cast<std::size_t>(b);
    by_mode[i] = v ? *v : (*fallback)[i];
  }
  return by_mode[1];
}

void parse_read(const ConfigNode& node, EnvmTechnology& t) {
  t.cells_per_access = node.get<std::uint32_t>("cells_per_access");
  node.require(t.cells_per_access > 0 || !node.has("cells_per_access"), "cells_per_access",
               "must be positive");
  const std::string sensing = node.choice("sensing", {"parallel", "sequential"}, "parallel");
  t.sensing = sensing == "sequential" ? EnvmTechnology::Sensing::sequential
                                      : EnvmTechnology::Sensing::parallel;
  t.sense_amplifiers = node.find<std::uint32_t>("sense_amplifiers");
  if (t.sense_amplifiers &&
      !node.require(*t.sense_amplifiers > 0, "sense_amplifiers", "must be positive")) {
    t.sense_amplifiers.reset();
  }
  if (t.sensing == EnvmTechnology::Sensing::sequential) {
    t.sense_time = node.get<Time>("sense_time");
    node.require(t.sense_time.value() > 0 || !node.has("sense_time"), "sense_time",
                 "must be positive (one conversion step of sequential sensing)");
  } else if (node.has("sense_time")) {
    node.get<Time>("sense_time");
    node.error("sense_time",
               "has no effect with sensing: parallel (one conversion step); give sensing: "
               "sequential or drop sense_time");
  }
  t.read_latency = parse_time_by_mode(node, "read_latency", t, t.read_latency_by_mode, nullptr);
  t.read_cycle =
      parse_time_by_mode(node, "read_cycle", t, t.read_cycle_by_mode, &t.read_latency_by_mode);
  t.read_bandwidth = node.find<Bandwidth>("read_bandwidth");
  if (t.read_bandwidth &&
      !node.require(t.read_bandwidth->value() > 0.0, "read_bandwidth",
                    "must be positive (the characterised array read bandwidth, e.g. 9GB/s)")) {
    t.read_bandwidth.reset();
  }
  t.read_energy = node.get<Energy>("read_energy");
  if (t.sense_amplifiers) {
    // Every mode the technology offers must still deliver whole bytes per access.
    for (int b = 1; b <= t.max_bits_per_cell; ++b) {
      if (t.cells_sensed(b) > 0) continue;
      node.error("sense_amplifiers",
                 std::to_string(*t.sense_amplifiers) +
                     " sense amplifiers sense too few cells for " + std::to_string(b) +
                     " bits per cell to deliver a whole byte per access " +
                     (t.sensing == EnvmTechnology::Sensing::parallel
                          ? "(parallel sensing needs 2^b - 1 = " + std::to_string((1 << b) - 1) +
                                " per cell)"
                          : "(sequential sensing needs one per cell)"));
      break;
    }
  }
}

void parse_write(const ConfigNode& node, EnvmTechnology& t) {
  t.pulse_time = node.get<Time>("pulse_time");
  node.require(t.pulse_time.value() > 0 || !node.has("pulse_time"), "pulse_time",
               "must be positive");
  t.verify_time = node.get<Time>("verify_time", Time(0));
  t.energy_per_pulse = node.get<Energy>("energy_per_pulse");
  t.verify_energy = node.get<Energy>("verify_energy", Energy(0.0));

  const auto pulses = node.optional_child("pulses");
  if (!pulses) {
    node.error("",
               "missing required section 'pulses' (program pulses per write access for each "
               "bits-per-cell mode 1.." +
                   std::to_string(t.max_bits_per_cell) + ")");
    return;
  }
  for (const std::string& key : pulses->keys()) {
    if (!is_mode_key(key)) {
      pulses->get<std::string>(key, "");
      pulses->error(key, "'" + key + "' is not a bits-per-cell mode (expected 1 to " +
                             std::to_string(EnvmTechnology::kMaxBitsPerCell) + ")");
    }
  }
  std::uint32_t previous = 0;
  for (int b = 1; b <= EnvmTechnology::kMaxBitsPerCell; ++b) {
    const std::string key = std::to_string(b);
    const auto count = pulses->find<std::uint32_t>(key);
    if (b > t.max_bits_per_cell) continue;  // modes above the maximum are read but unused
    if (!count) {
      pulses->error("", "missing pulse count for " + key + " bits per cell (max_bits_per_cell is " +
                            std::to_string(t.max_bits_per_cell) + ")");
      continue;
    }
    if (!pulses->require(*count >= 1, key, "a write needs at least one pulse")) continue;
    pulses->require(*count >= previous, key,
                    std::to_string(*count) + " pulses for " + key +
                        " bits per cell is fewer than " + std::to_string(previous) + " for " +
                        std::to_string(b - 1) +
                        " (more levels need finer programming steps, never fewer)");
    t.pulses[static_cast<std::size_t>(b)] = *count;
    previous = *count;
  }
}

}  // namespace

EnvmTechnology EnvmTechnology::parse(const ConfigNode& node) {
  EnvmTechnology t;
  t.name = node.get<std::string>("name", "");
  t.max_bits_per_cell = node.get<int>("max_bits_per_cell", 1);
  if (!node.require(t.max_bits_per_cell >= 1 && t.max_bits_per_cell <= kMaxBitsPerCell,
                    "max_bits_per_cell",
                    "must be 1 to " + std::to_string(kMaxBitsPerCell) + ", got " +
                        std::to_string(t.max_bits_per_cell))) {
    t.max_bits_per_cell = 1;
  }

  parse_area(node, t);

  parse_read(node, t);

  parse_write(node, t);

  t.leakage = node.find<Power>("leakage");
  t.leakage_per_mib = node.get<Power>("leakage_per_mib", Power(0.0));
  if (!t.leakage && !node.has("leakage_per_mib")) {
    node.error("", "missing leakage: give leakage_per_mib (e.g. 3.43mW) or leakage (total)");
  }

  t.endurance = node.get<double>("endurance");
  node.require(t.endurance > 0.0 || !node.has("endurance"), "endurance",
               "must be positive (program cycles per cell)");
  t.retention_s = parse_retention_s(node);

  if (auto levels = node.optional_child("level_distributions")) {
    t.levels = LevelDistributions::parse(*levels, t.max_bits_per_cell);
  }
  t.sense_offset = node.get<double>("sense_offset", 0.0);
  if (!node.require(std::abs(t.sense_offset) < 1.0, "sense_offset",
                    "must lie within (-1, 1): the whole normalised read window is 1")) {
    t.sense_offset = 0.0;
  }
  return t;
}

std::uint32_t EnvmTechnology::cells_sensed(int bits_per_cell) const {
  if (!sense_amplifiers) return cells_per_access;
  const std::uint32_t per_cell =
      sensing == Sensing::parallel ? (1u << static_cast<unsigned>(bits_per_cell)) - 1u : 1u;
  std::uint32_t cells = std::min(cells_per_access, *sense_amplifiers / per_cell);
  // Whole bytes per access: a multiple of 8 / gcd(b, 8) cells.
  const std::uint32_t step = 8u / std::gcd(8u, static_cast<std::uint32_t>(bits_per_cell));
  cells -= cells % step;
  return cells;
}

Time EnvmTechnology::read_time(int bits_per_cell) const {
  return read_latency_by_mode[static_cast<std::size_t>(bits_per_cell)] +
         sense_time * static_cast<std::uint64_t>(extra_sense_steps(bits_per_cell));
}

Time EnvmTechnology::read_occupancy(int bits_per_cell) const {
  return read_cycle_by_mode[static_cast<std::size_t>(bits_per_cell)] +
         sense_time * static_cast<std::uint64_t>(extra_sense_steps(bits_per_cell));
}

Time EnvmTechnology::write_time(int bits_per_cell) const {
  return (pulse_time + verify_time) * pulses[static_cast<std::size_t>(bits_per_cell)];
}

Energy EnvmTechnology::write_energy(int bits_per_cell) const {
  return (energy_per_pulse + verify_energy) *
         static_cast<double>(pulses[static_cast<std::size_t>(bits_per_cell)]);
}

double EnvmTechnology::area_mm2(Bytes capacity, int bits_per_cell) const {
  const double b = static_cast<double>(bits_per_cell);
  const double bytes = static_cast<double>(capacity.value());
  if (area_per_mib_mm2) return bytes / kBytesPerMiB * *area_per_mib_mm2 / b;
  const double cells = bytes * 8.0 / b;
  const double f_mm = node_nm * 1e-6;
  return cells * cell_area_f2 * f_mm * f_mm / array_efficiency;
}

Power EnvmTechnology::leakage_of(Bytes capacity) const {
  if (leakage) return *leakage;
  return leakage_per_mib * (static_cast<double>(capacity.value()) / kBytesPerMiB);
}

}  // namespace hmasim
