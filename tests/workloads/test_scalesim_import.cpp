// SCALE-Sim topology import: every SCALE-Sim CSV of ../shared/external-workloads converts, parses
// back with no diagnostic, and keeps SCALE-Sim's MAC count; malformed CSVs give located errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/config_error.hpp"
#include "support/cli.hpp"
#include "workloads/network.hpp"
#include "workloads/network_stats.hpp"
#include "workloads/paths.hpp"
#include "workloads/scalesim_import.hpp"

namespace {

using hmasim::ConfigError;
using hmasim::import_scalesim;
using hmasim::LayerType;
using hmasim::Network;
using hmasim::test::kExternalWorkloads;

Network import_and_load(const std::string& file) {
  const std::string yaml = hmasim::import_scalesim_file(file, "");
  return hmasim::load_network_text(yaml, file + ".yaml");  // throws on any diagnostic
}

std::string errors(const std::string& csv) {
  try {
    import_scalesim(csv, "t.csv", "t");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

// MAC totals computed from these files with SCALE-Sim's valid-convolution convention
// (../shared/external-workloads/README.md); imported networks must match within 1%.
TEST(importScalesim, EverySharedTopologyKeepsScalesimMacs) {
  const std::map<std::string, double> expected = {
      {"scalesim_conv_nets__Resnet50.csv", 3.41e9},
      {"scalesim_conv_nets__mobilenet.csv", 0.565e9},
      {"scalesim_conv_nets__alexnet.csv", 0.80e9},
      {"scalesim_conv_nets__Googlenet.csv", 1.35e9},
      {"scalesim_GEMM_mnk__transformer_partial.csv", 0.81e9},
      {"scalesim_GEMM_mnk__gpt2.csv", 20.69e9},
  };
  ASSERT_TRUE(std::filesystem::is_directory(kExternalWorkloads)) << kExternalWorkloads;
  int imported = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kExternalWorkloads)) {
    const std::string file = entry.path().filename().string();
    if (entry.path().extension() != ".csv") continue;
    SCOPED_TRACE(file);
    if (file.rfind("scalesim_", 0) != 0) {
      // Other simulators' files are recognised as not SCALE-Sim, with a clear message.
      try {
        hmasim::import_scalesim_file(entry.path().string(), "");
        ADD_FAILURE() << "imported a non-SCALE-Sim file";
      } catch (const ConfigError& e) {
        EXPECT_CONTAINS(std::string(e.what()), "not a SCALE-Sim topology");
      }
      continue;
    }
    ASSERT_EQ(expected.count(file), 1u) << "no reference MAC count for this SCALE-Sim file";
    const Network n = import_and_load(entry.path().string());
    const double macs = static_cast<double>(hmasim::network_stats(n).macs);
    EXPECT_NEAR(macs / expected.at(file), 1.0, 0.01) << macs;
    ++imported;
  }
  EXPECT_EQ(imported, static_cast<int>(expected.size()));
}

TEST(importScalesim, ResnetQuirksEmptyRowAndJunkColumns) {
  const std::string yaml =
      hmasim::import_scalesim_file(kExternalWorkloads + "scalesim_conv_nets__Resnet50.csv", "rn50");
  EXPECT_CONTAINS(yaml,
                  "# Ignored extra columns (not part of the SCALE-Sim format): 'Eh', 'Ew', 'e2'");
  EXPECT_CONTAINS(yaml, "name: \"rn50\"");
  const Network n = hmasim::load_network_text(yaml, "rn50.yaml");
  ASSERT_EQ(n.layers.size(), 54u);  // 53 conv + FC6; the all-empty row is skipped
  // Valid convolution, no padding: 224 -> (224 - 7) / 2 + 1 = 109.
  EXPECT_EQ(n.layers[0].out, (hmasim::Shape{109, 109, 64}));
  EXPECT_EQ(n.layers[0].padding, 0u);
  EXPECT_EQ(n.layers[0].macs, 109u * 109 * 7 * 7 * 3 * 64);
  for (const auto& l : n.layers) EXPECT_TRUE(l.sources.empty()) << l.name << " is independent";
}

TEST(importScalesim, MobilenetDepthwiseRowsBecomeDwconv) {
  const std::string yaml =
      hmasim::import_scalesim_file(kExternalWorkloads + "scalesim_conv_nets__mobilenet.csv", "");
  EXPECT_CONTAINS(yaml,
                  "# Conv2: Channels=32, Num Filter=1 read as depthwise (no such type in "
                  "SCALE-Sim; same MACs)");
  const Network n = hmasim::load_network_text(yaml, "m.yaml");
  int dw = 0;
  for (const auto& l : n.layers) dw += l.type == LayerType::dwconv;
  EXPECT_EQ(dw, 13);
  const auto* conv2 = n.find("Conv2");
  ASSERT_NE(conv2, nullptr);
  EXPECT_EQ(conv2->out, (hmasim::Shape{110, 110, 32}));  // channels kept, unlike SCALE-Sim's 1
  EXPECT_EQ(conv2->macs, 110u * 110 * 3 * 3 * 32);
  EXPECT_EQ(n.name, "scalesim_conv_nets__mobilenet");
}

TEST(importScalesim, GemmRowsAndSparsity) {
  const std::string yaml = import_scalesim(
      "Layer Name, M, N, K, Sparsity,\r\nGEMM_1, 3, 5, 16, 3:4,\r\nGEMM_2, 1, 5, 16, "
      "1:4,\r\nGEMM_3,2,2,2",
      "g.csv", "");
  const Network n = hmasim::load_network_text(yaml, "g.yaml");
  ASSERT_EQ(n.layers.size(), 3u);
  EXPECT_EQ(n.layers[0].type, LayerType::matmul);
  EXPECT_EQ(n.layers[0].macs, 3u * 5 * 16);
  EXPECT_EQ(n.layers[0].weights, 16u * 5);
  EXPECT_DOUBLE_EQ(n.layers[0].sparsity, 0.25);
  EXPECT_DOUBLE_EQ(n.layers[1].sparsity, 0.75);
  EXPECT_DOUBLE_EQ(n.layers[2].sparsity, 0.0);
  EXPECT_EQ(n.name, "g");
}

TEST(importScalesim, ConvSparsityColumnAndDuplicateNames) {
  const std::string yaml = import_scalesim(
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
      "Strides, Sparsity,\n"
      "a, 8, 8, 3, 3, 4, 8, 1, 2:4,\n"
      "a, 8, 8, 1, 1, 4, 8, 1,\n"
      "DPw, 8, 8, 3, 3, 4, 2, 1,\n",
      "c.csv", "c");
  EXPECT_CONTAINS(yaml, "'a' occurs more than once: renamed 'a_2'");
  EXPECT_CONTAINS(yaml, "# DPw: 'DP' in the name: depthwise in SCALE-Sim v3 (k = c x Num Filter)");
  const Network n = hmasim::load_network_text(yaml, "c.yaml");
  EXPECT_DOUBLE_EQ(n.layers[0].sparsity, 0.5);
  EXPECT_EQ(n.layers[1].name, "a_2");
  EXPECT_EQ(n.layers[2].type, LayerType::dwconv);
  EXPECT_EQ(n.layers[2].k, 8u);  // channel multiplier 2
  EXPECT_EQ(n.layers[2].macs, 6u * 6 * 3 * 3 * 4 * 2);
}

TEST(importScalesim, BadRowsAreReportedWithLineColumnAndName) {
  const std::string header =
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
      "Strides,\n";
  const std::string e = errors(header +
                               "ok, 8, 8, 3, 3, 4, 8, 1,\n"
                               "bad, 8x, 8, 3, 3, 4, 8, 1,\n"
                               "short, 8, 8, 3, 3, 4\n"
                               "big, 4, 4, 5, 3, 4, 8, 1,\n"
                               ", 4, 4, 1, 1, 4, 8, 1,\n"
                               "zero, 4, 4, 1, 1, 4, 0, 1,\n"
                               "sp, 4, 4, 1, 1, 4, 2, 1, 5:4,\n");
  EXPECT_CONTAINS(e, "t.csv:3:6: IFMAP Height: '8x' is not a positive integer");
  EXPECT_CONTAINS(e, "t.csv:4: Num Filter: missing (a positive integer)");
  EXPECT_CONTAINS(e, "t.csv:4: Strides: missing");
  EXPECT_CONTAINS(e, "t.csv:5:12: Filter Height: Filter Height 5 is larger than IFMAP Height 4");
  EXPECT_CONTAINS(e, "t.csv:6:1: Layer name: missing layer name");
  EXPECT_CONTAINS(e, "t.csv:7:22: Num Filter: '0' is not a positive integer");
  EXPECT_CONTAINS(e, "t.csv:8:26: Sparsity: '5:4' is not an N:M sparsity ratio");
  EXPECT_CONTAINS(errors("Layer, M, N, K,\nq, 1, x, 3,\n"),
                  "t.csv:2:7: N: 'x' is not a positive integer");
  EXPECT_CONTAINS(errors("layer,C,M,P,Q,R,S\n00,3,64,224,224,3,3\n"),
                  "t.csv:1:1: not a SCALE-Sim topology");
  EXPECT_CONTAINS(errors(""), "t.csv: empty file");
  EXPECT_CONTAINS(errors(header), "t.csv: no layers after the header");
  try {
    hmasim::import_scalesim_file("/nonexistent.csv", "");
    ADD_FAILURE();
  } catch (const ConfigError& err) {
    EXPECT_EQ(std::string(err.what()), "/nonexistent.csv: cannot open file");
  }
}

TEST(importScalesim, ARowPastTheLoadersBoundsIsReportedAtItsLine) {
  // Each value is a positive integer, but the layer is beyond what hmasim simulates: the
  // importer never writes a file the network loader refuses (a fuzzing finding).
  const std::string e = errors(
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
      "Strides,\nok, 8, 8, 3, 3, 4, 8, 1,\nhuge, 13, 13, 1, 1, 142949672966, 32, 1,\n");
  EXPECT_CONTAINS(e, "t.csv:3: layers[1].c: must be at most 16777216");
}

}  // namespace
