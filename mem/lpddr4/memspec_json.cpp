#include "mem/lpddr4/memspec_json.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/yaml_source.hpp"

namespace hmasim {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// The two vintages of the DRAMSys memspec format. DRAMSys 5 (DRAMUtils' MemSpecLPDDR4): `tCK` in
// seconds, currents in amperes, `idd01`/`vdd1`, `REFIpb`. Older DRAMSys: `clkMhz`, currents in
// milliamperes, `idd0`/`vdd`, `REFIPB`.
enum class Vintage { dramsys5, legacy };

struct Names {
  const char* dramsys5;
  const char* legacy;
  const char* in(Vintage v) const { return v == Vintage::dramsys5 ? dramsys5 : legacy; }
};

// Timing in cycles of tCK: our key (lpddr4_config.hpp) and the memtimingspec key. All required,
// as DRAMSys requires them.
struct TimingKey {
  const char* ours;
  Names json;
};
const TimingKey kTiming[] = {
    {"RL", {"RL", "RL"}},
    {"WL", {"WL", "WL"}},
    {"RCD", {"RCD", "RCD"}},
    {"RPpb", {"RPpb", "RPPB"}},
    {"RPab", {"RPab", "RPAB"}},
    {"RAS", {"RAS", "RAS"}},
    {"RCpb", {"RCpb", "RCPB"}},
    {"WR", {"WR", "WR"}},
    {"WTR", {"WTR", "WTR"}},
    {"RTP", {"RTP", "RTP"}},
    {"RRD", {"RRD", "RRD"}},
    {"FAW", {"FAW", "FAW"}},
    {"CCD", {"CCD", "CCD"}},
    {"REFI", {"REFI", "REFI"}},
    {"RFCab", {"RFCab", "RFCAB"}},
    {"XP", {"XP", "XP"}},
    {"CKE", {"CKE", "CKE"}},
    {"SR", {"SR", "SR"}},
    {"XSR", {"XSR", "XSR"}},
    {"REFIpb", {"REFIpb", "REFIPB"}},
    {"RFCpb", {"RFCpb", "RFCPB"}},
    {"PPD", {"PPD", "PPD"}},
    {"DQSCK", {"DQSCK", "DQSCK"}},
    {"DQSS", {"DQSS", "DQSS"}},
    {"DQS2DQ", {"DQS2DQ", "DQS2DQ"}},
    {"WPRE", {"WPRE", "WPRE"}},
    {"RPST", {"RPST", "RPST"}},
};

// IDD currents per rail: VDD1 and VDD2 required, VDDQ optional (DRAMSys 5 takes the I/O energy
// from memimpedancespec, and its schema has no VDDQ currents; the shipped files still carry them).
struct CurrentKey {
  const char* ours;
  Names vdd1, vdd2, vddq;
};
const CurrentKey kCurrents[] = {
    {"IDD0", {"idd01", "idd0"}, {"idd02", "idd02"}, {"idd0ql", "idd0ql"}},
    {"IDD2N", {"idd2n1", "idd2n"}, {"idd2n2", "idd2n2"}, {"idd2nQ", "idd2nQ"}},
    {"IDD2P", {"idd2p1", "idd2p"}, {"idd2p2", "idd2p2"}, {"idd2pQ", "idd2pQ"}},
    {"IDD3N", {"idd3n1", "idd3n"}, {"idd3n2", "idd3n2"}, {"idd3nQ", "idd3nQ"}},
    {"IDD3P", {"idd3p1", "idd3p"}, {"idd3p2", "idd3p2"}, {"idd3pQ", "idd3pQ"}},
    {"IDD4R", {"idd4r1", "idd4r"}, {"idd4r2", "idd4r2"}, {"idd4rq", "idd4rq"}},
    {"IDD4W", {"idd4w1", "idd4w"}, {"idd4w2", "idd4w2"}, {"idd4wq", "idd4wq"}},
    {"IDD5", {"idd51", "idd5"}, {"idd52", "idd52"}, {"idd5q", "idd5q"}},
    {"IDD5PB", {"idd5pb1", "idd5b"}, {"idd5pb2", "idd5b2"}, {"idd5pbq", "idd5bq"}},
    {"IDD6", {"idd61", "idd6"}, {"idd62", "idd62"}, {"idd6q", "idd6q"}},
};

struct VoltageKey {
  const char* ours;
  Names json;
};
const VoltageKey kVoltages[] = {
    {"VDD1", {"vdd1", "vdd"}}, {"VDD2", {"vdd2", "vdd2"}}, {"VDDQ", {"vddq", "vddq"}}};

// "%.12g": twelve significant digits, so that 3.5e-3 A becomes "3.5" mA, the text a preset gives.
std::string decimal(double v) {
  char text[40];
  std::snprintf(text, sizeof text, "%.12g", v);
  return text;
}

// "a string (\"LPDDR5\")": what a wrong value is, for messages.
std::string describe(const Json& j) {
  std::string text = j.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  if (j.is_object()) return "an object";
  if (j.is_array()) return "an array";
  return std::string(j.is_string()    ? "a string"
                     : j.is_boolean() ? "a boolean"
                                      : j.type_name()) +
         " (" + text + ")";
}

// "memspec.memtimingspec" + "RCD" -> "memspec.memtimingspec.RCD".
std::string join(const std::string& path, const char* key) {
  return path.empty() ? std::string(key) : path + "." + key;
}

// Reads members of one file, collecting every problem with its JSON path.
class Reader {
 public:
  std::vector<std::string> problems;

