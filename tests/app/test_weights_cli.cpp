// `hmasim run --weights FILE` and the workload's `weights:` key, through the real binary: the
// digits networks run on their trained weights, a file that does not fit the network is an error
// naming file, layer, expected and got (exit 2, no results), the stored encoding follows the real
// values (zeros shrink BitMask's packed values), and the weight cache never hands out generated
// weights for real ones or the other way round.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "support/cli.hpp"
#include "workloads/weights_file.hpp"

namespace {

using hmasim::test::CliRun;
using hmasim::test::hmasim;
using hmasim::test::slurp;
namespace fs = std::filesystem;

const std::string kRoot = HMASIM_SOURCE_DIR;
const std::string kPlatform = "--platform " + kRoot + "/platforms/maxnvm/nvdla64-mlc-ctt.yaml";
const std::string kCnn = kRoot + "/workloads/networks/digits-cnn.yaml";

fs::path weights_cli_dir(const std::string& name) {
  return hmasim::test::scratch_dir("weights_cli_" + name);
}

std::string without_wall_time_lines(const std::string& json) {
  std::istringstream in(json);
  std::string out, line;
  while (std::getline(in, line)) {
    if (line.find("\"wall_time") == std::string::npos) out += line + "\n";
  }
  return out;
}

// The digits CNN without its weights: key (generated weights unless --weights is given).
std::string cnn_without_weights_key(const fs::path& d) {
  std::istringstream in(slurp(kCnn));
  std::string out, line;
  while (std::getline(in, line)) {
    if (line.rfind("weights:", 0) != 0) out += line + "\n";
  }
  const std::string file = (d / "digits-cnn.yaml").string();
  hmasim::test::spit(file, out);
  return file;
}

// The CNN's trained weights with 90% of conv3's set to zero.
std::string sparser_weights(const fs::path& d) {
  hmasim::WeightsFile w = hmasim::read_weights_file(kRoot + "/data/digits/digits-cnn.weights");
  for (hmasim::LayerWeights& l : w.layers) {
    if (l.name != "conv3") continue;
    for (std::size_t i = 0; i < l.weights.size(); ++i) {
      if (i % 10 != 0) l.weights[i] = 0;
    }
  }
  const std::string file = (d / "sparser.weights").string();
  hmasim::write_weights_file(file, w);
  return file;
}

double values_bytes(const std::string& summary) {
  return hmasim::test::json_number(summary, "bytes", "values");
}

TEST(weightsCli, TheDigitsNetworksRunOnTheirTrainedWeights) {
  const fs::path d = weights_cli_dir("digits");
  for (const std::string net : {"digits-cnn", "digits-mlp"}) {
    const CliRun r = hmasim("run " + kPlatform + " --workload " + kRoot + "/workloads/networks/" +
                            net + ".yaml --out " + (d / net).string());
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string summary = slurp((d / net / "summary.json").string());
    EXPECT_EQ(hmasim::test::json_number(summary, "weights_total", "faults"),
              net == "digits-cnn" ? 22800 : 6464);
  }
}

TEST(weightsCli, AFileThatDoesNotFitTheNetworkIsAnErrorBeforeAnyResult) {
  const fs::path d = weights_cli_dir("mismatch");
  const std::string mlp = kRoot + "/data/digits/digits-mlp.weights";
  const CliRun r = hmasim("run " + kPlatform + " --workload " + kCnn + " --weights " + mlp +
                          " --out " + (d / "out").string());
  EXPECT_EQ(r.status, 2);
  EXPECT_CONTAINS(r.err, "hmasim run: " + mlp +
                             ": layer 'fc1': expected 8192 weights (64 kernels x 32 channels x 2 "
                             "x 2), got 4096\n");
  EXPECT_CONTAINS(r.err, "hmasim run: " + mlp + ": layer 'conv1': no record in the file");
  EXPECT_CONTAINS(r.err, "hmasim run: " + mlp + ": layer 'fc3': network 'digits-cnn' has no layer");
  EXPECT_FALSE(fs::exists(d / "out"));
  const CliRun junk = hmasim("run " + kPlatform + " --workload " + kCnn + " --weights " + kCnn +
                             " --out " + (d / "out").string());
  EXPECT_EQ(junk.status, 2);
  EXPECT_CONTAINS(junk.err, kCnn + ": not an hmasim weights file");
  EXPECT_FALSE(fs::exists(d / "out"));
}

TEST(weightsCli, TheStoredEncodingFollowsTheRealValues) {
  const fs::path d = weights_cli_dir("values");
  const std::string sparser = sparser_weights(d);
  const CliRun real =
      hmasim("run " + kPlatform + " --workload " + kCnn + " --out " + (d / "real").string());
  const CliRun zeros = hmasim("run " + kPlatform + " --workload " + kCnn + " --weights " + sparser +
                              " --out " + (d / "zeros").string());
  ASSERT_EQ(real.status, 0) << real.err;
  ASSERT_EQ(zeros.status, 0) << zeros.err;
  // BitMask packs only non-zeros: 8294 fewer of conv3's 9216 are stored, as 4-bit cluster
  // indices on this platform (about 4 KB less, but for the alignment of the packed groups).
  const double real_bytes = values_bytes(slurp((d / "real/summary.json").string()));
  const double zero_bytes = values_bytes(slurp((d / "zeros/summary.json").string()));
  EXPECT_LT(zero_bytes, real_bytes - 3500) << real_bytes << " vs " << zero_bytes;
}

TEST(weightsCli, TheWeightCacheKeepsRealAndGeneratedWeightsApart) {
  const fs::path d = weights_cli_dir("cache");
  const std::string net = cnn_without_weights_key(d);
  const std::string sparser = sparser_weights(d);
  const std::string cache = " --weight-cache " + (d / "cache").string();
  const auto run = [&](const std::string& extra, const std::string& out) {
    const CliRun r =
        hmasim("run " + kPlatform + " --workload " + net + extra + " --out " + (d / out).string());
    EXPECT_EQ(r.status, 0) << r.err;
    return without_wall_time_lines(slurp((d / out / "summary.json").string()));
  };
  const std::string generated = run("", "generated");
  const std::string real = run(" --weights " + sparser, "real");
  EXPECT_NE(values_bytes(generated), values_bytes(real));
  // Generated weights fill the cache; real ones do not take them from it, nor the reverse.
  EXPECT_EQ(run(cache, "generated-cold"), generated);
  EXPECT_EQ(run(cache + " --weights " + sparser, "real-cached"), real);
  EXPECT_EQ(run(cache, "generated-warm"), generated);
}

}  // namespace
