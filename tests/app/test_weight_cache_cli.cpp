// `hmasim run --weight-cache DIR` end to end: runs without the cache, with a cold cache and with a
// warm one write the same summary.json (but for its wall times) and layers.csv, byte for byte, on
// MaxNVM platforms with program-time faults; damaged entries, other encodings and other seeds.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>

#include "support/cli.hpp"

namespace {

using hmasim::test::CliRun;
using hmasim::test::hmasim;
using hmasim::test::slurp;
namespace fs = std::filesystem;

const std::string kRoot = HMASIM_SOURCE_DIR;

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::path(::testing::TempDir()) /
                     ("hmasim_weight_cache_cli_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  return d;
}

// summary.json without its host wall times, and layers.csv.
struct RunFiles {
  std::string summary;
  std::string layers;
  std::string err;
};

std::string without_wall_times(const std::string& json) {
  std::istringstream in(json);
  std::string out, line;
  while (std::getline(in, line)) {
    if (line.find("\"wall_time") == std::string::npos) out += line + "\n";
  }
  return out;
}

RunFiles run(const std::string& args, const fs::path& out) {
  const CliRun r = hmasim("run " + args + " --out " + out.string());
  EXPECT_EQ(r.status, 0) << r.err;
  return {without_wall_times(slurp((out / "summary.json").string())),
          slurp((out / "layers.csv").string()), r.err};
}

void expect_identical(const RunFiles& a, const RunFiles& b, const std::string& what) {
  EXPECT_FALSE(a.summary.empty());
  EXPECT_TRUE(a.summary == b.summary) << what << ": summary.json differs";
  EXPECT_TRUE(a.layers == b.layers) << what << ": layers.csv differs";
}

// The counts of the cache's line on stderr: read encoded, encoded from cached weights, generated,
// files written.
struct CacheLine {
  long read = -1, from_weights = -1, generated = -1, written = -1;
  bool damaged = false;
};
CacheLine cache_line(const std::string& err) {
  static const std::regex line(
      "weight cache '[^']*': ([0-9]+) layers read encoded, ([0-9]+) encoded from cached weights, "
      "([0-9]+) generated; ([0-9]+) files written");
  std::smatch m;
  CacheLine c;
  if (!std::regex_search(err, m, line)) {
    ADD_FAILURE() << "no weight cache line in\n" << err;
    return c;
  }
  c.read = std::stol(m[1]);
  c.from_weights = std::stol(m[2]);
  c.generated = std::stol(m[3]);
  c.written = std::stol(m[4]);
  c.damaged = err.find("damaged or stale files replaced") != std::string::npos;
  return c;
}

std::string network(const std::string& name) {
  return " --workload " + kRoot + "/workloads/networks/" + name + ".yaml";
}
std::string platform(const std::string& name) {
  return "--platform " + kRoot + "/platforms/" + name + ".yaml";
}

// The three ways of one run; returns the cache directory.
fs::path three_ways(const std::string& name, const std::string& args) {
  const fs::path d = fresh_dir(name);
  const std::string cache = " --weight-cache " + (d / "cache").string();
  const RunFiles none = run(args, d / "none");
  const RunFiles cold = run(args + cache, d / "cold");
  const RunFiles warm = run(args + cache, d / "warm");
  expect_identical(none, cold, name + " cold cache");
  expect_identical(none, warm, name + " warm cache");
  EXPECT_EQ(none.err.find("weight cache"), std::string::npos) << none.err;
  const CacheLine c = cache_line(cold.err);
  EXPECT_EQ(c.read, 0);
  EXPECT_GT(c.generated, 0);
  EXPECT_EQ(c.written, 2 * c.generated);  // weights and encoded layout
  const CacheLine w = cache_line(warm.err);
  EXPECT_EQ(w.read, c.generated);
  EXPECT_EQ(w.generated, 0);
  EXPECT_EQ(w.written, 0);
  return d / "cache";
}

// MaxNVM's LeNet-5 point with three bits per cell, so that program-time faults corrupt weights:
// the cache holds fault-free layouts and every run draws the same faults into them.
const std::string kFaultyLenet =
    platform("maxnvm/nvdla64-mlc-rram") + network("lenet5") +
    " --set memories.envm.bits_per_cell=3 --set storage.bits_per_cell.values=3"
    " --set storage.bits_per_cell.metadata=3";

TEST(WeightCacheCli, LenetWithFaultsIsIdenticalUncachedColdAndWarm) {
  const fs::path cache = three_ways("lenet", kFaultyLenet);
  // The comparison covered faults that happened.
  const std::string summary = slurp((cache.parent_path() / "warm" / "summary.json").string());
  EXPECT_GT(hmasim::test::json_number(summary, "level_faults", "faults"), 0);
  EXPECT_GT(hmasim::test::json_number(summary, "weights_corrupted", "faults"), 0);
}

TEST(WeightCacheCli, Resnet50IsIdenticalUncachedColdAndWarm) {
  three_ways("resnet50", platform("maxnvm/nvdla1024-mlc-rram") + network("resnet50"));
}

TEST(WeightCacheCli, DamagedEntriesStillGiveIdenticalResults) {
  const fs::path d = fresh_dir("damaged");
  const std::string cache = " --weight-cache " + (d / "cache").string();
  const RunFiles none = run(kFaultyLenet, d / "none");
  run(kFaultyLenet + cache, d / "cold");
  // Truncate one encoded entry, flip a byte in the middle of another, empty a weights file.
  std::vector<fs::path> encoded, weights;
  for (const auto& e : fs::directory_iterator(d / "cache")) {
    (e.path().extension() == ".encoded" ? encoded : weights).push_back(e.path());
  }
  std::sort(encoded.begin(), encoded.end());
  ASSERT_GE(encoded.size(), 2u);
  ASSERT_FALSE(weights.empty());
  fs::resize_file(encoded[0], fs::file_size(encoded[0]) / 2);
  std::string bytes = slurp(encoded[1].string());
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 1);
  hmasim::test::spit(encoded[1].string(), bytes);
  hmasim::test::spit(weights[0].string(), "");
  const RunFiles after = run(kFaultyLenet + cache, d / "after");
  expect_identical(none, after, "damaged cache");
  const CacheLine c = cache_line(after.err);
  EXPECT_TRUE(c.damaged) << after.err;
  EXPECT_EQ(c.read + c.from_weights + c.generated, static_cast<long>(encoded.size()));
  EXPECT_EQ(c.read, static_cast<long>(encoded.size()) - 2);
  // Rewritten: the next run reads every layer.
  const CacheLine again = cache_line(run(kFaultyLenet + cache, d / "again").err);
  EXPECT_EQ(again.read, static_cast<long>(encoded.size()));
  EXPECT_FALSE(again.damaged);
}