  const Json* object(const Json& parent, const std::string& path, const char* key) {
    const Json* v = member(parent, path, key, true);
    if (v && !v->is_object()) {
      problems.push_back(join(path, key) + ": expected an object, got " + describe(*v));
      return nullptr;
    }
    return v;
  }

  std::optional<std::string> text(const Json& parent, const std::string& path, const char* key) {
    const Json* v = member(parent, path, key, true);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      problems.push_back(join(path, key) + ": expected a string, got " + describe(*v));
      return std::nullopt;
    }
    return v->get<std::string>();
  }

  // A whole number from 0 to 2^32 - 1 (counts and cycles of tCK). An integral float (29.0) is
  // accepted, a fraction is not.
  std::optional<std::uint64_t> whole(const Json& parent, const std::string& path, const char* key,
                                     bool required = true) {
    const Json* v = member(parent, path, key, required);
    if (!v) return std::nullopt;
    const std::string p = join(path, key);
    constexpr double kMax = std::numeric_limits<std::uint32_t>::max();
    if (v->is_number_unsigned()) {
      const std::uint64_t x = v->get<std::uint64_t>();
      if (x <= kMax) return x;
    } else if (v->is_number()) {
      const double x = v->get<double>();
      if (x < 0) {
        problems.push_back(p + ": must not be negative, got " + v->dump());
        return std::nullopt;
      }
      if (x != std::floor(x)) {
        problems.push_back(p + ": expected a whole number, got " + v->dump());
        return std::nullopt;
      }
      if (x <= kMax) return static_cast<std::uint64_t>(x);
    } else {
      problems.push_back(p + ": expected a whole number, got " + describe(*v));
      return std::nullopt;
    }
    problems.push_back(p + ": " + v->dump() + " is too large (at most 4294967295)");
    return std::nullopt;
  }

  // A finite number of at least 0 (currents, voltages, the clock).
  std::optional<double> number(const Json& parent, const std::string& path, const char* key,
                               bool required = true) {
    const Json* v = member(parent, path, key, required);
    if (!v) return std::nullopt;
    const std::string p = join(path, key);
    if (!v->is_number()) {
      problems.push_back(p + ": expected a number, got " + describe(*v));
      return std::nullopt;
    }
    const double x = v->get<double>();
    if (!std::isfinite(x) || x < 0) {
      problems.push_back(p + ": must be a finite number of at least 0, got " + v->dump());
      return std::nullopt;
    }
    return x;
  }

  // A count the model covers only at one value (ranks, devices, the data rate); optional.
  void exactly(const Json& parent, const std::string& path, const char* key, std::uint64_t want,
               const char* why) {
    const auto v = whole(parent, path, key, false);
    if (v && *v != want) {
      problems.push_back(join(path, key) + ": is " + std::to_string(*v) + ", the lpddr4 model " +
                         "covers only " + std::to_string(want) + " (" + why + ")");
    }
  }

 private:
  const Json* member(const Json& parent, const std::string& path, const char* key, bool required) {
    const auto it = parent.find(key);
    if (it == parent.end()) {
      if (required) problems.push_back("missing required key " + join(path, key));
      return nullptr;
    }
    return &*it;
  }
};

