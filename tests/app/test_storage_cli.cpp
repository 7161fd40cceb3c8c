// Weights stored encoded in fault-prone MLC eNVM and decoded by the weight fetch unit, through
// the real `hmasim run` (MaxNVM co-design).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>

#include "support/cli.hpp"
#include "workloads/network.hpp"

namespace {

using hmasim::test::CliRun;
using hmasim::test::hmasim;
namespace fs = std::filesystem;

const std::string kRoot = HMASIM_SOURCE_DIR;
// MLC CTT: the noisier of the two calibrated MaxNVM technologies at MLC3
// (docs/fault-calibration.md), so that LeNet5 in MLC3 sees hundreds of faults.
const std::string kPlatform = kRoot + "/platforms/maxnvm/nvdla1024-mlc-ctt.yaml";

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The number after `"key": ` at or after `from` (a section name such as "faults").
double number(const std::string& json, const std::string& key, const std::string& from = "") {
  return hmasim::test::json_number(json, key, from);
}

// Runs LeNet5 with `sets` (each a key=value) and returns summary.json.
std::string run(const std::vector<std::string>& sets, const std::string& name,
                const std::string& network = "lenet5") {
  const fs::path out = fs::path(::testing::TempDir()) /
                       ("hmasim_storage_" + name + "_" + std::to_string(::getpid()));
  std::string args = "run --platform " + kPlatform + " --workload " + kRoot +
                     "/workloads/networks/" + network + ".yaml --out " + out.string();
  for (const auto& s : sets) args += " --set " + s;
  const CliRun r = hmasim(args);
  EXPECT_EQ(r.status, 0) << r.err;
  return slurp(out / "summary.json");
}

std::uint64_t stored_weights(const std::string& network) {
  const hmasim::Network net =
      hmasim::load_network(kRoot + "/workloads/networks/" + network + ".yaml");
  std::uint64_t n = 0;
  for (const auto& l : net.layers) n += l.weights;
  return n;
}

std::vector<std::string> with(std::vector<std::string> base, const std::vector<std::string>& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

// Every structure in MLC3 cells with program-time faults (the platforms' own storage is
// MaxNVM's 2-bit choice, which no fault reaches).
const std::vector<std::string> kMlc3 = {"storage.fault_mode=program",
                                        "storage.bits_per_cell.values=3",
                                        "storage.bits_per_cell.metadata=3"};

TEST(StorageCli, FaultsAreReportedAndReproducible) {
  const std::string a = run(kMlc3, "a");
  const std::string b = run(kMlc3, "b");
  const std::regex wall("\"wall_time[a-z_]*\": [^\\n]*");
  EXPECT_EQ(std::regex_replace(a, wall, ""), std::regex_replace(b, wall, ""));
  EXPECT_EQ(number(a, "weights_total", "faults"), stored_weights("lenet5"));
  EXPECT_GT(number(a, "level_faults", "faults"), 0);
  EXPECT_GT(number(a, "weights_corrupted", "faults"), 0);
  // Gray coding: every level slip is one bit error (a slip in a cell a request only partly covers
  // flips a bit outside the request, or none inside it).
  EXPECT_LE(number(a, "bit_errors", "faults"), number(a, "level_faults", "faults"));
  EXPECT_GE(number(a, "bit_errors", "faults"), 0.98 * number(a, "level_faults", "faults"));
  const std::string other = run(with(kMlc3, {"memories.envm.faults.seed=2"}), "c");
  EXPECT_NE(
      number(a, "level_faults", "faults") * 1e6 + number(a, "weights_corrupted", "faults"),
      number(other, "level_faults", "faults") * 1e6 + number(other, "weights_corrupted", "faults"));
}

TEST(StorageCli, CodingIsChosenPerStructure) {
  // Binary-coded metadata turns some level slips into several bit errors; Gray never does.
  const std::vector<std::string> base = with(kMlc3, {"storage.encoding=bitmask"});
  const std::string gray = run(with(base, {"storage.coding=gray"}), "gray");
  const std::string mixed =
      run(with(base, {"storage.coding.values=gray", "storage.coding.metadata=binary"}), "mixed");
  EXPECT_LE(number(gray, "bit_errors", "faults"), number(gray, "level_faults", "faults"));
  EXPECT_GT(number(mixed, "bit_errors", "faults"), number(mixed, "level_faults", "faults"));
  // The cells of the stored structures, and their share of the array's area.
  EXPECT_GT(number(gray, "cells_area_mm2", "faults"), 0);
  EXPECT_LT(number(gray, "cells_area_mm2", "faults"), number(gray, "area_mm2", "envm"));
}

TEST(StorageCli, NoFaultsCorruptNothing) {
  const std::string s = run({"storage.fault_mode=off", "storage.bits_per_cell.values=3",
                             "storage.bits_per_cell.metadata=3", "storage.encoding=bitmask"},
                            "off");
  EXPECT_EQ(number(s, "level_faults", "faults"), 0);
  EXPECT_EQ(number(s, "weights_corrupted", "faults"), 0);
  // SLC CTT's levels never cross: faults on, nothing to inject.
  const std::string slc = run({"storage.fault_mode=program", "storage.bits_per_cell.values=1",
                               "storage.bits_per_cell.metadata=1", "storage.encoding=bitmask"},
                              "slc");
  EXPECT_EQ(number(slc, "weights_corrupted", "faults"), 0);
}

TEST(StorageCli, IdxSyncConfinesMaskErrors) {
  // The mask in vulnerable MLC3 cells, everything else in SLC: only the mask is misread.
  const std::vector<std::string> base = {
      "storage.fault_mode=program", "storage.encoding=bitmask", "storage.bits_per_cell.values=1",
      "storage.bits_per_cell.metadata=1", "storage.bits_per_cell.mask=3"};
  const std::string plain = run(with(base, {"storage.protection=none"}), "plain");
  const std::string synced = run(with(base, {"storage.protection=idxsync"}), "synced");
  EXPECT_GT(number(plain, "weights_misaligned", "faults"), 0);
  EXPECT_LT(number(synced, "weights_misaligned", "faults") * 5,
            number(plain, "weights_misaligned", "faults"));
}

TEST(StorageCli, EccCorrectsCsrMetadata) {
  // 64-bit SEC-DED words: at MLC3's misread rate a word rarely holds two faults, so the code
  // corrects nearly all (over MaxNVM's 4 KB words it would see several per word and cannot).
  const std::vector<std::string> base = {
      "storage.fault_mode=program",     "storage.encoding=csr",
      "storage.bits_per_cell.values=1", "storage.bits_per_cell.metadata=3",
      "storage.ecc.word_bits=64",       "storage.ecc.parity_bits=8"};
  const std::string plain = run(with(base, {"storage.protection=none"}), "csr");
  const std::string ecc = run(with(base, {"storage.protection=ecc"}), "csr_ecc");
  EXPECT_GT(number(ecc, "ecc_corrected", "faults"), 0);
  EXPECT_LT(number(ecc, "weights_misaligned", "faults"),
            number(plain, "weights_misaligned", "faults"));
}

TEST(StorageCli, CompressionCutsFetchedBytesAndDecodeCanBind) {
  const std::string dense = run({"storage.encoding=dense", "storage.protection=none"}, "dense");
  const std::string mask = run({"storage.encoding=bitmask", "storage.protection=none"}, "mask");
  EXPECT_LT(number(mask, "bytes_read", "envm") * 2, number(dense, "bytes_read", "envm"));
  EXPECT_LT(number(mask, "cells", "faults") * 2, number(dense, "cells", "faults"));
  const std::string slow =
      run({"storage.encoding=bitmask", "storage.protection=none",
           "weight_fetch.value_bytes_per_cycle=1", "weight_fetch.mask_bits_per_cycle=1"},
          "slow");
  EXPECT_GT(number(slow, "cycles"), number(mask, "cycles"));
}

TEST(StorageCli, BadStorageSettingsAreErrors) {
  const CliRun r = hmasim("run --platform " + kPlatform + " --workload " + kRoot +
                          "/workloads/networks/lenet5.yaml --set storage.encoding=csr --set "
                          "storage.protection=idxsync --set storage.bits_per_cell.values=5");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("storage.protection: idxsync re-aligns a bitmask's values"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("storage.bits_per_cell.values: must be 1 to 4"), std::string::npos) << r.err;
}

// 16-bit data (issues 10, 13): every weight is 2 bytes in the eNVM, so the same cells' faults
// reach twice the cells; a bit error corrupts one weight. The sparse encodings refuse 16 bits.
TEST(StorageCli, SixteenBitWeightsAreStoredDenseAsTwoBytes) {
  const std::vector<std::string> dense =
      with(kMlc3, {"storage.encoding=dense", "storage.protection=none"});
  const std::string eight = run(with(dense, {"workload.precision=8"}), "p8");
  const std::string sixteen = run(with(dense, {"workload.precision=16"}), "p16");
  EXPECT_EQ(number(sixteen, "weights_total", "faults"), stored_weights("lenet5"));
  // Two bytes per weight, each layer padded to 128 bytes (LeNet-5: 5 layers with weights).
  const double stored = number(sixteen, "bytes", "structures");
  EXPECT_GE(stored, 2.0 * stored_weights("lenet5"));
  EXPECT_LT(stored, 2.0 * stored_weights("lenet5") + 5 * 128);
  EXPECT_GT(number(sixteen, "cells", "faults"), 1.99 * number(eight, "cells", "faults"));
  const double corrupted = number(sixteen, "weights_corrupted", "faults");
  EXPECT_GT(corrupted, 1.5 * number(eight, "weights_corrupted", "faults"));
  EXPECT_LE(corrupted, number(sixteen, "bit_errors", "faults"));
  EXPECT_GE(corrupted, 0.98 * number(sixteen, "bit_errors", "faults"));

  const CliRun r = hmasim("run --platform " + kPlatform + " --workload " + kRoot +
                          "/workloads/networks/lenet5.yaml --set workload.precision=16");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("layer 'conv1': the bitmask encoding cannot store 16-bit weights: 16-bit "
                       "data is stored dense only"),
            std::string::npos)
      << r.err;
}

}  // namespace

