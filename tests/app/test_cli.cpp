// Integration tests: the real hmasim binary on real files.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <string>

#include "support/cli.hpp"

namespace {

using hmasim::test::CliRun;
using hmasim::test::hmasim;

const std::string kData = std::string(HMASIM_SOURCE_DIR) + "/tests/data/";
const std::string kPlatforms = std::string(HMASIM_SOURCE_DIR) + "/platforms/";

// The number after `"key": ` in hmasim's JSON (first occurrence).
double json_number(const std::string& json, const std::string& key) {
  const auto at = json.find("\"" + key + "\": ");
  if (at == std::string::npos) {
    ADD_FAILURE() << "no key " << key << " in\n" << json;
    return -1;
  }
  return std::stod(json.substr(at + key.size() + 4));
}

std::string without_wall_time(const std::string& json) {
  return std::regex_replace(json, std::regex("\"wall_time[a-z_]*\": [^,\\n]*"),
                            "\"wall_time_s\": X");
}

TEST(Cli, ModelsListsEveryRegisteredModel) {
  const CliRun r = hmasim("models");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("simple"), std::string::npos);
  EXPECT_EQ(r.err, "");
}

TEST(Cli, HelpOnEveryCommand) {
  for (const char* c : {"--help", "models --help", "check --help", "replay --help"}) {
    const CliRun r = hmasim(c);
    EXPECT_EQ(r.status, 0) << c;
    EXPECT_NE(r.out.find("usage"), std::string::npos) << c;
  }
  const CliRun unknown = hmasim("frobnicate");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("unknown command 'frobnicate'"), std::string::npos);
}

TEST(Cli, CheckAcceptsGoodAndReportsEveryErrorOfBad) {
  const CliRun good = hmasim("check " + kData + "ideal-memory.yaml");
  EXPECT_EQ(good.status, 0) << good.err;
  const CliRun bad = hmasim("check " + kData + "bad-platform.yaml");
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("bad-platform.yaml:6:15: memories.ideal.capacity: '-1MiB'"),
            std::string::npos)
      << bad.err;
  EXPECT_NE(bad.err.find("bad-platform.yaml:7:14: memories.ideal.latency: '20 nsec'"),
            std::string::npos)
      << bad.err;
  EXPECT_NE(bad.err.find("bad-platform.yaml:9:5: memories.ideal.leakge: unknown key 'leakge'"),
            std::string::npos)
      << bad.err;
  const CliRun missing = hmasim("check /nonexistent.yaml");
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("/nonexistent.yaml: cannot open file"), std::string::npos);
  const CliRun bad_set =
      hmasim("check --set memories.ideal.bandwidth=-3GB/s " + kData + "ideal-memory.yaml");
  EXPECT_EQ(bad_set.status, 2);
  EXPECT_NE(bad_set.err.find("--set: memories.ideal.bandwidth: '-3GB/s'"), std::string::npos)
      << bad_set.err;
}

TEST(Cli, ReplayPrintsStatisticsJson) {
  const std::string trace = "0: read 0x0\n0: read 0x40\n100: (32) write 0x80\n";
  const CliRun r =
      hmasim("replay --platform " + kData + "ideal-memory.yaml --memory ideal --trace -", trace);
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* key : {"\"transactions\": 3", "\"bytes\": 160", "\"end_time_s\"",
                          "\"bandwidth_bytes_per_s\"", "\"mean_latency_s\"", "\"commands\"",
                          "\"energy_j\"", "\"total\"", "\"avg_power_w\"", "\"wall_time_s\""}) {
    EXPECT_NE(r.out.find(key), std::string::npos) << key << "\n" << r.out;
  }
  // The write at cycle 100 (1 GHz) takes 2 cycles of transfer, then 20 ns: ends at 122 ns.
  EXPECT_NE(r.out.find("\"end_time_s\": 1.22e-07"), std::string::npos) << r.out;
}

TEST(Cli, ReplayIsDeterministic) {
  std::string trace;
  for (int i = 0; i < 500; ++i) {
    char line[64];
    std::snprintf(line, sizeof line, "%d: %s 0x%x\n", i * 3, i % 3 ? "read" : "write",
                  (i * 7919) % 16384 * 64);
    trace += line;
  }
  const std::string args =
      "replay --platform " + kData + "ideal-memory.yaml --memory ideal --trace -";
  const CliRun a = hmasim(args, trace);
  const CliRun b = hmasim(args, trace);
  ASSERT_EQ(a.status, 0) << a.err;
  EXPECT_EQ(without_wall_time(a.out), without_wall_time(b.out));
}