// a x b, or nullopt on overflow.
std::optional<std::uint64_t> times(std::optional<std::uint64_t> a, std::uint64_t b) {
  if (!a || (b != 0 && *a > std::numeric_limits<std::uint64_t>::max() / b)) return std::nullopt;
  return *a * b;
}

// The parts of the preset map, from the three spec objects.
void translate_architecture(Reader& r, const Json& arch, YAML::Node& out) {
  const std::string p = "memspec.memarchitecturespec";
  const auto channels = r.whole(arch, p, "nbrOfChannels");
  const auto banks = r.whole(arch, p, "nbrOfBanks");
  const auto rows = r.whole(arch, p, "nbrOfRows");
  const auto columns = r.whole(arch, p, "nbrOfColumns");
  const auto width = r.whole(arch, p, "width");
  const auto burst = r.whole(arch, p, "burstLength");
  r.exactly(arch, p, "nbrOfRanks", 1, "one rank per channel");
  r.exactly(arch, p, "nbrOfDevices", 1, "one device per channel: width is the channel's width");
  r.exactly(arch, p, "nbrOfBankGroups", 1, "LPDDR4 has no bank groups");
  r.exactly(arch, p, "dataRate", 2, "double data rate");
  if (channels) out["channels"] = *channels;
  if (banks) out["banks"] = *banks;
  if (rows) out["rows"] = *rows;
  if (columns) out["columns"] = *columns;
  if (width) out["width_bits"] = *width;
  if (burst) out["burst_length"] = *burst;
  // capacity = channels x banks x rows x columns x width / 8, as DRAMSys computes the memory size.
  if (channels && banks && rows && columns && width) {
    const auto bits = times(times(times(times(channels, *banks), *rows), *columns), *width);
    if (!bits) {
      r.problems.push_back(p + ": the memory size (channels x banks x rows x columns x width) " +
                           "does not fit in 64 bits");
    } else {
      out["capacity"] = std::to_string(*bits / 8) + "B";
    }
  }
}

Vintage translate_timing(Reader& r, const Json& timing, YAML::Node& out) {
  const std::string p = "memspec.memtimingspec";
  YAML::Node t(YAML::NodeType::Map);
  Vintage v = Vintage::dramsys5;
  std::optional<double> ps;
  if (timing.contains("tCK") || !timing.contains("clkMhz")) {
    if (!timing.contains("tCK")) {
      r.problems.push_back("missing required key " + p +
                           ".tCK (the clock period in seconds; older files give clkMhz)");
    } else if (const auto s = r.number(timing, p, "tCK")) {
      ps = *s * 1e12;
    }
  } else {
    v = Vintage::legacy;
    if (const auto mhz = r.number(timing, p, "clkMhz")) {
      if (*mhz > 0) {
        ps = 1e6 / *mhz;
      } else {
        r.problems.push_back(p + ".clkMhz: must be positive (the clock in MHz, e.g. 1600)");
      }
    }
  }
  // Whole picoseconds (the simulator's time grain): 1866 MHz gives 536 ps.
  if (ps) {
    const double rounded = std::round(*ps);
    if (rounded < 1 || rounded > 1e6) {
      r.problems.push_back(p +
                           (v == Vintage::legacy ? ".clkMhz: gives a clock period of "
                                                 : ".tCK: gives a clock period of ") +
                           decimal(*ps) + " ps, outside 1 ps to 1 us" +
                           (v == Vintage::legacy ? " (clkMhz is in MHz, e.g. 1600)"
                                                 : " (tCK is in seconds, e.g. 625e-12)"));
    } else {
      t["tCK"] = std::to_string(static_cast<std::uint64_t>(rounded)) + "ps";
    }
  }
  for (const TimingKey& k : kTiming) {
    if (const auto c = r.whole(timing, p, k.json.in(v))) t[k.ours] = *c;
  }
  out["timing"] = t;
  return v;
}

