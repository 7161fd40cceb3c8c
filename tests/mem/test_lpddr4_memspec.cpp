// `memspec: FILE.json` of the lpddr4 model: DRAMSys LPDDR4 memspec files (both vintages of the
// format) read into the same config as the preset they mirror, the same simulation through the
// real hmasim binary, per-key overrides on top, and every error as a config error naming the
// platform file:line of the `memspec` key and the JSON detail (exit 2, never a crash).
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "app/sweep/effective_config.hpp"
#include "core/config_node.hpp"
#include "mem/lpddr4/lpddr4_config.hpp"
#include "mem/lpddr4/memspec_json.hpp"
#include "mem/memory_system.hpp"
#include "support/cli.hpp"

namespace hmasim {
namespace {

using test::CliRun;
using test::hmasim;
using test::scratch_dir;
using test::slurp;
using test::spit;

const std::string kPlatforms = std::string(HMASIM_SOURCE_DIR) + "/platforms/";
const std::string kShippedMemspec = kPlatforms + "memspecs/JEDEC_8Gb_LPDDR4-3200_16bit.json";
const char* kMapping =
    "    address_mapping: {byte: [0], column: [\"1-10\"], row: [\"11-26\"], bank: [\"27-29\"], "
    "channel: []}\n";

// A one-memory platform whose dram block has `device` (the preset or memspec lines) and `extra`.
std::string platform(const std::string& device, const std::string& extra = "") {
  return "name: t\nmemories:\n  dram:\n    model: lpddr4\n" + device + kMapping + extra;
}
const std::string kPresetDevice = "    preset: lpddr4-3200\n    capacity: 1GiB\n";
std::string memspec_device(const std::string& file) {
  return "    memspec: " + file + "\n";
}

// Parses `yaml` as a platform file at `file` (relative memspec paths start from its folder).
Lpddr4Config parse_dram(const std::string& yaml, const std::string& file,
                        const std::vector<std::string>& overrides = {}) {
  ConfigDocument::set_preset_directory(kPlatforms + "presets");
  auto doc = ConfigDocument::load_string(yaml, file, overrides);
  const std::vector<MemorySpec> specs = parse_memories(doc->root().child("memories"));
  doc->root().get<std::string>("name");  // the platform's; read so that it is not unknown
  doc->finish();                         // throws ConfigError with every diagnostic
  return static_cast<const Lpddr4Config&>(*specs.at(0).config);
}

void expect_rails_eq(const dram::Rails<Current>& a, const dram::Rails<Current>& b,
                     const char* name) {
  EXPECT_EQ(a.vdd1.value(), b.vdd1.value()) << name << " VDD1";
  EXPECT_EQ(a.vdd2.value(), b.vdd2.value()) << name << " VDD2";
  EXPECT_EQ(a.vddq.value(), b.vddq.value()) << name << " VDDQ";
}

// Every field the device gives (geometry, capacity, clock, timing, currents), exactly.
void expect_same_device(const Lpddr4Config& a, const Lpddr4Config& b) {
  EXPECT_EQ(a.channels, b.channels);
  EXPECT_EQ(a.width_bits, b.width_bits);
  EXPECT_EQ(a.burst_length, b.burst_length);
  EXPECT_EQ(a.banks, b.banks);
  EXPECT_EQ(a.rows, b.rows);
  EXPECT_EQ(a.columns, b.columns);
  EXPECT_EQ(a.common.capacity.value(), b.common.capacity.value());
  EXPECT_EQ(a.common.clock.value(), b.common.clock.value());
  EXPECT_EQ(a.common.alignment.value(), b.common.alignment.value());
  const Lpddr4Timing& x = a.timing;
  const Lpddr4Timing& y = b.timing;
  EXPECT_EQ(x.tCK.value(), y.tCK.value());
#define HMASIM_SAME(f) EXPECT_EQ(x.f.value(), y.f.value()) << #f
  HMASIM_SAME(RL);
  HMASIM_SAME(WL);
  HMASIM_SAME(RCD);
  HMASIM_SAME(RPpb);
  HMASIM_SAME(RPab);
  HMASIM_SAME(RAS);
  HMASIM_SAME(RCpb);
  HMASIM_SAME(WR);
  HMASIM_SAME(WTR);
  HMASIM_SAME(RTP);
  HMASIM_SAME(RRD);
  HMASIM_SAME(FAW);
  HMASIM_SAME(CCD);
  HMASIM_SAME(REFI);
  HMASIM_SAME(RFCab);
  HMASIM_SAME(XP);
  HMASIM_SAME(CKE);
  HMASIM_SAME(SR);
  HMASIM_SAME(XSR);
  HMASIM_SAME(REFIpb);
  HMASIM_SAME(RFCpb);
  HMASIM_SAME(PPD);
  HMASIM_SAME(DQSCK);
  HMASIM_SAME(DQSS);
  HMASIM_SAME(DQS2DQ);
  HMASIM_SAME(WPRE);
  HMASIM_SAME(RPST);
#undef HMASIM_SAME
  const Lpddr4Currents& c = a.currents;
  const Lpddr4Currents& d = b.currents;
  EXPECT_EQ(c.supply.vdd1.value(), d.supply.vdd1.value());
  EXPECT_EQ(c.supply.vdd2.value(), d.supply.vdd2.value());
  EXPECT_EQ(c.supply.vddq.value(), d.supply.vddq.value());
  expect_rails_eq(c.IDD0, d.IDD0, "IDD0");
  expect_rails_eq(c.IDD2N, d.IDD2N, "IDD2N");
  expect_rails_eq(c.IDD2P, d.IDD2P, "IDD2P");
  expect_rails_eq(c.IDD3N, d.IDD3N, "IDD3N");
  expect_rails_eq(c.IDD3P, d.IDD3P, "IDD3P");
  expect_rails_eq(c.IDD4R, d.IDD4R, "IDD4R");
  expect_rails_eq(c.IDD4W, d.IDD4W, "IDD4W");
  expect_rails_eq(c.IDD5, d.IDD5, "IDD5");
  expect_rails_eq(c.IDD5PB, d.IDD5PB, "IDD5PB");
  expect_rails_eq(c.IDD6, d.IDD6, "IDD6");
}

// The shipped file with `edit` applied: (JSON text to replace, replacement).
std::string shipped_with(const std::vector<std::pair<std::string, std::string>>& edits) {
  std::string text = slurp(kShippedMemspec);
  for (const auto& [from, to] : edits) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
  }
  return text;
}

// The older DRAMSys format of the same device (clkMhz, currents in mA, idd0/vdd, REFIPB ...), as
// DRAMSys shipped JEDEC_8Gb_LPDDR4-3200_16bit.json before DRAMUtils.
const char* kLegacyMemspec = R"({
  "memspec": {
    "memarchitecturespec": {"burstLength": 16, "dataRate": 2, "nbrOfBanks": 8,
      "nbrOfColumns": 1024, "nbrOfRanks": 1, "nbrOfRows": 65536, "width": 16,
      "nbrOfDevices": 1, "nbrOfChannels": 1},
    "memoryId": "JEDEC_8Gb_LPDDR4-3200_16bit",
    "memoryType": "LPDDR4",
    "mempowerspec": {
      "idd0": 3.5, "idd02": 45.0, "idd0ql": 0.75,
      "idd2n": 2.0, "idd2n2": 27.0, "idd2nQ": 0.75,
      "idd2ns": 2.0, "idd2ns2": 23.0, "idd2nsq": 0.75,
      "idd2p": 1.2, "idd2p2": 3.0, "idd2pQ": 0.75,
      "idd3n": 2.25, "idd3n2": 30.0, "idd3nQ": 0.75,
      "idd3p": 1.2, "idd3p2": 9.0, "idd3pQ": 0.75,
      "idd4r": 2.25, "idd4r2": 275.0, "idd4rq": 150.0,
      "idd4w": 2.25, "idd4w2": 210.0, "idd4wq": 55.0,
      "idd5": 10.0, "idd52": 90.0, "idd5q": 0.75,
      "idd5ab": 2.5, "idd5ab2": 30.0, "idd5abq": 0.75,
      "idd5b": 2.5, "idd5b2": 30.0, "idd5bq": 0.75,
      "idd6": 0.3, "idd62": 0.5, "idd6q": 0.1,
      "vdd": 1.8, "vdd2": 1.1, "vddq": 1.1},
    "memtimingspec": {
      "CCD": 8, "CCDMW": 32, "CKE": 12, "CMDCKE": 3, "DQS2DQ": 2, "DQSCK": 6, "DQSS": 1,
      "ESCKE": 3, "FAW": 64, "PPD": 4, "RCD": 29, "REFI": 6246, "REFIPB": 780, "RFCAB": 448,
      "RFCPB": 224, "RL": 28, "RAS": 68, "RPAB": 34, "RPPB": 29, "RCAB": 102, "RCPB": 97,
      "RPST": 0, "RRD": 16, "RTP": 12, "SR": 24, "WL": 14, "WPRE": 2, "WR": 29, "WTR": 16,
      "XP": 12, "XSR": 460, "RTRS": 1, "clkMhz": 1600}
  }
})";

