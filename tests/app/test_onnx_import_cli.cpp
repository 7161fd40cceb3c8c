// `hmasim import onnx` through the real binary (docs/onnx.md): the committed digits CNN, exported
// to ONNX by scripts/export_digits_onnx.py at test time (float weights, int8 QDQ weights, and
// with batch norms to fold), imported back gives the native network's logits on all 360 held-out
// digits through the plain reference, and `hmasim run` runs it in the cycles of the native
// network; a model with an unsupported operator, a missing file or a file that is not ONNX is a
// clean error that writes nothing; a missing interpreter says which packages to install.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "support/cli.hpp"
#include "workloads/network.hpp"
#include "workloads/npy_file.hpp"
#include "workloads/reference_inference.hpp"
#include "workloads/weights_file.hpp"

namespace {

using hmasim::test::CliRun;
using hmasim::test::hmasim;
using hmasim::test::json_number;
using hmasim::test::slurp;
namespace fs = std::filesystem;

const std::string kRoot = HMASIM_SOURCE_DIR;
const std::string kPython = "/usr/bin/python3";
const std::string kNativeCnn = kRoot + "/workloads/networks/digits-cnn.yaml";

fs::path onnx_cli_dir(const std::string& name) {
  return hmasim::test::scratch_dir("onnx_cli_" + name);
}

// Runs scripts/export_digits_onnx.py with `options`; the model's path, or "" after a failure.
std::string export_digits_onnx(const fs::path& dir, const std::string& options) {
  const std::string model = (dir / "digits-cnn.onnx").string();
  const std::string cmd =
      kPython + " " + kRoot + "/scripts/export_digits_onnx.py --out " + model + " " + options;
  const int status = std::system(cmd.c_str());
  EXPECT_EQ(status, 0) << cmd << " (needs python3-onnx and python3-numpy: scripts/common.sh)";
  return status == 0 ? model : "";
}

struct DigitsLogits {
  std::vector<std::int8_t> logits;  // 360 x 10
  std::size_t correct = 0;
};

// The reference's logits of the held-out digits for a network file and its `weights:` file.
DigitsLogits digits_logits(const std::string& network_file) {
  const hmasim::Network net = hmasim::load_network(network_file);
  const std::optional<hmasim::WeightsFile> weights = hmasim::load_network_weights(net, "");
  EXPECT_TRUE(weights.has_value()) << network_file << " names no weights file";
  if (!weights) return {};
  const hmasim::ReferenceInference ref(net, *weights);
  const hmasim::Npy8Array images = hmasim::read_npy8(kRoot + "/data/digits/test-images.npy");
  const hmasim::Npy8Array labels = hmasim::read_npy8(kRoot + "/data/digits/test-labels.npy");
  DigitsLogits r;
  for (std::size_t i = 0; i < images.shape[0]; ++i) {
    hmasim::Int8Tensor in{{8, 8, 1}, std::vector<std::int8_t>(64)};
    for (std::size_t k = 0; k < 64; ++k) in.values[k] = images.int8(i * 64 + k);
    const hmasim::Int8Tensor out = ref.run(in);
    r.logits.insert(r.logits.end(), out.values.begin(), out.values.end());
    r.correct += hmasim::reference_top1(out) == labels.bytes[i];
  }
  return r;
}

// Exports the digits CNN with `options`, imports it and checks logits and accuracy against the
// native files.
void expect_round_trip(const std::string& name, const std::string& options) {
  const fs::path d = onnx_cli_dir(name);
  const std::string model = export_digits_onnx(d, options);
  ASSERT_FALSE(model.empty());
  const std::string yaml = (d / "imported.yaml").string();
  const std::string weights = (d / "weights" / "imported.weights").string();
  const CliRun r = hmasim("import onnx " + model + " --out " + yaml + " --weights " + weights);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_CONTAINS(slurp(yaml), "weights: \"weights/imported.weights\"");
  EXPECT_CONTAINS(slurp(yaml), "Softmax node 'softmax' folded away");
  const DigitsLogits native = digits_logits(kNativeCnn);
  const DigitsLogits imported = digits_logits(yaml);
  ASSERT_EQ(native.logits.size(), 3600u);
  ASSERT_EQ(imported.logits.size(), native.logits.size());
  std::size_t differing = 0;  // images whose 10 logits are not all equal
  for (std::size_t i = 0; i < 360; ++i) {
    differing += !std::equal(native.logits.begin() + i * 10, native.logits.begin() + i * 10 + 10,
                             imported.logits.begin() + i * 10);
  }
  EXPECT_EQ(differing, 0u);
  EXPECT_EQ(imported.correct, native.correct);
  ::testing::Test::RecordProperty("top1_imported", std::to_string(imported.correct / 360.0));
  ::testing::Test::RecordProperty("top1_native", std::to_string(native.correct / 360.0));
  // The documented rule recovers the training script's integers exactly, so the files are equal.
  EXPECT_TRUE(slurp(weights) == slurp(kRoot + "/data/digits/digits-cnn.weights"))
      << weights << " differs from data/digits/digits-cnn.weights";
}

TEST(onnxImportCli, FloatWeightsGiveTheNativeLogitsOfAllHeldOutDigits) {
  expect_round_trip("float", "");
}

TEST(onnxImportCli, Int8QdqWeightsGiveTheNativeLogits) {
  expect_round_trip("int8", "--int8-weights");
}

TEST(onnxImportCli, BatchNormsAreFoldedIntoTheirConvolutions) {
  expect_round_trip("bn", "--batchnorm");
}

// The digits CNN exported (float weights) and imported into `d`: the network file, or "".
std::string imported_digits(const fs::path& d) {
  const std::string model = export_digits_onnx(d, "");
  if (model.empty()) return "";
  const std::string yaml = (d / "imported.yaml").string();
  const CliRun r = hmasim("import onnx " + model + " --out " + yaml + " --weights " +
                          (d / "imported.weights").string());
  EXPECT_EQ(r.status, 0) << r.err;
  return r.status == 0 ? yaml : "";
}

TEST(onnxImportCli, TheImportedNetworkRunsLikeTheNativeOne) {
  const fs::path d = onnx_cli_dir("run");
  const std::string yaml = imported_digits(d);
  ASSERT_FALSE(yaml.empty());
  const std::string platform = "--platform " + kRoot + "/platforms/maxnvm/nvdla64-mlc-ctt.yaml";
  const CliRun imported =
      hmasim("run " + platform + " --workload " + yaml + " --out " + (d / "imported").string());
  ASSERT_EQ(imported.status, 0) << imported.err;
  const CliRun native =
      hmasim("run " + platform + " --workload " + kNativeCnn + " --out " + (d / "native").string());
  ASSERT_EQ(native.status, 0) << native.err;
  const std::string a = slurp((d / "imported" / "summary.json").string());
  const std::string b = slurp((d / "native" / "summary.json").string());
  EXPECT_GT(json_number(a, "cycles"), 0);
  EXPECT_EQ(json_number(a, "cycles"), json_number(b, "cycles"));
  EXPECT_EQ(json_number(a, "fps_max"), json_number(b, "fps_max"));
}

TEST(onnxImportCli, TheImportedNetworkIsAsAccurateAsTheNativeOneInFunctionalMode) {
  const fs::path d = onnx_cli_dir("functional");
  const std::string yaml = imported_digits(d);
  ASSERT_FALSE(yaml.empty());
  const std::string common =
      "run --platform " + kRoot + "/platforms/maxnvm/nvdla64-mlc-ctt.yaml --functional --inputs " +
      kRoot + "/data/digits/test-images.npy --labels " + kRoot + "/data/digits/test-labels.npy";
  double top1[2];
  int k = 0;
  for (const std::string& net : {yaml, kNativeCnn}) {
    const std::string out = (d / std::to_string(k)).string();
    const CliRun r = hmasim(common + " --workload " + net + " --out " + out);
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string summary = slurp(out + "/summary.json");
    top1[k++] = json_number(summary, "top1", "accuracy");
    EXPECT_EQ(json_number(summary, "differing_from_fault_free", "accuracy"), 0);
  }
  EXPECT_GE(top1[1], 0.95);
  EXPECT_EQ(top1[0], top1[1]);
}

TEST(onnxImportCli, ResidualAddGlobalPoolMatMulAndPerChannelScalesImport) {
  const fs::path d = onnx_cli_dir("residual");
  const std::string model = export_digits_onnx(d, "--residual");
  ASSERT_FALSE(model.empty());
  const std::string yaml = (d / "res.yaml").string();
  const std::string weights = (d / "res.weights").string();
  const CliRun r =
      hmasim("import onnx " + model + " --name res --out " + yaml + " --weights " + weights);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string text = slurp(yaml);
  EXPECT_CONTAINS(text, "{name: \"conv_a\", type: \"conv\", k: 8, r: 3, padding: 1}");
  EXPECT_CONTAINS(text,
                  "{name: \"residual\", type: \"eltwise\", op: \"add\", inputs: "
                  "[\"conv_a\", \"conv_b\"]}");
  EXPECT_CONTAINS(text, "{name: \"gap\", type: \"pool\", mode: \"avg\", global: true}");
  EXPECT_CONTAINS(text, "{name: \"fc\", type: \"fc\", k: 10, bias: true}");
  const hmasim::Network net = hmasim::load_network(yaml);
  const std::optional<hmasim::WeightsFile> file = hmasim::load_network_weights(net, "");
  ASSERT_TRUE(file.has_value());
  const hmasim::LayerWeights* a = file->find("conv_a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->scales.size(), 8u);  // the DequantizeLinear's per-channel scales
  EXPECT_TRUE(a->relu);
  EXPECT_TRUE(a->bias.empty());
  // The reference computes the imported network (eltwise, global pool, fc) on an input.
  const hmasim::ReferenceInference ref(net, *file);
  hmasim::Int8Tensor in{{8, 8, 1}, std::vector<std::int8_t>(64, 100)};
  EXPECT_EQ(ref.run(in).values.size(), 10u);
  const CliRun run =
      hmasim("run --platform " + kRoot + "/platforms/maxnvm/nvdla64-mlc-ctt.yaml --workload " +
             yaml + " --out " + (d / "run").string());
  EXPECT_EQ(run.status, 0) << run.err;
}

TEST(onnxImportCli, AnUnsupportedOperatorNamesTheNodeAndWritesNothing) {
  const fs::path d = onnx_cli_dir("lstm");
  const std::string model = export_digits_onnx(d, "--unsupported");
  ASSERT_FALSE(model.empty());
  const CliRun r = hmasim("import onnx " + model + " --out " + (d / "net.yaml").string() +
                          " --weights " + (d / "net.weights").string());
  EXPECT_EQ(r.status, 2);
  EXPECT_CONTAINS(r.err, "node 'lstm1' (LSTM): unsupported operator LSTM");
  EXPECT_FALSE(fs::exists(d / "net.yaml"));
  EXPECT_FALSE(fs::exists(d / "net.weights"));
}

TEST(onnxImportCli, AFloatModelWithoutActivationScalesIsRefused) {
  const fs::path d = onnx_cli_dir("float_acts");
  const std::string model = export_digits_onnx(d, "--float-activations");
  ASSERT_FALSE(model.empty());
  const CliRun r = hmasim("import onnx " + model + " --out " + (d / "net.yaml").string());
  EXPECT_EQ(r.status, 2);
  EXPECT_CONTAINS(r.err, "node 'conv1' (Conv): its input has no scale");
  EXPECT_FALSE(fs::exists(d / "net.yaml"));
}

TEST(onnxImportCli, AMissingOrNonOnnxFileIsACleanError) {
  const fs::path d = onnx_cli_dir("missing");
  const CliRun missing =
      hmasim("import onnx " + (d / "absent.onnx").string() + " --out " + (d / "net.yaml").string());
  EXPECT_EQ(missing.status, 2);
  EXPECT_CONTAINS(missing.err, "absent.onnx: cannot read: No such file or directory");
  hmasim::test::spit((d / "text.onnx").string(), "not a protobuf\n");
  const CliRun junk =
      hmasim("import onnx " + (d / "text.onnx").string() + " --out " + (d / "net.yaml").string());
  EXPECT_EQ(junk.status, 2);
  EXPECT_CONTAINS(junk.err, "text.onnx: not an ONNX model");
  EXPECT_FALSE(fs::exists(d / "net.yaml"));
  const CliRun no_out = hmasim("import onnx " + (d / "text.onnx").string() + " --weights " +
                               (d / "net.weights").string());
  EXPECT_EQ(no_out.status, 2);
  EXPECT_CONTAINS(no_out.err, "--weights needs --out");
}

TEST(onnxImportCli, AMissingInterpreterSaysWhichPackagesToInstall) {
  const fs::path d = onnx_cli_dir("python");
  const std::string model = export_digits_onnx(d, "");
  ASSERT_FALSE(model.empty());
  ::setenv("HMASIM_PYTHON", "/nonexistent/python3", 1);
  const CliRun r = hmasim("import onnx " + model + " --out " + (d / "net.yaml").string());
  ::unsetenv("HMASIM_PYTHON");
  EXPECT_EQ(r.status, 1);
  EXPECT_CONTAINS(r.err, "python3-onnx");
  EXPECT_FALSE(fs::exists(d / "net.yaml"));
}

TEST(onnxImportCli, AMissingOnnxPackageSaysWhichPackageToInstall) {
  const fs::path d = onnx_cli_dir("package");
  const std::string model = export_digits_onnx(d, "");
  ASSERT_FALSE(model.empty());
  // An interpreter on which `import onnx` fails, as on a machine without python3-onnx.
  const std::string python = (d / "python-without-onnx").string();
  hmasim::test::spit(python,
                     "#!/bin/sh\nexec " + kPython +
                         " -c 'import sys; sys.modules[\"onnx\"] = None; sys.argv = sys.argv[1:]; "
                         "exec(open(sys.argv[0]).read())' \"$@\"\n");
  fs::permissions(python, fs::perms::owner_all);
  ::setenv("HMASIM_PYTHON", python.c_str(), 1);
  const CliRun r = hmasim("import onnx " + model + " --out " + (d / "net.yaml").string());
  ::unsetenv("HMASIM_PYTHON");
  EXPECT_EQ(r.status, 1);
  EXPECT_CONTAINS(r.err, "the Python module 'onnx' is missing: install Debian's python3-onnx");
  EXPECT_FALSE(fs::exists(d / "net.yaml"));
}

}  // namespace
