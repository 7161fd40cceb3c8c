// `hmasim run` reports, per memory, when its interconnect link rather than the memory limited its
// bandwidth: a `note:` on stderr and the link figures in summary.json (docs/user-guide.md).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "support/cli.hpp"

namespace {

using hmasim::test::CliRun;
namespace fs = std::filesystem;

const std::string kRoot = HMASIM_SOURCE_DIR;

struct RunResult {
  CliRun cli;
  std::string summary;
};

RunResult run(const std::string& platform, const std::string& workload, const std::string& sets) {
  const fs::path out =
      fs::path(::testing::TempDir()) / ("hmasim_link_" + std::to_string(::getpid()));
  fs::remove_all(out);
  RunResult r;
  r.cli = hmasim::test::hmasim("run --platform " + kRoot + "/platforms/" + platform +
                               " --workload " + kRoot + "/workloads/networks/" + workload +
                               " --out " + out.string() + " " + sets);
  EXPECT_EQ(r.cli.status, 0) << r.cli.err;
  std::ifstream in(out / "summary.json");
  r.summary.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  fs::remove_all(out);
  return r;
}

// The text of `key` in the block of memory `memory` under "memories" (a number, or a string
// with its quotes).
std::string memory_field(const std::string& summary, const std::string& memory,
                         const std::string& key) {
  const auto memories = summary.find("\"memories\": {");
  const auto block = summary.find("\"" + memory + "\": {", memories);
  const auto at = summary.find("\"" + key + "\": ", block);
  if (memories == std::string::npos || block == std::string::npos || at == std::string::npos ||
      at > summary.find('}', block)) {
    ADD_FAILURE() << "no memories." << memory << "." << key;
    return "";
  }
  const auto from = at + key.size() + 4;
  return summary.substr(from, summary.find_first_of(",\n", from) - from);
}

double memory_number(const std::string& summary, const std::string& memory,
                     const std::string& key) {
  const std::string v = memory_field(summary, memory, key);
  return v.empty() ? -1 : std::stod(v);
}

TEST(LinkReportCli, SlowLinkInFrontOfAFastMemoryIsReported) {
  // The ideal DRAM at 100 GB/s behind a 6.4 GB/s link (its 100 ns latency exceeds the link's
  // 40 ns per 256 B request: the link shows as the queue in front of the memory).
  const RunResult r = run("nvdla-ideal.yaml", "lenet5.yaml",
                          "--set memories.dram.bandwidth=100GB/s "
                          "--set interconnect.dram.bandwidth=6.4GB/s");
  const std::string note =
      "note: memory 'dram' (peak 100.0 GB/s) was limited by its 6.4 GB/s interconnect link for ";
  EXPECT_NE(r.cli.err.find(note), std::string::npos) << r.cli.err;
  EXPECT_EQ(r.cli.err.find("note: memory 'sram'"), std::string::npos) << r.cli.err;  // 1 TB/s
  EXPECT_EQ(memory_field(r.summary, "dram", "limited_by"), "\"link\"");
  EXPECT_EQ(memory_number(r.summary, "dram", "link_bandwidth_bytes_per_s"), 6.4e9);
  EXPECT_EQ(memory_number(r.summary, "dram", "peak_bandwidth_bytes_per_s"), 100e9);
  EXPECT_GT(memory_number(r.summary, "dram", "link_limited_fraction"), 0.9);
  EXPECT_GT(memory_number(r.summary, "dram", "link_wait_s"), 0);
  // Achieved bandwidth over the whole run cannot exceed what the link carries.
  EXPECT_LE(memory_number(r.summary, "dram", "bandwidth_bytes_per_s"), 6.4e9);
  EXPECT_EQ(memory_field(r.summary, "sram", "limited_by"), "\"memory\"");
}

TEST(LinkReportCli, MemorySlowerThanItsLinkIsNotReported) {
  const RunResult r = run("nvdla-ideal.yaml", "lenet5.yaml",
                          "--set memories.dram.bandwidth=3GB/s "
                          "--set interconnect.dram.bandwidth=6.4GB/s");
  EXPECT_EQ(r.cli.err.find("note:"), std::string::npos) << r.cli.err;
  EXPECT_EQ(memory_field(r.summary, "dram", "limited_by"), "\"memory\"");
  EXPECT_LT(memory_number(r.summary, "dram", "link_limited_fraction"), 0.1);
  // Requests still queued for the link: waiting alone does not make the link the limit.
  EXPECT_GT(memory_number(r.summary, "dram", "link_wait_s"), 0);
  EXPECT_GT(memory_number(r.summary, "dram", "link_bytes"), 0);
}

TEST(LinkReportCli, LinkAtTheMemorysOwnPeakIsNotReported) {
  // NVDLA-64's DRAM link carries exactly the LPDDR4-3200 x16 peak: it paces requests but cannot
  // cap the memory below what it could do.
  const RunResult r = run("nvdla64-lpddr4.yaml", "lenet5.yaml", "");
  EXPECT_EQ(r.cli.err.find("note: memory 'dram'"), std::string::npos) << r.cli.err;
  EXPECT_EQ(memory_field(r.summary, "dram", "limited_by"), "\"memory\"");
  EXPECT_EQ(memory_number(r.summary, "dram", "link_bandwidth_bytes_per_s"),
            memory_number(r.summary, "dram", "peak_bandwidth_bytes_per_s"));
  // Bytes through the link are the bytes the memory moved.
  const auto components = r.summary.find("\"components\": {");
  const auto dram = r.summary.find("\"dram\": {", components);
  const auto read_at = r.summary.find("\"bytes_read\": ", dram);
  const auto written_at = r.summary.find("\"bytes_written\": ", dram);
  const double moved =
      std::stod(r.summary.substr(read_at + 14)) + std::stod(r.summary.substr(written_at + 17));
  EXPECT_EQ(memory_number(r.summary, "dram", "link_bytes"), moved);
}

TEST(LinkReportCli, LinkWithinTenPercentOfThePeakIsNotReported) {
  // NVDLA-1024's 25 GB/s DRAM link is a little slower than its LPDDR4's 25.6 GB/s peak and holds
  // most requests up, but a link that close cannot cap the memory by much: no note.
  const RunResult r = run("nvdla1024-lpddr4.yaml", "resnet50.yaml", "");
  EXPECT_EQ(r.cli.err.find("note: memory 'dram'"), std::string::npos) << r.cli.err;
  EXPECT_EQ(memory_field(r.summary, "dram", "limited_by"), "\"memory\"");
  EXPECT_LT(memory_number(r.summary, "dram", "link_bandwidth_bytes_per_s"),
            memory_number(r.summary, "dram", "peak_bandwidth_bytes_per_s"));
  EXPECT_GE(memory_number(r.summary, "dram", "link_bandwidth_bytes_per_s"),
            0.9 * memory_number(r.summary, "dram", "peak_bandwidth_bytes_per_s"));
  EXPECT_GT(memory_number(r.summary, "dram", "link_limited_fraction"), 0.5);
}

}  // namespace