TEST(Cli, ReplayErrorsNameTheLine) {
  const std::string args =
      "replay --platform " + kData + "ideal-memory.yaml --memory ideal --trace -";
  const CliRun malformed = hmasim(args, "0: read 0x0\n1: raed 0x40\n");
  EXPECT_EQ(malformed.status, 2);
  EXPECT_NE(malformed.err.find(":2: expected 'read' or 'write'"), std::string::npos)
      << malformed.err;
  EXPECT_EQ(malformed.out, "") << "no half result on failure";

  const CliRun out_of_range = hmasim(args, "0: read 0x0\n1: read 0x100000\n");
  EXPECT_EQ(out_of_range.status, 2);
  EXPECT_NE(out_of_range.err.find(
                "<stdin>:2: read of 64 B at 0x100000 failed: TLM_ADDRESS_ERROR_RESPONSE"),
            std::string::npos)
      << out_of_range.err;

  const CliRun no_memory = hmasim(
      "replay --platform " + kData + "ideal-memory.yaml --memory dram --trace -", "0: read 0x0\n");
  EXPECT_EQ(no_memory.status, 2);
  EXPECT_NE(no_memory.err.find("has no memory 'dram' (it has: ideal)"), std::string::npos)
      << no_memory.err;

  const CliRun no_args = hmasim("replay");
  EXPECT_EQ(no_args.status, 2);
  EXPECT_NE(no_args.err.find("is required but missing"), std::string::npos) << no_args.err;
}

TEST(Cli, EveryShippedPlatformChecks) {
  int n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(kPlatforms)) {
    // Presets are fragments of memory blocks, not platforms.
    if (e.path().extension() != ".yaml" || e.path().parent_path().filename() == "presets") continue;
    const CliRun r = hmasim("check " + e.path().string());
    EXPECT_EQ(r.status, 0) << e.path() << "\n" << r.err;
    ++n;
  }
  EXPECT_GE(n, 13);
}

// The demo job of scripts/run.sh: the documented trace through every memory model, twice.
TEST(Cli, DemoTraceRunsDeterministicallyOnEveryModel) {
  for (const char* memory : {"dram", "sram", "rram", "ctt", "ideal"}) {
    const std::string args = "replay --platform " + kPlatforms + "memory-demo.yaml --memory " +
                             memory + " --trace " + kPlatforms + "traces/demo.stl";
    const CliRun a = hmasim(args);
    const CliRun b = hmasim(args);
    ASSERT_EQ(a.status, 0) << memory << "\n" << a.err;
    EXPECT_EQ(without_wall_time(a.out), without_wall_time(b.out)) << memory;
    EXPECT_EQ(json_number(a.out, "transactions"), 1024) << memory;
    EXPECT_EQ(json_number(a.out, "bytes"), 1024 * 64) << memory;
    EXPECT_LE(json_number(a.out, "bandwidth_bytes_per_s"),
              json_number(a.out, "peak_bandwidth_bytes_per_s"))
        << memory;
    EXPECT_GT(json_number(a.out, "mean_latency_s"), 0) << memory;
  }
}

// A sequential read stream on the shipped LPDDR4 platform: what the JEDEC channel gives through
// the real command line, with consistent energy bookkeeping.
TEST(Cli, Lpddr4ReplayReportsCommandsAndEnergy) {
  std::string trace;
  for (int i = 0; i < 4096; ++i) {
    char line[40];
    std::snprintf(line, sizeof line, "0: read 0x%x\n", i * 64);
    trace += line;
  }
  const CliRun r = hmasim(
      "replay --platform " + kPlatforms + "lpddr4-3200-x16.yaml --memory dram --trace -", trace);
  ASSERT_EQ(r.status, 0) << r.err;
  // 256 KiB sequential = 128 rows of 2 KB in one bank: 128 activations, plus one re-activation
  // after each refresh that closed an open row.
  EXPECT_GE(json_number(r.out, "ACT"), 128);
  EXPECT_LE(json_number(r.out, "ACT"), 128 + json_number(r.out, "REF"));
  EXPECT_GT(json_number(r.out, "REF"), 0);
  EXPECT_EQ(json_number(r.out, "RD"), 4096 * 2);  // two 32 B bursts per 64 B request
  const double bw = json_number(r.out, "bandwidth_bytes_per_s");
  EXPECT_GT(bw, 0.5 * 6.4e9);
  EXPECT_LE(bw, 6.4e9);
  EXPECT_GT(json_number(r.out, "background"), 0);
  EXPECT_NEAR(json_number(r.out, "avg_power_w") * json_number(r.out, "end_time_s"),
              json_number(r.out, "total"), 1e-12);
}

}  // namespace
