// Issue 7, "trust what it says", through the real binary: an override never silently does
// nothing, every bad input is a clean error (exit 2, file, key, what was expected), presets chain
// and are checked, one --seed reproduces a run. (Traces, imports and output paths:
// test_bad_input_cli.cpp.)
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <string>

#include "support/cli.hpp"

namespace {

using hmasim::test::CliRun;
using hmasim::test::hmasim;
using hmasim::test::slurp;
using hmasim::test::spit;
namespace fs = std::filesystem;

const std::string kRoot = HMASIM_SOURCE_DIR;
const std::string kPlatforms = kRoot + "/platforms/";
const std::string kNetworks = kRoot + "/workloads/networks/";
const std::string kMlcRram = kPlatforms + "maxnvm/nvdla64-mlc-rram.yaml";
const std::string kNvdla64 = kPlatforms + "nvdla64-lpddr4.yaml";
const std::string kLenet = kNetworks + "lenet5.yaml";

fs::path scratch(const std::string& name) {
  const fs::path d =
      fs::path(::testing::TempDir()) / ("hmasim_trust_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

// A copy of a shipped platform with one edit, in `dir` (presets still resolve: the shipped
// preset directory is searched last).
std::string edited_platform(const fs::path& dir, const std::string& from, const std::string& to) {
  const std::string file = (dir / "platform.yaml").string();
  spit(file, replaced(slurp(kMlcRram), from, to));
  return file;
}

double number(const std::string& json, const std::string& key, const std::string& from = "") {
  return hmasim::test::json_number(json, key, from);
}

// `hmasim run` of LeNet5; returns summary.json ("" on failure, with the failure recorded).
std::string run_summary(const std::string& platform, const std::string& extra,
                        const std::string& name) {
  const fs::path out = scratch("run_" + name);
  const CliRun r = hmasim("run --platform " + platform + " --workload " + kLenet + " --out " +
                          (out / "r").string() + " " + extra);
  EXPECT_EQ(r.status, 0) << r.err;
  return slurp((out / "r" / "summary.json").string());
}

std::string without_wall_time(const std::string& json) {
  return std::regex_replace(json, std::regex("\"wall_time[a-z_]*\": [^,\\n]*"),
                            "\"wall_time_s\": X");
}

// ---------------------------------------------------------------------------------------------
// Overrides that another key would shadow

TEST(TrustCli, MemoryBitsPerCellShadowedByStorageIsAnErrorNamingTheKey) {
  // The documented bits-per-cell study on a MaxNVM platform: storage.bits_per_cell decides the
  // weights' cells, so the memory's own key would change nothing for them.
  for (const std::string& cmd :
       {std::string("check "), "run --workload " + kLenet + " --platform "}) {
    const CliRun r = hmasim(cmd + kMlcRram + " --set memories.envm.bits_per_cell=3");
    EXPECT_EQ(r.status, 2) << cmd;
    EXPECT_CONTAINS(r.err,
                    "--set: memories.envm.bits_per_cell: has no effect: "
                    "storage.bits_per_cell.values (");
    EXPECT_CONTAINS(r.err, "nvdla64-mlc-rram.yaml:");
    EXPECT_CONTAINS(r.err, "override storage.bits_per_cell.values instead");
  }
  // The key it names takes effect: the values' cells change.
  const std::string two = run_summary(kMlcRram, "", "bits2");
  const std::string three = run_summary(kMlcRram, "--set storage.bits_per_cell.values=3", "bits3");
  EXPECT_GT(number(two, "cells", "faults"), number(three, "cells", "faults"));
  // Both given on the command line: the user chose both, nothing is shadowed silently.
  const CliRun both = hmasim("check " + kMlcRram +
                             " --set memories.envm.bits_per_cell=3 "
                             "--set storage.bits_per_cell.values=3 "
                             "--set storage.bits_per_cell.metadata=3");
  EXPECT_EQ(both.status, 0) << both.err;
}

TEST(TrustCli, FaultModeAndCodingShadowedByStorageAreErrors) {
  const CliRun mode = hmasim("check " + kMlcRram + " --set memories.envm.faults.mode=read");
  EXPECT_EQ(mode.status, 2);
  EXPECT_CONTAINS(mode.err, "memories.envm.faults.mode: has no effect: storage.fault_mode (");
  const CliRun coding = hmasim("check " + kMlcRram + " --set memories.envm.faults.coding=binary");
  EXPECT_EQ(coding.status, 2);
  EXPECT_CONTAINS(coding.err, "memories.envm.faults.coding: has no effect: storage.coding (");
}

TEST(TrustCli, MemoryCodingTakesEffectWhereStorageSaysNothing) {
  // Without storage.coding the weights are coded as their memory says: binary coding turns some
  // level slips into multi-bit errors, Gray keeps every slip a single bit error.
  const fs::path dir = scratch("coding");
  const std::string platform = edited_platform(
      dir,
      "  coding: gray  # MaxNVM Sec. 4.1: Gray coding makes a level-to-level fault a single "
      "bit error\n",
      "");
  const std::string mlc3 = "--set storage.bits_per_cell.values=3 ";
  const std::string gray = run_summary(platform, mlc3, "gray");
  const std::string binary =
      run_summary(platform, mlc3 + "--set memories.envm.faults.coding=binary", "binary");
  EXPECT_GT(number(gray, "level_faults", "faults"), 0);
  EXPECT_EQ(number(gray, "bit_errors", "faults"), number(gray, "level_faults", "faults"));
  EXPECT_GT(number(binary, "bit_errors", "faults"), number(binary, "level_faults", "faults"));
}

TEST(TrustCli, MetadataBitsShadowedByAStructureKeyIsAnError) {
  const fs::path dir = scratch("structure");
  const std::string platform = edited_platform(dir, "bits_per_cell: {values: 2, metadata: 2}",
                                               "bits_per_cell: {values: 2, metadata: 2, mask: 1}");
  const CliRun r = hmasim("check " + platform + " --set storage.bits_per_cell.metadata=3");
  EXPECT_EQ(r.status, 2);
  EXPECT_CONTAINS(r.err,
                  "storage.bits_per_cell.metadata: has no effect: "
                  "storage.bits_per_cell.mask (");
  // The structure key from the command line too: both chosen, no error.
  const CliRun both = hmasim("check " + platform +
                             " --set storage.bits_per_cell.metadata=3 "
                             "--set storage.bits_per_cell.mask=3");
  EXPECT_EQ(both.status, 0) << both.err;
}

TEST(TrustCli, ScalarWhereAMapIsExpectedSaysSoOnce) {
  const CliRun r = hmasim("check " + kMlcRram + " --set storage.bits_per_cell=3");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "--set: storage.bits_per_cell: expected a map of settings, got '3'\n");
}

TEST(TrustCli, CodingMapOverAFilesScalarKeepsTheScalarAsTheDefault) {
  // File: coding: gray. --set storage.coding.mask=binary: the mask in binary, the rest still
  // Gray; the file's scalar is neither lost nor an unknown key.
  const CliRun r = hmasim("check " + kMlcRram + " --set storage.coding.mask=binary");
  EXPECT_EQ(r.status, 0) << r.err;
}

TEST(TrustCli, PlacementOverrideThatNoLayerTakesIsAnError) {
  const std::string all_named = "--set workload.defaults.memory=dram ";
  const CliRun r =
      hmasim("run --platform " + kNvdla64 + " --workload " + kLenet + " " + all_named +
             "--set placement.weights=sram --out " + (scratch("placement") / "r").string());
  EXPECT_EQ(r.status, 2);
  EXPECT_CONTAINS(r.err, "--set placement.weights=sram has no effect: every layer with weights");
}

TEST(TrustCli, WorkloadDefaultsNoLayerTakesAreErrors) {
  const fs::path dir = scratch("defaults");
  const std::string net = (dir / "net.yaml").string();
  spit(net,
       "name: own\ninput: {h: 8, w: 8, c: 3}\nlayers:\n"
       "  - {name: c1, type: conv, k: 8, r: 3, padding: 1, sparsity: 0.5, precision: 8}\n"
       "  - {name: f1, type: fc, k: 10, sparsity: 0.2, precision: 8}\n");
  const CliRun sparsity = hmasim("check " + net + " --set workload.defaults.sparsity=0");
  EXPECT_EQ(sparsity.status, 2);
  EXPECT_CONTAINS(sparsity.err, "--set: workload.defaults.sparsity: has no effect: no layer takes");
  const CliRun per_type = hmasim("check " + net + " --set workload.defaults.fc.sparsity=0");
  EXPECT_EQ(per_type.status, 2);
  EXPECT_CONTAINS(per_type.err, "workload.defaults.fc.sparsity: has no effect");
  const CliRun precision = hmasim("check " + net + " --set workload.precision=4");
  EXPECT_EQ(precision.status, 2);
  EXPECT_CONTAINS(precision.err, "workload.precision: has no effect");
  // A default some layer takes is fine.
  const CliRun bias = hmasim("check " + net + " --set workload.defaults.bias=true");
  EXPECT_EQ(bias.status, 0) << bias.err;
}

TEST(TrustCli, RunAcceptsWorkloadOverridesWithTheirPrefix) {
  const std::string s = run_summary(kNvdla64, "--set workload.name=renamed", "workload_set");
  EXPECT_CONTAINS(s, "\"workload\": \"renamed\"");
  const std::string platform_prefix =
      run_summary(kNvdla64, "--set platform.accelerator.clock=500MHz", "platform_set");
  EXPECT_EQ(number(platform_prefix, "clock_hz"), 5e8);
  const CliRun bare =
      hmasim("run --platform " + kNvdla64 + " --workload " + kLenet + " --set defaults.sparsity=0");
  EXPECT_EQ(bare.status, 2);
  EXPECT_CONTAINS(bare.err, "write --set workload.defaults.sparsity=0");
  // A workload key that does not exist is reported under the prefix the user wrote.
  const CliRun typo =
      hmasim("run --platform " + kNvdla64 + " --workload " + kLenet + " --set workload.inptu.h=3");
  EXPECT_EQ(typo.status, 2);
  EXPECT_CONTAINS(typo.err, "--set: workload.inptu: unknown key 'inptu'");
}

TEST(TrustCli, ConflictingOverridesAreErrors) {
  const CliRun twice =
      hmasim("check " + kNvdla64 + " --set accelerator.clock=1GHz --set accelerator.clock=2GHz");
  EXPECT_EQ(twice.status, 2);
  EXPECT_CONTAINS(twice.err, "conflicts with 'accelerator.clock=1GHz'");
  const CliRun nested =
      hmasim("check " + kNvdla64 + " --set accelerator.mac=1 --set accelerator.mac.atomic_c=8");
  EXPECT_EQ(nested.status, 2);
  EXPECT_CONTAINS(nested.err, "conflicts with 'accelerator.mac=1'");
}

// ---------------------------------------------------------------------------------------------
// Presets

TEST(TrustCli, PresetsChainAndACycleIsAnError) {
  const fs::path dir = scratch("presets");
  fs::create_directories(dir / "presets");
  // fast-rram names rram: the chain gives every key; the file's own read_latency wins.
  spit((dir / "presets" / "fast-rram.yaml").string(), "preset: rram\nread_latency: 2ns\n");
  spit((dir / "presets" / "a.yaml").string(), "preset: b\n");
  spit((dir / "presets" / "b.yaml").string(), "preset: a\n");
  spit((dir / "presets" / "bad.yaml").string(), "preset: rram\nread_energy: 5\n");
  const auto platform = [&](const std::string& tech) {
    const std::string file = (dir / (tech + ".yaml")).string();
    spit(file,
         "memories:\n  e: {model: envm, capacity: 1MiB, technology: {preset: " + tech + "}}\n");
    return file;
  };
  const CliRun chained = hmasim("check " + platform("fast-rram"));
  EXPECT_EQ(chained.status, 0) << chained.err;
  const CliRun cycle = hmasim("check " + platform("a"));
  EXPECT_EQ(cycle.status, 2);
  EXPECT_CONTAINS(cycle.err, "presets name each other in a cycle:");
  // An error in a preset names the preset file and its line.
  const CliRun bad = hmasim("check " + platform("bad"));
  EXPECT_EQ(bad.status, 2);
  EXPECT_CONTAINS(bad.err, "presets/bad.yaml:2:14: memories.e.technology.read_energy: '5'");
  // check recognises a preset and validates it as one.
  const CliRun preset = hmasim("check " + (dir / "presets" / "bad.yaml").string());
  EXPECT_EQ(preset.status, 2);
  EXPECT_CONTAINS(preset.err, "bad.yaml:2:14:");
  const CliRun good = hmasim("check " + kPlatforms + "presets/lpddr4-3200.yaml " + kPlatforms +
                             "presets/rram.yaml");
  EXPECT_EQ(good.status, 0) << good.err;
  EXPECT_CONTAINS(good.out, "lpddr4-3200.yaml: ok (memory preset 'lpddr4-3200' for model lpddr4)");
  EXPECT_CONTAINS(good.out, "rram.yaml: ok (technology preset 'rram')");
}

TEST(TrustCli, ModelsListsThePresets) {
  const CliRun r = hmasim("models");
  EXPECT_EQ(r.status, 0);
  EXPECT_CONTAINS(r.out, "presets (preset: NAME):");
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\nrram +envm technology +RRAM")));
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\nlpddr4-3200 +lpddr4 memory +JEDEC")));
}

// ---------------------------------------------------------------------------------------------
// Seeds

TEST(TrustCli, OneSeedDrivesWeightsAndEveryFaultSeedNotSetExplicitly) {
  const std::string mlc3 = "--set storage.bits_per_cell.values=3 ";
  const std::string a = run_summary(kMlcRram, mlc3 + "--seed 7", "seed_a");
  const std::string b = run_summary(kMlcRram, mlc3 + "--seed 7", "seed_b");
  const std::string c = run_summary(kMlcRram, mlc3 + "--seed 8", "seed_c");
  EXPECT_EQ(without_wall_time(a), without_wall_time(b));
  EXPECT_NE(number(a, "level_faults", "faults"), number(c, "level_faults", "faults"));
  // The fault seed in use is reported: derived from --seed unless the platform sets one, which
  // --seed then leaves alone.
  EXPECT_NE(number(a, "seed", "faults"), number(c, "seed", "faults"));
  const std::string fixed = mlc3 + "--set memories.envm.faults.seed=5 ";
  EXPECT_EQ(number(run_summary(kMlcRram, fixed + "--seed 7", "seed_d"), "seed", "faults"), 5);
  EXPECT_EQ(number(run_summary(kMlcRram, fixed + "--seed 8", "seed_e"), "seed", "faults"), 5);
  EXPECT_CONTAINS(a, "\"seed\": 7");
}

// ---------------------------------------------------------------------------------------------
// Bad input: each was a crash, a hang or a wrong exit 0

TEST(TrustCli, BadCbufBanksIsAnErrorNeverADivisionByZero) {
  for (const std::string v : {"0", "-1", "abc", "0.5", "4294967296"}) {
    const CliRun r = hmasim("check " + kNvdla64 + " --set accelerator.cbuf.banks=" + v);
    EXPECT_EQ(r.status, 2) << v << ": " << r.err;
    EXPECT_CONTAINS(r.err, "--set: accelerator.cbuf.banks: ");
  }
}

TEST(TrustCli, HugeEccWordIsAnErrorNeverALoop) {
  const CliRun r = hmasim("check " + kMlcRram + " --set storage.ecc.word_bits=9223372036854775808");
  EXPECT_EQ(r.status, 2);
  EXPECT_CONTAINS(r.err, "storage.ecc.word_bits: must be a positive multiple of 8, at most");
}

TEST(TrustCli, NegativeOrMalformedCliIntegersAreErrors) {
  const std::string base = "run --platform " + kNvdla64 + " --workload " + kLenet + " ";
  for (const std::string bad : {"--frames -1", "--frames 0", "--frames 1e3", "--seed -1",
                                "--seed 18446744073709551616", "--frames 99999999999"}) {
    const CliRun r = hmasim(base + bad);
    EXPECT_EQ(r.status, 2) << bad;
    EXPECT_CONTAINS(r.err, "hmasim run: --");
  }
  const CliRun max_seed =
      hmasim(base + "--seed 18446744073709551615 --out " + (scratch("maxseed") / "r").string());
  EXPECT_EQ(max_seed.status, 0) << max_seed.err;
}

TEST(TrustCli, LayerSizesThatWouldOverflowAreRejected) {
  const fs::path dir = scratch("overflow");
  const std::string net = (dir / "net.yaml").string();
  spit(net,
       "input: {h: 8, w: 8, c: 8}\nlayers:\n  - {name: c, type: conv, k: 2305843009213693952, "
       "r: 3}\n");
  for (const std::string& cmd :
       {std::string("check "), "run --platform " + kNvdla64 + " --workload "}) {
    const CliRun r = hmasim(cmd + net);
    EXPECT_EQ(r.status, 2) << cmd;
    EXPECT_CONTAINS(r.err, "net.yaml:3:30: layers[0].k: must be at most 16777216");
  }
  spit(net, "input: {h: 1000, w: 1000, c: 1000}\nlayers:\n  - {name: f, type: fc, k: 100000}\n");
  const CliRun product = hmasim("check " + net);
  EXPECT_EQ(product.status, 2);
  EXPECT_CONTAINS(product.err, "the layer is too large: its weights exceed");
}

TEST(TrustCli, YamlThatYamlCppAcceptsButIsWrongIsAnErrorNamingTheFile) {
  const fs::path dir = scratch("yaml");
  struct Case {
    std::string text, message;
  };
  const Case cases[] = {
      {"name: x\n? [a, b]\n: 3\n", "x.yaml:2:3: a key must be a plain name, got a list"},
      {"memories:\n  m: {model: simple, capacity: {value: 1MiB, value: 2MiB}}\n",
       "memories.m.capacity.value: duplicate key 'value' (first given at line 2)"},
      {"name: a\n---\nname: b\n", "x.yaml:2: a second YAML document"},
      // Cut at the very end yaml-cpp notices itself; cut before a newline it does not.
      {"name: \"cut\n", "x.yaml:1:7: name: unterminated quoted string"},
      {"name: 'cut\n", "x.yaml:1:7: name: unterminated quoted string"},
      {"name: \"cut", "x.yaml:1:11: YAML syntax error"},
      {std::string("name: a\0b\n", 10), "x.yaml:1: contains a NUL byte"},
  };
  for (const Case& c : cases) {
    spit((dir / "x.yaml").string(), c.text);
    const CliRun r = hmasim("check " + (dir / "x.yaml").string());
    EXPECT_EQ(r.status, 2) << c.text;
    EXPECT_CONTAINS(r.err, c.message);
    EXPECT_EQ(r.err.find("yaml-cpp"), std::string::npos) << r.err;
  }
  const CliRun directory = hmasim("check " + dir.string());
  EXPECT_EQ(directory.status, 2);
  EXPECT_CONTAINS(directory.err, dir.string() + ": is a directory, not a YAML file");
  const CliRun device = hmasim("run --platform /dev/zero --workload " + kLenet);
  EXPECT_EQ(device.status, 2);
  EXPECT_CONTAINS(device.err, "/dev/zero: is not a regular file");
}

TEST(TrustCli, WhatCannotFitIsFoundBeforeWeightsAreGenerated) {
  // VGG-16's 138 M weights in a 2 MiB SRAM: refused on the least the weights can take
  // ("need at least": the check before generation; after it the message gives the exact need).
  const CliRun fit = hmasim("run --platform " + kPlatforms + "nvdla1024-lpddr4.yaml --workload " +
                            kNetworks + "vgg16.yaml --set placement.weights=sram");
  EXPECT_EQ(fit.status, 2);
  EXPECT_CONTAINS(fit.err, "the weights placed in 'sram' need at least ");
  // A network that does not fit the machine itself.
  const fs::path dir = scratch("host");
  const std::string net = (dir / "net.yaml").string();
  spit(net, "input: {h: 1, w: 1, c: 65536}\nlayers:\n  - {name: f, type: fc, k: 1048576}\n");
  const CliRun host = hmasim("run --platform " + kPlatforms + "nvdla-ideal.yaml --workload " + net +
                             " --set memories.dram.capacity=128GiB");
  EXPECT_EQ(host.status, 2) << host.err;
  EXPECT_CONTAINS(host.err, "GiB of host memory");
  EXPECT_EQ(host.err.find("bad_alloc"), std::string::npos) << host.err;
}

TEST(TrustCli, NamesInTheDefaultOutputPathAreSanitised) {
  const fs::path dir = scratch("names");
  const std::string cmd = "cd " + dir.string() + " && " + HMASIM_BINARY + " run --platform " +
                          kNvdla64 + " --workload " + kLenet +
                          " --set name=../../escaped >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  // One run directory, inside out/, named without any separator.
  std::vector<fs::path> runs(fs::directory_iterator(dir / "out"), fs::directory_iterator{});
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].filename().string(), "_._.._escaped-lenet5");
  EXPECT_TRUE(fs::exists(runs[0] / "summary.json"));
  EXPECT_EQ(std::vector<fs::path>(fs::directory_iterator(dir), fs::directory_iterator{}).size(),
            1u);
}

}  // namespace