TEST(WeightCacheCli, OtherEncodingsShareWeightsCellModesShareLayoutsSeedsShareNothing) {
  const fs::path d = fresh_dir("share");
  const std::string cache = " --weight-cache " + (d / "cache").string();
  const CacheLine bitmask = cache_line(run(kFaultyLenet + cache, d / "bitmask").err);
  // CSR with ECC: new encoded layouts from the weights generated for the bitmask run.
  const std::string csr = kFaultyLenet + " --set storage.encoding=csr --set storage.protection=ecc";
  const RunFiles csr_none = run(csr, d / "csr_none");
  const RunFiles csr_cached = run(csr + cache, d / "csr_cached");
  expect_identical(csr_none, csr_cached, "csr after bitmask");
  const CacheLine c = cache_line(csr_cached.err);
  EXPECT_EQ(c.read, 0);
  EXPECT_EQ(c.from_weights, bitmask.generated);
  EXPECT_EQ(c.generated, 0);
  // Bits per cell and the fault mode change the cells, not the bytes: every layout is read.
  const std::string slc =
      platform("maxnvm/nvdla64-mlc-rram") + network("lenet5") +
      " --set storage.bits_per_cell.values=1 --set storage.bits_per_cell.metadata=1"
      " --set storage.fault_mode=read";
  const RunFiles slc_none = run(slc, d / "slc_none");
  const RunFiles slc_cached = run(slc + cache, d / "slc_cached");
  expect_identical(slc_none, slc_cached, "SLC, read faults");
  EXPECT_EQ(cache_line(slc_cached.err).read, bitmask.generated);
  // Another seed: other weights, generated anew.
  const RunFiles seed_none = run(kFaultyLenet + " --seed 2", d / "seed_none");
  const RunFiles seed_cached = run(kFaultyLenet + " --seed 2" + cache, d / "seed_cached");
  expect_identical(seed_none, seed_cached, "seed 2");
  EXPECT_EQ(cache_line(seed_cached.err).generated, bitmask.generated);
}

TEST(WeightCacheCli, CacheThatIsNoDirectoryIsAnError) {
  const fs::path d = fresh_dir("bad");
  fs::create_directories(d);
  hmasim::test::spit((d / "file").string(), "x");
  const CliRun r = hmasim("run " + kFaultyLenet + " --out " + (d / "out").string() +
                          " --weight-cache " + (d / "file").string());
  EXPECT_EQ(r.status, 2);
  EXPECT_CONTAINS(r.err, "--weight-cache");
  EXPECT_CONTAINS(r.err, (d / "file").string());
  EXPECT_FALSE(fs::exists(d / "out"));
}

}  // namespace