// ---------------------------------------------------------------------------------------------
// The same device as the preset

TEST(Lpddr4Memspec, ShippedFileGivesThePresetFieldByField) {
  const Lpddr4Config preset = parse_dram(platform(kPresetDevice), kPlatforms + "t.yaml");
  const Lpddr4Config memspec = parse_dram(
      platform(memspec_device("memspecs/JEDEC_8Gb_LPDDR4-3200_16bit.json")), kPlatforms + "t.yaml");
  expect_same_device(memspec, preset);
  // Not two empty configs: the JEDEC numbers themselves.
  EXPECT_EQ(memspec.timing.tCK.value(), 625u);
  EXPECT_EQ(memspec.timing.RCD.value(), 29u);
  EXPECT_EQ(memspec.timing.REFIpb.value(), 780u);
  EXPECT_EQ(memspec.common.capacity.value(), 1ull << 30);
  EXPECT_DOUBLE_EQ(memspec.currents.IDD4R.vddq.value(), 0.150);
}

TEST(Lpddr4Memspec, OlderDramsysFormatGivesTheSameDevice) {
  const std::string dir = scratch_dir("memspec_legacy");
  spit(dir + "/legacy.json", kLegacyMemspec);
  const Lpddr4Config preset = parse_dram(platform(kPresetDevice), kPlatforms + "t.yaml");
  const Lpddr4Config legacy = parse_dram(platform(memspec_device("legacy.json")), dir + "/t.yaml");
  expect_same_device(legacy, preset);
}

