// The MLC level calibration of the shipped presets against MaxNVM's fault-model inputs (MICRO
// 2019 Sec. 2.3 and footnote 1): MLC3 misread rates per cell between 1e-5 and 1e-3, misreads to a
// non-adjacent level at most 1.5e-10 (docs/fault-calibration.md). The rates are computed here from
// the parsed presets and read from `hmasim fault-rates` on every MaxNVM platform (which may
// override a preset's levels); then one of MaxNVM Table 4's "safe" configurations (BitM+IdxSync
// at 2 bits per cell, its ResNet50 choice) runs LeNet5 end to end with program-time faults and
// must neither corrupt nor misplace a weight, while the same run with the mask in MLC3 must
// (the check can see faults).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mem/envm/envm.hpp"
#include "mem/faults/mlc_fault_model.hpp"
#include "support/cli.hpp"
#include "support/memory_bench.hpp"

namespace hmasim {
namespace {

using test::CliRun;
using test::json_number;

const std::string kRoot = HMASIM_SOURCE_DIR;
// MaxNVM's ranges (inputs of its fault model, not results).
constexpr double kMlc3Low = 1e-5, kMlc3High = 1e-3, kNonAdjacentMax = 1.5e-10;

MlcFaultModel preset_model(const std::string& preset, int bits) {
  const auto specs = test::parse_platform(
      "memories:\n  m: {model: envm, capacity: 1MiB, "
      "technology: {preset: " +
      preset + "}}\n");
  const EnvmTechnology& t = dynamic_cast<const EnvmConfig&>(*specs.at(0).config).technology;
  return MlcFaultModel(t.levels.levels(bits), t.sense_offset);
}

TEST(mlc_calibration, PresetMlc3RatesLieInMaxnvmsRange) {
  for (const std::string preset : {"ctt", "rram"}) {
    const MlcFaultModel m = preset_model(preset, 3);
    EXPECT_GE(m.mean_misread_rate(), kMlc3Low) << preset;
    EXPECT_LE(m.mean_misread_rate(), kMlc3High) << preset;
    EXPECT_LE(m.max_non_adjacent(), kNonAdjacentMax) << preset;
    // Fewer bits per cell never misread more.
    for (int bits = 1; bits <= 2; ++bits) {
      EXPECT_LT(preset_model(preset, bits).mean_misread_rate(), m.mean_misread_rate())
          << preset << " " << bits;
    }
  }
}

TEST(mlc_calibration, EveryMaxnvmPlatformsMlc3RatesLieInMaxnvmsRange) {
  for (const std::string platform :
       {"nvdla1024-mlc-ctt", "nvdla1024-mlc-rram", "nvdla1024-opt-mlc-rram", "nvdla1024-slc-rram",
        "nvdla64-mlc-ctt", "nvdla64-mlc-rram", "nvdla64-opt-mlc-rram", "nvdla64-slc-rram"}) {
    const CliRun r = test::hmasim("fault-rates --platform " + kRoot + "/platforms/maxnvm/" +
                                  platform + ".yaml --memory envm --bits 3 --cells 1000");
    ASSERT_EQ(r.status, 0) << platform << ": " << r.err;
    const double rate = json_number(r.out, "analytic_mean_misread");
    EXPECT_GE(rate, kMlc3Low) << platform;
    EXPECT_LE(rate, kMlc3High) << platform;
    EXPECT_LE(json_number(r.out, "non_adjacent_bound"), kNonAdjacentMax) << platform;
  }
}

// LeNet5 on a MaxNVM platform with program-time faults (fault seed `seed`); summary.json.
std::string run_lenet5(const std::string& platform, int seed, const std::string& name,
                       const std::string& extra = "") {
  const std::string out = test::scratch_dir("mlc_calibration_" + name);
  const CliRun r = test::hmasim(
      "run --platform " + kRoot + "/platforms/maxnvm/" + platform + ".yaml --workload " + kRoot +
      "/workloads/networks/lenet5.yaml --set storage.fault_mode=program --set "
      "memories.envm.faults.seed=" +
      std::to_string(seed) + extra + " --out " + out);
  EXPECT_EQ(r.status, 0) << r.err;
  return test::slurp(out + "/summary.json");
}

TEST(mlc_calibration, Table4BitmaskIdxSyncAtTwoBitsPerCellLosesNoWeight) {
  for (const std::string platform : {"nvdla1024-mlc-ctt", "nvdla1024-mlc-rram"}) {
    for (int seed = 1; seed <= 3; ++seed) {
      // The platforms' own storage: BitM+IdxSync, values and metadata at 2 bits per cell.
      const std::string s = run_lenet5(platform, seed, platform + std::to_string(seed));
      EXPECT_EQ(json_number(s, "bits_per_cell", "structures"), 2) << platform;
      EXPECT_GT(json_number(s, "cells", "faults"), 0) << platform;
      EXPECT_EQ(json_number(s, "weights_corrupted", "faults"), 0) << platform << " seed " << seed;
      EXPECT_EQ(json_number(s, "weights_misaligned", "faults"), 0) << platform << " seed " << seed;
    }
  }
  // The same check sees faults where there are some: CTT MLC3 for everything.
  const std::string mlc3 =
      run_lenet5("nvdla1024-mlc-ctt", 1, "ctt_mlc3",
                 " --set memories.envm.bits_per_cell=3 --set storage.bits_per_cell.values=3 --set "
                 "storage.bits_per_cell.metadata=3");
  EXPECT_GT(json_number(mlc3, "level_faults", "faults"), 0);
  EXPECT_GT(json_number(mlc3, "weights_corrupted", "faults"), 0);
}

}  // namespace
}  // namespace hmasim
