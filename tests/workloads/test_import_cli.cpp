// Integration: the real hmasim binary importing SCALE-Sim topologies and checking workload files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "support/cli.hpp"
#include "workloads/paths.hpp"

namespace {

using hmasim::test::CliRun;
using hmasim::test::hmasim;
using hmasim::test::kExternalWorkloads;
using hmasim::test::kWorkloadData;

std::string slurp(const std::string& file) {
  std::ifstream in(file);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(workloadCli, ImportWritesYamlToStdoutOrAtomicallyToAFile) {
  const std::string csv = kExternalWorkloads + "scalesim_conv_nets__mobilenet.csv";
  const CliRun out = hmasim("import scalesim " + csv + " --name mnv1");
  ASSERT_EQ(out.status, 0) << out.err;
  EXPECT_EQ(out.err, "");
  EXPECT_CONTAINS(out.out, "name: \"mnv1\"");
  EXPECT_CONTAINS(out.out, "type: dwconv");

  const std::string file = ::testing::TempDir() + "imported/mnv1.yaml";
  std::filesystem::remove_all(::testing::TempDir() + "imported");
  const CliRun to_file = hmasim("import scalesim " + csv + " --name mnv1 --out " + file);
  ASSERT_EQ(to_file.status, 0) << to_file.err;
  EXPECT_EQ(to_file.out, "");
  EXPECT_EQ(slurp(file), out.out);
  EXPECT_FALSE(std::filesystem::exists(file + ".tmp"));

  // Round trip through `check`: the imported file is a valid workload with SCALE-Sim's MACs.
  const CliRun check = hmasim("check " + file);
  EXPECT_EQ(check.status, 0) << check.err;
  EXPECT_CONTAINS(check.out, ": ok (workload 'mnv1', 27 layers, 0.565 GMAC");
  std::filesystem::remove_all(::testing::TempDir() + "imported");
}

TEST(workloadCli, ImportReportsBadInputWithStatusTwo) {
  const std::string bad = ::testing::TempDir() + "bad-topology.csv";
  std::ofstream(bad) << "Layer, M, N, K,\nq, 1, x, 3,\nr, 0, 1, 1,\n";
  const CliRun r = hmasim("import scalesim " + bad);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "") << "no half result on failure";
  EXPECT_CONTAINS(r.err, "bad-topology.csv:2:7: N: 'x' is not a positive integer");
  EXPECT_CONTAINS(r.err, "bad-topology.csv:3:4: M: '0' is not a positive integer");
  std::remove(bad.c_str());

  const CliRun timeloop = hmasim("import scalesim " + kExternalWorkloads +
                                 "timeloop_exercises__vgg16_layer_shapes.csv");
  EXPECT_EQ(timeloop.status, 2);
  EXPECT_CONTAINS(timeloop.err,
                  "timeloop_exercises__vgg16_layer_shapes.csv:1:1: not a SCALE-Sim topology");

  EXPECT_EQ(hmasim("import scalesim /nonexistent.csv").status, 2);
  EXPECT_EQ(hmasim("import timeloop x.csv").status, 2);
  EXPECT_EQ(hmasim("import scalesim").status, 2);
  EXPECT_EQ(hmasim("import scalesim x.csv --frobnicate").status, 2);
  const CliRun help = hmasim("import --help");
  EXPECT_EQ(help.status, 0);
  EXPECT_CONTAINS(help.out, "usage: hmasim import scalesim FILE.csv");
  EXPECT_CONTAINS(hmasim("--help").out, "import");
}

TEST(workloadCli, CheckValidatesWorkloadsAndStillPlatforms) {
  const std::string net = std::string(HMASIM_SOURCE_DIR) + "/workloads/networks/resnet50.yaml";
  const std::string platform = std::string(HMASIM_SOURCE_DIR) + "/tests/data/ideal-memory.yaml";
  const CliRun both = hmasim("check " + net + " " + platform);
  EXPECT_EQ(both.status, 0) << both.err;
  EXPECT_CONTAINS(both.out,
                  "resnet50.yaml: ok (workload 'resnet50', 72 layers, 4.089 GMAC, 25.557 M params");
  EXPECT_CONTAINS(both.out, "ideal-memory.yaml: ok (platform '");

  const CliRun layers = hmasim("check --layers " + net);
  EXPECT_EQ(layers.status, 0);
  EXPECT_CONTAINS(layers.out, "layer4.2.add");
  EXPECT_CONTAINS(layers.out, "7x7x2048");

  const CliRun set = hmasim("check --set workload.input.h=300 --set workload.input.w=300 " + net);
  EXPECT_EQ(set.status, 0) << set.err;
  EXPECT_CONTAINS(set.out, "GMAC");
  // A workload key without its prefix is refused with the spelling that works.
  const CliRun bare = hmasim("check --set input.h=300 " + net);
  EXPECT_EQ(bare.status, 2);
  EXPECT_CONTAINS(bare.err, "write --set workload.input.h=300");
}

TEST(workloadCli, CheckPrintsEveryWorkloadErrorWithFileLineAndKey) {
  const std::string file = kWorkloadData + "bad-network.yaml";
  const CliRun r = hmasim("check " + file);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  for (const char* expected :
       {"bad-network.yaml:6:52: layers[1].groups: input channels c=30 are not divisible by "
        "groups=4",
        "bad-network.yaml:7:55: layers[2].r: kernel r=40 is larger than the padded input height 32",
        "bad-network.yaml:9:40: layers[4].inputs: inputs have different shapes: 'conv1' is "
        "32x32x30, 'pool0' is 16x16x30",
        "bad-network.yaml:10:12: layers[5].name: duplicate layer name 'conv1' (also layers[0])",
        "bad-network.yaml:11:40: layers[6].input: no layer named 'nowhere'",
        "bad-network.yaml:12:43: layers[7].strid: unknown key 'strid' for a pool layer",
        "bad-network.yaml:13:60: layers[8].sparsity: must be between 0 and 1",
        "bad-network.yaml:14:37: layers[9].input: layer 'later' comes later in the file"}) {
    EXPECT_CONTAINS(r.err, expected);
  }
}

}  // namespace