TEST(Lpddr4Memspec, TranslationUsesOurKeysAndUnits) {
  std::string error;
  const auto node = read_lpddr4_memspec(kShippedMemspec, error);
  ASSERT_TRUE(node) << error;
  EXPECT_EQ((*node)["timing"]["tCK"].Scalar(), "625ps");
  EXPECT_EQ((*node)["timing"]["RFCab"].Scalar(), "448");
  EXPECT_EQ((*node)["currents"]["IDD0"]["VDD2"].Scalar(), "45mA");
  EXPECT_EQ((*node)["currents"]["VDD1"].Scalar(), "1.8V");
  EXPECT_EQ((*node)["capacity"].Scalar(), "1073741824B");
  // Keys the model does not read are not carried over.
  EXPECT_FALSE((*node)["timing"]["RCab"].IsDefined());
  EXPECT_FALSE((*node)["memimpedancespec"].IsDefined());
}

TEST(Lpddr4Memspec, BlockKeysAndSetOverridesApplyOnTop) {
  const std::string yaml = platform(memspec_device("memspecs/JEDEC_8Gb_LPDDR4-3200_16bit.json"),
                                    "    timing: {RCD: 30}\n    currents: {IDD0: {VDD2: 50mA}}\n");
  const Lpddr4Config c = parse_dram(yaml, kPlatforms + "t.yaml");
  EXPECT_EQ(c.timing.RCD.value(), 30u);
  EXPECT_EQ(c.timing.RPpb.value(), 29u);  // the rest of the map is the memspec's
  EXPECT_DOUBLE_EQ(c.currents.IDD0.vdd2.value(), 0.050);
  EXPECT_DOUBLE_EQ(c.currents.IDD0.vdd1.value(), 0.0035);
  const Lpddr4Config s = parse_dram(yaml, kPlatforms + "t.yaml",
                                    {"memories.dram.timing.RCD=31", "memories.dram.banks=8"});
  EXPECT_EQ(s.timing.RCD.value(), 31u);
}

TEST(Lpddr4Memspec, UnknownJsonKeysAreIgnoredAndVddqCurrentsAreOptional) {
  const std::string dir = scratch_dir("memspec_lenient");
  spit(dir + "/m.json", shipped_with({{"\"memoryType\": \"LPDDR4\",",
                                       "\"memoryType\": \"LPDDR4\", \"vendorNote\": {\"x\": [1]},"},
                                      {"\"idd4rq\": 150.0e-3,", ""}}));
  const Lpddr4Config c = parse_dram(platform(memspec_device("m.json")), dir + "/t.yaml");
  EXPECT_EQ(c.currents.IDD4R.vddq.value(), 0.0);
  EXPECT_DOUBLE_EQ(c.currents.IDD4R.vdd2.value(), 0.275);
}