namespace {

// MEMTI's RRAM adapters: the shared backbone in MLC RRAM (`rram`), every task's adapters in
// `rram_slc`, with the top-level storage keys at 3 bits per cell.
std::string memti_adapters(const std::string& name, const std::vector<std::string>& sets) {
  const fs::path out = fs::path(::testing::TempDir()) /
                       ("hmasim_storage_memories_" + name + "_" + std::to_string(::getpid()));
  std::string args = "run --platform " + kRoot + "/platforms/memti/rram-adapters.yaml --workload " +
                     kRoot + "/workloads/networks/resnet26-adapters.yaml --schedule " + kRoot +
                     "/experiments/memti/schedule.yaml --frames 1 --out " + out.string() +
                     " --set storage.bits_per_cell.values=3 --set storage.bits_per_cell.metadata=3";
  for (const auto& s : sets) args += " --set " + s;
  const CliRun r = hmasim(args);
  EXPECT_EQ(r.status, 0) << r.err;
  return slurp(out / "summary.json");
}

// `key` of memory `memory` in the summary's `section` ("memories" or "faults").
double in_section(const std::string& json, const std::string& section, const std::string& memory,
                  const std::string& key) {
  return number(json.substr(json.find("\"" + section + "\": {")), key, memory);
}

std::string fault_mode_of(const std::string& json, const std::string& memory) {
  const std::string faults = json.substr(json.find("\"faults\": {"));
  const std::string from = faults.substr(faults.find("\"" + memory + "\": {"));
  const auto at = from.find("\"fault_mode\": \"") + 15;
  return from.substr(at, from.find('"', at) - at);
}

TEST(StorageCli, PerMemoryCellSettingsLetSlcAndMlcEnvmsCoexist) {
  const std::string global = memti_adapters("global", {});
  const std::string own =
      memti_adapters("own", {"storage.memories.rram_slc.bits_per_cell.values=1",
                             "storage.memories.rram_slc.bits_per_cell.metadata=1",
                             "storage.memories.rram_slc.fault_mode=program"});
  // The adapters (every task's copy) are counted in their memory: bytes and cells.
  EXPECT_GT(in_section(global, "memories", "rram_slc", "weight_bytes"), 0);
  EXPECT_EQ(in_section(global, "faults", "rram_slc", "bits_per_cell"), 3);
  EXPECT_EQ(in_section(own, "faults", "rram_slc", "bits_per_cell"), 1);
  // Three times the cells at one bit per cell; the backbone keeps the top-level 3 bits.
  EXPECT_NEAR(in_section(own, "faults", "rram_slc", "cells") /
                  in_section(global, "faults", "rram_slc", "cells"),
              3.0, 0.01);
  EXPECT_EQ(in_section(own, "faults", "rram", "bits_per_cell"), 3);
  EXPECT_EQ(fault_mode_of(own, "rram_slc"), "program");
  EXPECT_EQ(fault_mode_of(own, "rram"), "off");
  EXPECT_EQ(fault_mode_of(global, "rram_slc"), "off");
}

TEST(StorageCli, PerMemoryStorageMustNameAnEnvmOfThePlatform) {
  const std::string base = "check " + kRoot + "/platforms/memti/rram-adapters.yaml";
  const CliRun missing = hmasim(base + " --set storage.memories.rram_mlc.bits_per_cell.values=1");
  EXPECT_EQ(missing.status, 2);
  EXPECT_CONTAINS(missing.err, "storage.memories.rram_mlc: no memory named 'rram_mlc'");
  const CliRun sram = hmasim(base + " --set storage.memories.sram.bits_per_cell.values=1");
  EXPECT_EQ(sram.status, 2);
  EXPECT_CONTAINS(sram.err, "'sram' is not an eNVM");
}

// `storage.classes` (issue 10): the task-specific parameters stored their own way within one
// eNVM. LeNet-5's fully connected layers made task-specific; the convolutions stay shared.
std::string string_of(const std::string& json, const std::string& key, const std::string& from) {
  const std::string after = json.substr(json.find(from));
  const auto at = after.find("\"" + key + "\": \"") + key.size() + 5;
  return after.substr(at, after.find('"', at) - at);
}

TEST(StorageCli, ParameterClassesStoreTheirLayersTheirOwnWayInOneMemory) {
  const std::vector<std::string> fc_task = {
      "workload.defaults.fc.shared=false", "storage.encoding=bitmask", "storage.fault_mode=off",
      "storage.bits_per_cell.values=3", "storage.bits_per_cell.metadata=3"};
  // An empty class block reports the classes apart and changes nothing else.
  const std::string same = run(with(fc_task, {"storage.classes.task={}"}), "classes_same");
  const std::string own = run(
      with(fc_task, {"storage.classes.task.encoding=dense", "storage.classes.task.protection=none",
                     "storage.classes.task.bits_per_cell.values=1"}),
      "classes_own");
  // One memory holds both classes, each reported apart with its own cells.
  EXPECT_EQ(string_of(own, "encoding", "\"faults\""), "shared: bitmask, task: dense");
  EXPECT_EQ(string_of(same, "encoding", "\"faults\""), "bitmask");
  EXPECT_EQ(number(own, "bits_per_cell", "task.values"), 1);
  EXPECT_EQ(number(own, "bits_per_cell", "shared.values"), 3);
  EXPECT_EQ(number(same, "bits_per_cell", "task.values"), 3);
  EXPECT_EQ(own.find("\"task.mask\""), std::string::npos) << "dense stores no mask";
  EXPECT_NE(same.find("\"task.mask\""), std::string::npos);
  // Dense int8 at 1 bit per cell: 8 cells per stored byte (fc1 and fc2 padded to 128 B).
  const hmasim::Network net =
      hmasim::load_network(kRoot + "/workloads/networks/lenet5.yaml", {"defaults.fc.shared=false"});
  std::uint64_t fc_weights = 0;
  for (const auto& l : net.layers) fc_weights += l.type == hmasim::LayerType::fc ? l.weights : 0;
  const double task_cells = number(own, "cells", "task.values");
  EXPECT_GE(task_cells, 8.0 * fc_weights);
  EXPECT_LT(task_cells, 8.0 * (fc_weights + 2 * 128));
  // The shared convolutions are stored exactly as without classes.
  EXPECT_EQ(number(own, "cells", "shared.values"), number(same, "cells", "shared.values"));
  EXPECT_EQ(number(own, "cells", "shared.mask"), number(same, "cells", "shared.mask"));
  EXPECT_EQ(string_of(own, "protection", "\"faults\""), "shared: idxsync, task: none");
  // The fetch unit decodes each layer by its class's encoding: with faults drawn (none land in
  // SLC cells) every weight of both classes is compared and decodes to itself.
  const std::string checked =
      run({"workload.defaults.fc.shared=false", "storage.encoding=bitmask",
           "storage.fault_mode=program", "storage.bits_per_cell.values=1",
           "storage.bits_per_cell.metadata=1", "storage.classes.task.encoding=csr",
           "storage.classes.task.protection=ecc"},
          "classes_checked");
  EXPECT_EQ(string_of(checked, "encoding", "\"faults\""), "shared: bitmask, task: csr");
  EXPECT_NE(checked.find("\"task.parity.indices\""), std::string::npos);
  EXPECT_EQ(number(checked, "weights_total", "faults"), stored_weights("lenet5"));
  EXPECT_EQ(number(checked, "weights_corrupted", "faults"), 0);
}

// Encoding and protection per memory: the layers stored in that memory use them (the class's
// still come first); a block without cell keys keeps the top-level cells.
TEST(StorageCli, AMemorysEncodingAppliesToTheLayersStoredThere) {
  const std::vector<std::string> mlc = {"storage.encoding=bitmask", "storage.fault_mode=off",
                                        "storage.bits_per_cell.values=3",
                                        "storage.bits_per_cell.metadata=3"};
  const std::string dense = run(
      with(mlc, {"storage.memories.envm.encoding=dense", "storage.memories.envm.protection=none"}),
      "memory_dense");
  EXPECT_EQ(string_of(dense, "encoding", "\"faults\""), "dense");
  EXPECT_EQ(string_of(dense, "protection", "\"faults\""), "none");
  EXPECT_EQ(dense.find("\"mask\""), std::string::npos);
  EXPECT_EQ(number(dense, "bits_per_cell", "values"), 3);  // the top-level cells still apply
  const std::string both = run(
      with(mlc, {"storage.memories.envm.encoding=dense", "storage.memories.envm.protection=none",
                 "workload.defaults.fc.shared=false", "storage.classes.task.encoding=csr"}),
      "memory_and_class");
  EXPECT_EQ(string_of(both, "encoding", "\"faults\""), "shared: dense, task: csr");
  // A memory that is not an eNVM takes an encoding (it has no cells to set).
  const CliRun dram =
      hmasim("check " + kRoot +
             "/platforms/nvdla1024-lpddr4.yaml --set storage.memories.dram.encoding=csr");
  EXPECT_EQ(dram.status, 0) << dram.err;
  const CliRun cells = hmasim("check " + kRoot +
                              "/platforms/nvdla1024-lpddr4.yaml --set "
                              "storage.memories.dram.bits_per_cell.values=2");
  EXPECT_EQ(cells.status, 2);
  EXPECT_CONTAINS(cells.err, "'dram' is not an eNVM");
}

TEST(StorageCli, BadParameterClassesAreErrors) {
  const std::string base = "check " + kPlatform;
  const CliRun name = hmasim(base + " --set storage.classes.adapters.encoding=dense");
  EXPECT_EQ(name.status, 2);
  EXPECT_CONTAINS(name.err, "storage.classes.adapters: 'adapters' is not one of: shared, task");
  const CliRun mode = hmasim(base + " --set storage.classes.task.fault_mode=off");
  EXPECT_EQ(mode.status, 2);
  EXPECT_CONTAINS(mode.err, "storage.classes.task.fault_mode: a memory's fault mode");
  const CliRun inherited = hmasim(base + " --set storage.classes.task.encoding=dense");
  EXPECT_EQ(inherited.status, 2);
  EXPECT_CONTAINS(inherited.err, "storage.classes.task.encoding: the top-level protection idxsync");
  const CliRun idx = hmasim(base +
                            " --set storage.classes.task.encoding=csr --set "
                            "storage.classes.task.protection=idxsync");
  EXPECT_EQ(idx.status, 2);
  EXPECT_CONTAINS(idx.err, "storage.classes.task.protection: idxsync re-aligns a bitmask's values");
}

// `fit_to_contents` (issue 13): the eNVM's area and leakage follow what is placed in it, at
// 1 MiB granularity; timing is the same.
TEST(StorageCli, AnEnvmFittedToItsContentsIsChargedForThem) {
  const std::string whole = run({}, "fit_whole", "resnet50");
  const std::string fit = run({"memories.envm.fit_to_contents=true"}, "fit_fit", "resnet50");
  EXPECT_EQ(number(fit, "cycles"), number(whole, "cycles"));
  const double capacity = in_section(fit, "memories", "envm", "capacity_bytes");
  const double fitted = in_section(fit, "memories", "envm", "fitted_capacity_bytes");
  const double weights = in_section(fit, "memories", "envm", "weight_bytes");
  EXPECT_GE(fitted, weights);
  EXPECT_LT(fitted, weights + 1024.0 * 1024.0);
  EXPECT_EQ(std::fmod(fitted, 1024.0 * 1024.0), 0.0);
  EXPECT_LT(fitted, capacity);
  EXPECT_NEAR(in_section(fit, "memories", "envm", "area_mm2") /
                  in_section(whole, "memories", "envm", "area_mm2"),
              fitted / capacity, 1e-9);
  EXPECT_NEAR(in_section(fit, "components", "envm", "static_j") /
                  in_section(whole, "components", "envm", "static_j"),
              fitted / capacity, 1e-9);
  EXPECT_EQ(whole.find("fitted_capacity_bytes"), std::string::npos);
}

}  // namespace