namespace {

// An LPDDR4's energy by rail in summary.json adds up to the ledger's: core + io = the memory's
// dynamic + static energy (DRAMPower's core figure is `energy_core_j`, docs/lpddr4.md).
TEST(MemoryReportCli, Lpddr4CoreAndIoAddUpToTheMemorysEnergy) {
  const RunResult r = run("nvdla1024-lpddr4.yaml", "lenet5.yaml", "");
  using hmasim::test::json_number;
  const std::string memories = r.summary.substr(r.summary.find("\"memories\""));
  const double core = json_number(memories, "energy_core_j", "dram");
  const double io = json_number(memories, "energy_io_j", "dram");
  const std::string components = r.summary.substr(r.summary.find("\"components\""));
  const double total = json_number(components, "dynamic_j", "dram") +
                       json_number(components, "static_j", "dram");
  EXPECT_GT(core, 0);
  EXPECT_GT(io, 0);
  EXPECT_NEAR(core + io, total, 1e-9 * total);
  // The classes sum to the totals; reads cost on both rails.
  const std::string rails = memories.substr(memories.find("\"energy_by_rail_j\""));
  EXPECT_GT(json_number(rails, "core", "RD"), 0);
  EXPECT_GT(json_number(rails, "io", "RD"), 0);
  // A memory of another model has no rails.
  const std::string sram = memories.substr(memories.find("\"sram\""));
  EXPECT_EQ(sram.substr(0, sram.find('}')).find("energy_core_j"), std::string::npos);
}

}  // namespace