// The shipped memspec platform and the shipped preset platform simulate the same: the demo trace
// through the real binary gives the same statistics, commands and energy per rail.
TEST(Lpddr4Memspec, ReplayMatchesThePresetPlatformExactly) {
  const auto replay = [&](const std::string& p, const std::string& set) {
    const CliRun r = hmasim("replay --platform " + kPlatforms + p + " --memory dram --trace " +
                            kPlatforms + "traces/demo.stl" + set);
    EXPECT_EQ(r.status, 0) << p << "\n" << r.err;
    std::string out = std::regex_replace(r.out, std::regex("\"wall_time[a-z_]*\": [^,\\n]*"), "");
    return std::regex_replace(out, std::regex("\"platform\": \"[^\"]*\""), "");
  };
  for (const char* set : {"", " --set memories.dram.refresh=per_bank"}) {
    const std::string preset = replay("lpddr4-3200-x16.yaml", set);
    const std::string memspec = replay("lpddr4-3200-x16-memspec.yaml", set);
    EXPECT_EQ(memspec, preset) << set;
    EXPECT_NE(preset.find("\"total\": "), std::string::npos) << preset;
  }
}

TEST(Lpddr4Memspec, CheckAcceptsTheShippedMemspecPlatform) {
  const CliRun r = hmasim("check " + kPlatforms + "lpddr4-3200-x16-memspec.yaml");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_CONTAINS(r.out, "ok");
}

// A sweep reruns a point whose memspec file changed (the file is part of the point's hash).
TEST(Lpddr4Memspec, SweepHashFollowsTheMemspecFile) {
  const std::string dir = scratch_dir("memspec_sweep");
  spit(dir + "/m.json", slurp(kShippedMemspec));
  spit(dir + "/p.yaml", platform(memspec_device("m.json")));
  SweepPoint point;
  point.platform = dir + "/p.yaml";
  point.workload = dir + "/w.yaml";
  const std::string before = EffectiveConfig().hash(point);
  EXPECT_EQ(EffectiveConfig().hash(point), before);
  spit(dir + "/m.json", shipped_with({{"\"RCD\": 29,", "\"RCD\": 30,"}}));
  EXPECT_NE(EffectiveConfig().hash(point), before);
}

// ---------------------------------------------------------------------------------------------
// Errors: `hmasim check` exits 2 with the platform file:line of the memspec key and the detail.

struct ErrorCase {
  const char* name;
  std::string json;                   // the memspec file's text ("" = no file)
  std::string device;                 // the device lines of the block
  std::vector<std::string> expected;  // parts of stderr
};

CliRun check_case(const ErrorCase& c, const std::string& dir) {
  if (!c.json.empty()) spit(dir + "/" + c.name + ".json", c.json);
  const std::string yaml = dir + "/" + c.name + ".yaml";
  spit(yaml, platform(c.device));
  return hmasim("check " + yaml);
}

