// `hmasim run` end to end: the real binary on the shipped platforms and networks.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "support/cli.hpp"

namespace {

using hmasim::test::CliRun;
using hmasim::test::hmasim;
namespace fs = std::filesystem;

const std::string kRoot = HMASIM_SOURCE_DIR;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

double json_number(const std::string& json, const std::string& key) {
  const auto at = json.find("\"" + key + "\": ");
  if (at == std::string::npos) {
    ADD_FAILURE() << "no key " << key;
    return -1;
  }
  return std::stod(json.substr(at + key.size() + 4));
}

fs::path fresh_dir(const std::string& name) {
  const fs::path d =
      fs::path(::testing::TempDir()) / ("hmasim_run_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  return d;
}

// Runs a network and returns (summary.json, layers.csv).
std::pair<std::string, std::string> run(const std::string& platform, const std::string& workload,
                                        const std::string& extra, const fs::path& out) {
  const CliRun r =
      hmasim("run --platform " + kRoot + "/platforms/" + platform + " --workload " + kRoot +
             "/workloads/networks/" + workload + " --out " + out.string() + " " + extra);
  EXPECT_EQ(r.status, 0) << r.err;
  return {slurp(out / "summary.json"), slurp(out / "layers.csv")};
}

std::vector<std::vector<std::string>> csv_rows(const std::string& csv) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(csv);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::istringstream l(line);
    std::string cell;
    while (std::getline(l, cell, ',')) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

// The index of `name` in a CSV's header row (0, the frame column, if it is missing).
std::size_t column(const std::vector<std::vector<std::string>>& rows, const std::string& name) {
  for (std::size_t c = 0; !rows.empty() && c < rows[0].size(); ++c) {
    if (rows[0][c] == name) return c;
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

// ResNet-50 on both NVDLA platforms: every summary key, one row per layer, utilisation <= 1.
TEST(RunCli, Resnet50OnBothNvdlaPlatforms) {
  for (const char* platform : {"nvdla1024-lpddr4.yaml", "nvdla64-lpddr4.yaml"}) {
    const auto [summary, layers] = run(platform, "resnet50.yaml", "", fresh_dir("r50"));
    for (const char* key : {"platform",
                            "workload",
                            "seed",
                            "frames",
                            "macs",
                            "params",
                            "cycles",
                            "latency_s",
                            "fps_max",
                            "mac_utilization",
                            "energy_per_frame_j",
                            "avg_power_w",
                            "components",
                            "memories",
                            "capacity_bytes",
                            "area_mm2",
                            "bandwidth_bytes_per_s",
                            "dynamic_j",
                            "static_j",
                            "bytes_read",
                            "bytes_written",
                            "wall_time_s"}) {
      EXPECT_NE(summary.find("\"" + std::string(key) + "\""), std::string::npos) << key;
    }
    EXPECT_EQ(json_number(summary, "macs"), 4089184256.0);  // the workload's own count
    EXPECT_GT(json_number(summary, "fps_max"), 0);
    EXPECT_LE(json_number(summary, "mac_utilization"), 1.0);
    EXPECT_NEAR(json_number(summary, "fps_max") * json_number(summary, "latency_s"), 1.0, 1e-9);
    const auto rows = csv_rows(layers);
    ASSERT_GT(rows.size(), 1u);
    const auto& header = rows[0];
    const auto col = std::find(header.begin(), header.end(), "mac_utilization") - header.begin();
    std::size_t conv_rows = 0;
    for (std::size_t i = 1; i < rows.size(); ++i) {
      EXPECT_LE(std::stod(rows[i][col]), 1.0) << rows[i][1];
      conv_rows += rows[i][2] == "conv";
    }
    EXPECT_EQ(conv_rows, 53u);  // conv1, 16 bottlenecks x 3, 4 downsamples
  }
}

TEST(RunCli, SameInputsGiveIdenticalOutputs) {
  const auto a =
      run("nvdla1024-lpddr4.yaml", "vgg12-cifar10.yaml", "--seed 7 --frames 2", fresh_dir("a"));
  const auto b =
      run("nvdla1024-lpddr4.yaml", "vgg12-cifar10.yaml", "--seed 7 --frames 2", fresh_dir("b"));
  const std::regex wall("\"wall_time[a-z_]*\": [^\\n]*");
  EXPECT_EQ(std::regex_replace(a.first, wall, ""), std::regex_replace(b.first, wall, ""));
  EXPECT_EQ(a.second, b.second);
  EXPECT_EQ(json_number(a.first, "frames"), 2);
}

TEST(RunCli, LowerDramBandwidthNeverRaisesFps) {
  double previous = 1e300;
  for (const char* bw : {"25GB/s", "12GB/s", "6GB/s", "3GB/s", "1GB/s"}) {
    const auto r = run("nvdla-ideal.yaml", "alexnet.yaml",
                       std::string("--set memories.dram.bandwidth=") + bw, fresh_dir("bw"));
    const double fps = json_number(r.first, "fps_max");
    EXPECT_LE(fps, previous) << bw;
    previous = fps;
  }
}

TEST(RunCli, SmallCbufForcesTilingAndMoreDramTraffic) {
  // Activations in DRAM too, so every refetch shows up there.
  const std::string common = "--set placement.activations=dram ";
  const auto big = run("nvdla-ideal.yaml", "vgg16.yaml",
                       common + "--set accelerator.cbuf.size=64MiB", fresh_dir("big"));
  const auto small = run("nvdla-ideal.yaml", "vgg16.yaml",
                         common + "--set accelerator.cbuf.size=256KiB", fresh_dir("small"));
  const double big_bytes = json_number(big.first.substr(big.first.find("\"dram\"")), "bytes_read");
  const double small_bytes =
      json_number(small.first.substr(small.first.find("\"dram\"")), "bytes_read");
  EXPECT_GT(small_bytes, big_bytes * 1.05);
  std::uint64_t big_tiles = 0, small_tiles = 0;
  for (const auto& row : csv_rows(big.second))
    big_tiles += row[0] == "frame" ? 0 : std::stoull(row[8]);
  for (const auto& row : csv_rows(small.second))
    small_tiles += row[0] == "frame" ? 0 : std::stoull(row[8]);
  EXPECT_GT(small_tiles, big_tiles);
}

TEST(RunCli, BadInputsAreClearErrorsWithNoOutput) {
  const fs::path out = fresh_dir("bad");
  const CliRun nofit = hmasim(
      "run --platform " + kRoot + "/platforms/nvdla1024-lpddr4.yaml --workload " + kRoot +
      "/workloads/networks/resnet50.yaml --set placement.weights=sram --out " + out.string());
  EXPECT_EQ(nofit.status, 2);
  EXPECT_NE(nofit.err.find("placed in 'sram' need"), std::string::npos) << nofit.err;
  EXPECT_NE(nofit.err.find("short by"), std::string::npos) << nofit.err;
  EXPECT_FALSE(fs::exists(out / "summary.json"));

  const CliRun memory_only =
      hmasim("run --platform " + kRoot + "/platforms/lpddr4-3200-x16.yaml --workload " + kRoot +
             "/workloads/networks/lenet5.yaml --out " + out.string());
  EXPECT_EQ(memory_only.status, 2);
  EXPECT_NE(memory_only.err.find("no accelerator section"), std::string::npos) << memory_only.err;

  const CliRun typo = hmasim(
      "run --platform " + kRoot + "/platforms/nvdla-ideal.yaml --workload " + kRoot +
      "/workloads/networks/lenet5.yaml --set accelerator.mac.atomic_q=4 --out " + out.string());
  EXPECT_EQ(typo.status, 2);
  EXPECT_NE(typo.err.find("--set: accelerator.mac.atomic_q: unknown key"), std::string::npos)
      << typo.err;
  EXPECT_FALSE(fs::exists(out / "summary.json"));
}

TEST(RunCli, DocumentedIdealOverridesApply) {
  const auto r = run("nvdla-ideal.yaml", "lenet5.yaml",
                     "--set accelerator.mac.atomic_c=8 --set accelerator.mac.atomic_k=8 "
                     "--set accelerator.cbuf.size=128KiB --set memories.dram.bandwidth=15GB/s",
                     fresh_dir("ideal"));
  const auto base = run("nvdla-ideal.yaml", "lenet5.yaml", "", fresh_dir("ideal_base"));
  // A 16x smaller MAC array cannot be faster.
  EXPECT_LT(json_number(r.first, "fps_max"), json_number(base.first, "fps_max"));
}

// 16-bit data (issues 10, 13) on eMEM's DRAM platform: weights and activations take 2 bytes per
// element, the MAC array runs int16 at half its int8 rate and the CBUF holds half the elements.
TEST(RunCli, SixteenBitDataDoublesTheBytesAndHalvesTheMacRate) {
  const auto [s8, l8] =
      run("emem/dram-only.yaml", "resnet50.yaml", "--set workload.precision=8", fresh_dir("p8"));
  const auto [s16, l16] =
      run("emem/dram-only.yaml", "resnet50.yaml", "--set workload.precision=16", fresh_dir("p16"));
  EXPECT_EQ(json_number(s16, "macs"), json_number(s8, "macs"));
  EXPECT_EQ(json_number(s16, "weight_bytes"), 2 * json_number(s8, "weight_bytes"));
  EXPECT_EQ(json_number(s16, "activation_peak_bytes"),
            2 * json_number(s8, "activation_peak_bytes"));
  // At least twice the DRAM reads: 2x the bytes, and tiles that refetch more of them.
  EXPECT_GE(json_number(s16, "bytes_read"), 2 * json_number(s8, "bytes_read"));
  // The convolutions' busy cycles: twice the passes, plus the fill and the smaller tiles.
  const auto rows8 = csv_rows(l8);
  const auto rows16 = csv_rows(l16);
  ASSERT_EQ(rows8.size(), rows16.size());
  double busy8 = 0, busy16 = 0;
  for (std::size_t i = 1; i < rows8.size(); ++i) {
    if (rows8[i][2] != "conv" && rows8[i][2] != "fc") continue;
    busy8 += std::stod(rows8[i][6]);
    busy16 += std::stod(rows16[i][6]);
  }
  EXPECT_GT(busy16, 1.99 * busy8);
  EXPECT_LT(busy16, 2.2 * busy8);
  EXPECT_GT(json_number(s16, "cycles"), 1.95 * json_number(s8, "cycles"));
}

// accelerator.mac.image_input (issue 13): ResNet-50's conv1 on a 3-channel image runs at several
// times the utilisation; every other layer computes for as many cycles as before.
TEST(RunCli, ImageInputModeLiftsTheFirstConvolutionsUtilisation) {
  const auto [plain_summary, plain] =
      run("nvdla1024-lpddr4.yaml", "resnet50.yaml", "", fresh_dir("img_off"));
  const auto [image_summary, image] =
      run("nvdla1024-lpddr4.yaml", "resnet50.yaml",
          "--set accelerator.mac.image_input=pre_extension", fresh_dir("img_pre"));
  const auto a = csv_rows(plain);
  const auto b = csv_rows(image);
  ASSERT_EQ(a.size(), b.size());
  const std::size_t util = column(a, "mac_utilization");
  const std::size_t busy = column(a, "busy_cycles");
  ASSERT_GT(util, 0u);
  ASSERT_GT(busy, 0u);
  ASSERT_EQ(a[1][1], "conv1");
  // 3 of 32 channels per atomic operation before, 21 of 32 after (7 kernel rows of 7 x 3).
  EXPECT_LT(std::stod(a[1][util]), 0.1);
  EXPECT_GT(std::stod(b[1][util]), 5 * std::stod(a[1][util]));
  EXPECT_LT(std::stoull(b[1][busy]), std::stoull(a[1][busy]) / 5);
  for (std::size_t r = 2; r < a.size(); ++r) {
    ASSERT_GT(a[r].size(), busy);
    EXPECT_EQ(a[r][busy], b[r][busy]) << a[r][1];
  }
  EXPECT_LT(json_number(image_summary, "cycles"), json_number(plain_summary, "cycles"));
}

// accelerator.mac.winograd (issue 13): ResNet-50's stride-1 3x3 convolutions compute for fewer
// cycles and fetch 16/9 of their weight bytes; the strided and 1x1 ones are unchanged; a
// functional run refuses the mode by name.
TEST(RunCli, WinogradRunsStrideOneThreeByThreeLayersFasterOnTransformedWeights) {
  const auto [plain_summary, plain] =
      run("nvdla1024-lpddr4.yaml", "resnet50.yaml", "", fresh_dir("wino_off"));
  const auto [wino_summary, wino] =
      run("nvdla1024-lpddr4.yaml", "resnet50.yaml", "--set accelerator.mac.winograd=true",
          fresh_dir("wino_on"));
  const auto a = csv_rows(plain);
  const auto b = csv_rows(wino);
  ASSERT_EQ(a.size(), b.size());
  const std::size_t busy = column(a, "busy_cycles");
  const std::size_t dram = column(a, "bytes_dram");
  ASSERT_GT(busy, 0u);
  ASSERT_GT(dram, 0u);
  for (std::size_t r = 1; r < a.size(); ++r) {
    const std::string& name = a[r][1];
    if (name == "layer1.0.conv2" || name == "layer3.1.conv2") {  // 3x3, stride 1
      // 2.25x fewer atomic operations; a 14x14 map's 49 blocks fill stripes less well.
      const double limit = name == "layer1.0.conv2" ? 2.0 : 1.5;
      EXPECT_GT(std::stod(a[r][busy]), limit * std::stod(b[r][busy])) << name;
      EXPECT_EQ(std::stod(b[r][dram]) * 9, std::stod(a[r][dram]) * 16) << name;
    }
    if (name == "layer2.0.conv2" || name == "layer1.0.conv1") {  // stride 2; 1x1
      EXPECT_EQ(a[r][busy], b[r][busy]) << name;
    }
  }
  EXPECT_LT(json_number(wino_summary, "cycles"), json_number(plain_summary, "cycles"));
  const CliRun f =
      hmasim("run --platform " + kRoot + "/platforms/nvdla1024-lpddr4.yaml --workload " + kRoot +
             "/workloads/networks/digits-cnn.yaml --functional --set "
             "accelerator.mac.winograd=true --out " +
             fresh_dir("wino_f").string());
  EXPECT_NE(f.status, 0);
  EXPECT_NE(f.err.find("runs in Winograd mode (accelerator.mac.winograd)"), std::string::npos)
      << f.err;
}

}  // namespace

namespace {

// accelerator.post.fuse_eltwise (issue 13): each residual add of ResNet-50 runs on its
// convolution's output path. The add itself moves no byte and takes no cycle; its convolution
// reads the other operand once and writes the sum instead of its own map, so the pair moves one
// map fewer each way: of the add's three maps (two read, one written) one is left.
TEST(RunCli, FusedResidualAddMovesNoBytesToMemory) {
  const auto [plain_summary, plain] =
      run("nvdla1024-lpddr4.yaml", "resnet50.yaml", "", fresh_dir("fuse_off"));
  const auto [fused_summary, fused] =
      run("nvdla1024-lpddr4.yaml", "resnet50.yaml", "--set accelerator.post.fuse_eltwise=true",
          fresh_dir("fuse_on"));
  const auto a = csv_rows(plain);
  const auto b = csv_rows(fused);
  ASSERT_EQ(a.size(), b.size());
  const std::size_t type = column(a, "type");
  const std::size_t cycles = column(a, "cycles");
  const std::size_t tiles = column(a, "tiles");
  const std::size_t dram = column(a, "bytes_dram");
  const std::size_t sram = column(a, "bytes_sram");
  const auto bytes = [&](const std::vector<std::string>& row) {
    return std::stoull(row[dram]) + std::stoull(row[sram]);
  };
  unsigned adds = 0;
  for (std::size_t r = 2; r < a.size(); ++r) {
    if (a[r][type] != "eltwise") continue;
    ++adds;
    const std::string& name = a[r][1];
    EXPECT_EQ(b[r][cycles], "0") << name;
    EXPECT_EQ(b[r][tiles], "0") << name;
    EXPECT_EQ(bytes(b[r]), 0u) << name;
    ASSERT_EQ(bytes(a[r]) % 3, 0u) << name;
    EXPECT_EQ(bytes(b[r - 1]), bytes(a[r - 1]) + bytes(a[r]) / 3) << a[r - 1][1];
  }
  EXPECT_EQ(adds, 16u);  // ResNet-50's bottleneck blocks
  EXPECT_LT(json_number(fused_summary, "cycles"), json_number(plain_summary, "cycles"));
  const CliRun f =
      hmasim("run --platform " + kRoot + "/platforms/nvdla1024-lpddr4.yaml --workload " + kRoot +
             "/workloads/networks/resnet50.yaml --functional --set "
             "accelerator.post.fuse_eltwise=true --out " +
             fresh_dir("fuse_f").string());
  EXPECT_NE(f.status, 0);
  EXPECT_NE(f.err.find("on its output path (accelerator.post.fuse_eltwise)"), std::string::npos)
      << f.err;
}

}  // namespace