void translate_power(Reader& r, const Json& power, Vintage v, YAML::Node& out) {
  const std::string p = "memspec.mempowerspec";
  const double to_ma = v == Vintage::dramsys5 ? 1e3 : 1.0;
  YAML::Node c(YAML::NodeType::Map);
  for (const VoltageKey& k : kVoltages) {
    if (const auto x = r.number(power, p, k.json.in(v))) c[k.ours] = decimal(*x) + "V";
  }
  for (const CurrentKey& k : kCurrents) {
    YAML::Node rails(YAML::NodeType::Map);
    if (const auto x = r.number(power, p, k.vdd1.in(v))) rails["VDD1"] = decimal(*x * to_ma) + "mA";
    if (const auto x = r.number(power, p, k.vdd2.in(v))) rails["VDD2"] = decimal(*x * to_ma) + "mA";
    rails["VDDQ"] = decimal(r.number(power, p, k.vddq.in(v), false).value_or(0.0) * to_ma) + "mA";
    c[k.ours] = rails;
  }
  out["currents"] = c;
}

}  // namespace

std::optional<YAML::Node> read_lpddr4_memspec(const std::string& file, std::string& error) {
  std::string text;
  std::error_code ec;
  if (fs::is_directory(file, ec)) {
    error = "is a directory, not a memspec JSON file";
    return std::nullopt;
  }
  if (auto why = read_config_file(file, text)) {
    error = *why;
    return std::nullopt;
  }
  Json root;
  try {
    root = Json::parse(text);
  } catch (const Json::parse_error& e) {
    // "[json.exception.parse_error.101] parse error at line 3, column 5: ...": the part after the
    // bracketed id names the line and column.
    std::string what = e.what();
    if (const auto end = what.find("] ");
        what.rfind("[json.exception", 0) == 0 && end != what.npos) {
      what = what.substr(end + 2);
    }
    error = "JSON syntax error: " + what;
    return std::nullopt;
  }
  Reader r;
  YAML::Node out(YAML::NodeType::Map);
  const Json* spec = nullptr;
  if (!root.is_object()) {
    r.problems.push_back("expected a JSON object at the top level, got " + describe(root));
  } else {
    spec = r.object(root, "", "memspec");
  }
  if (spec) {
    const std::string p = "memspec";
    if (const auto type = r.text(*spec, p, "memoryType"); type && *type != "LPDDR4") {
      r.problems.push_back("memspec.memoryType is \"" + *type +
                           "\": the lpddr4 model reads LPDDR4 memspecs only");
    }
    const Json* arch = r.object(*spec, p, "memarchitecturespec");
    const Json* timing = r.object(*spec, p, "memtimingspec");
    const Json* power = r.object(*spec, p, "mempowerspec");
    if (arch) translate_architecture(r, *arch, out);
    Vintage v = Vintage::dramsys5;
    if (timing) v = translate_timing(r, *timing, out);
    if (power) translate_power(r, *power, v, out);
  }
  if (!r.problems.empty()) {
    // Every problem at once (they share one diagnostic, at the memspec key), the first few named.
    constexpr std::size_t kShown = 8;
    for (std::size_t i = 0; i < r.problems.size() && i < kShown; ++i) {
      error += (i ? "; " : "") + r.problems[i];
    }
    if (r.problems.size() > kShown) {
      error += "; and " + std::to_string(r.problems.size() - kShown) + " more";
    }
    return std::nullopt;
  }
  return out;
}

std::optional<ConfigNode> with_lpddr4_memspec(const ConfigNode& block) {
  if (!block.has("memspec")) return block;
  const auto name = block.find<std::string>("memspec");
  if (!name) return std::nullopt;  // not a string: reported by find
  if (name->empty()) {
    block.error("memspec", "expected the path of a DRAMSys LPDDR4 memspec JSON file");
    return std::nullopt;
  }
  if (block.has("preset")) {
    // The block is still read, on its preset, so that this is its only error.
    block.error("memspec",
                "memspec and preset both give the device (geometry, timing, currents): give one "
                "of them, and override single keys in the block");
    return block;
  }
  fs::path file(*name);
  if (file.is_relative() && !block.from_command_line("memspec")) {
    file = fs::path(block.document().file()).parent_path() / file;
  }
  std::string error;
  auto device = read_lpddr4_memspec(file.string(), error);
  if (!device) {
    block.error("memspec", "memspec '" + file.string() + "': " + error);
    return std::nullopt;
  }
  // A value of the file that fails validation is reported against the file and our key
  // ("X.json, read by memories.dram.memspec (platform.yaml:5): memories.dram.timing.RCD: ...").
  auto source = std::make_shared<ConfigSource>(
      ConfigSource{file.string() + ", read by " + block.where("memspec"), false});
  return block.with_defaults({*device, std::move(source)});
}

}  // namespace hmasim