TEST(Lpddr4Memspec, EveryErrorNamesTheMemspecKeyAndTheJsonDetail) {
  const std::string dir = scratch_dir("memspec_errors");
  const auto own = [](const char* name) { return memspec_device(std::string(name) + ".json"); };
  const std::vector<ErrorCase> cases = {
      {"missing",
       "",
       own("missing"),
       {"missing.yaml:5:14: memories.dram.memspec: ", "no such file"}},
      {"syntax",
       "{\n  \"memspec\": {\n    \"memoryType\": \"LPDDR4\",,\n  }\n}\n",
       own("syntax"),
       {"syntax.yaml:5:14: memories.dram.memspec: ", "JSON syntax error", "at line 3, column 28"}},
      {"no_rcd",
       shipped_with({{"\"RCD\": 29,", ""}}),
       own("no_rcd"),
       {"no_rcd.yaml:5:14: ", "missing required key memspec.memtimingspec.RCD"}},
      {"no_power",
       shipped_with({{"\"idd01\": 3.5e-3,", ""}}),
       own("no_power"),
       {"no_power.yaml:5:14: ", "missing required key memspec.mempowerspec.idd01"}},
      {"type",
       shipped_with({{"\"RL\": 28,", "\"RL\": \"28\","}}),
       own("type"),
       {"type.yaml:5:14: ", "memspec.memtimingspec.RL: expected a whole number, got a string"}},
      {"fraction",
       shipped_with({{"\"WL\": 14,", "\"WL\": 14.5,"}}),
       own("fraction"),
       {"memspec.memtimingspec.WL: expected a whole number, got 14.5"}},
      {"negative",
       shipped_with({{"\"idd02\": 45.0e-3,", "\"idd02\": -1,"}}),
       own("negative"),
       {"memspec.mempowerspec.idd02: must be a finite number of at least 0"}},
      {"arch_type",
       shipped_with({{"\"memarchitecturespec\": {", "\"memarchitecturespec\": 3, \"x\": {"}}),
       own("arch_type"),
       {"memspec.memarchitecturespec: expected an object, got number (3)"}},
      {"ddr4",
       shipped_with({{"\"memoryType\": \"LPDDR4\"", "\"memoryType\": \"DDR4\""}}),
       own("ddr4"),
       {"ddr4.yaml:5:14: ", "memspec.memoryType is \"DDR4\": the lpddr4 model reads LPDDR4"}},
      {"ranks",
       shipped_with({{"\"nbrOfRanks\": 1,", "\"nbrOfRanks\": 2,"}}),
       own("ranks"),
       {"memspec.memarchitecturespec.nbrOfRanks: is 2, the lpddr4 model covers only 1"}},
      {"not_object",
       "[1, 2]",
       own("not_object"),
       {"expected a JSON object at the top level, got an array"}},
      {"tck_in_ns",
       shipped_with({{"\"tCK\": 625e-12,", "\"tCK\": 0.625,"}}),
       own("tck_in_ns"),
       {"memspec.memtimingspec.tCK: gives a clock period of 625000000000 ps, outside 1 ps to "
        "1 us"}},
      {"legacy_zero_clock",
       std::regex_replace(kLegacyMemspec, std::regex("\"clkMhz\": 1600"), "\"clkMhz\": 0"),
       own("legacy_zero_clock"),
       {"memspec.memtimingspec.clkMhz: must be positive"}},
      {"no_clock",
       shipped_with({{"\"tCK\": 625e-12,", ""}}),
       own("no_clock"),
       {"missing required key memspec.memtimingspec.tCK"}},
      {"both",
       "",
       kPresetDevice + memspec_device(kShippedMemspec),
       {"both.yaml:7:14: memories.dram.memspec: memspec and preset both give the device"}},
      {"not_string",
       "",
       "    memspec: {file: x.json}\n",
       {"memories.dram.memspec: expected a string"}},
      // A value our validation refuses: named by the JSON file and our key.
      {"rcd_small",
       shipped_with({{"\"RCD\": 29,", "\"RCD\": 2,"}}),
       own("rcd_small"),
       {"rcd_small.json, read by memories.dram.memspec (", "rcd_small.yaml:5)",
        "memories.dram.timing.RCD: must be at least 4 cycles"}},
  };
  for (const ErrorCase& c : cases) {
    const CliRun r = check_case(c, dir);
    EXPECT_EQ(r.status, 2) << c.name << "\n" << r.err;
    for (const std::string& part : c.expected) {
      EXPECT_NE(r.err.find(part), std::string::npos)
          << c.name << ": expected\n  " << part << "\nin:\n"
          << r.err;
    }
    // One problem, one diagnostic: no follow-up noise about sections the memspec would give.
    EXPECT_EQ(r.err.find("missing required section"), std::string::npos) << c.name << r.err;
    EXPECT_EQ(r.err.find("unknown key"), std::string::npos) << c.name << r.err;
  }
}

TEST(Lpddr4Memspec, ManyProblemsAreReportedTogether) {
  const std::string dir = scratch_dir("memspec_many");
  spit(dir + "/m.json",
       shipped_with(
           {{"\"RCD\": 29,", ""}, {"\"RAS\": 68,", "\"RAS\": true,"}, {"\"vdd2\": 1.1,", ""}}));
  spit(dir + "/t.yaml", platform(memspec_device("m.json")));
  const CliRun r = hmasim("check " + dir + "/t.yaml");
  EXPECT_EQ(r.status, 2);
  EXPECT_CONTAINS(r.err, "missing required key memspec.memtimingspec.RCD");
  EXPECT_CONTAINS(r.err, "memspec.memtimingspec.RAS: expected a whole number, got a boolean");
  EXPECT_CONTAINS(r.err, "missing required key memspec.mempowerspec.vdd2");
}

}  // namespace
}  // namespace hmasim
