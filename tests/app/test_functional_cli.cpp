// `hmasim run --functional` through the real binary: the trained digits CNN's accuracy and its
// agreement with the fault-free reference, predictions.csv, unchanged timing and energy, a
// corrupted weights file that lowers the accuracy, read-mode faults that change answers from
// frame to frame where program-mode faults do not, and bad input (exit 2, nothing written). Also
// 16-bit networks (the digits CNN with int16 weights and images) and a softmax layer: their
// reference agreement and unchanged timing.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "support/cli.hpp"
#include "workloads/npy_file.hpp"
#include "workloads/weights_file.hpp"

namespace {

using hmasim::test::CliRun;
using hmasim::test::hmasim;
using hmasim::test::json_number;
using hmasim::test::slurp;
namespace fs = std::filesystem;

const std::string kRoot = HMASIM_SOURCE_DIR;
const std::string kCnn = " --workload " + kRoot + "/workloads/networks/digits-cnn.yaml";
const std::string kImages = " --inputs " + kRoot + "/data/digits/test-images.npy";
const std::string kLabels = " --labels " + kRoot + "/data/digits/test-labels.npy";
const std::string kSram = " --platform " + kRoot + "/platforms/nvdla64-lpddr4.yaml";
const std::string kRram = " --platform " + kRoot + "/platforms/maxnvm/nvdla64-mlc-rram.yaml";
// Three bits per cell of RRAM, every structure, with NVMExplorer's published (noisier) MLC3
// sigmas (CALIBRATION.md, about 4e-3 misreads per cell; the shipped preset is calibrated far
// lower, docs/fault-calibration.md): faults on most reads.
const std::string kRram3 =
    kRram +
    " --set memories.envm.bits_per_cell=3 --set storage.bits_per_cell.values=3 --set "
    "storage.bits_per_cell.metadata=3 --set 'memories.envm.technology.level_distributions.3=["
    "{mean: 0, sigma: 0.008646}, {mean: 0.078262, sigma: 0.013458}, "
    "{mean: 0.203820, sigma: 0.030416}, {mean: 0.384644, sigma: 0.033511}, "
    "{mean: 0.542120, sigma: 0.024829}, {mean: 0.721657, sigma: 0.027417}, "
    "{mean: 0.886116, sigma: 0.037191}, {mean: 1, sigma: 0.0034}]'";

fs::path functional_cli_dir(const std::string& name) {
  return hmasim::test::scratch_dir("functional_cli_" + name);
}

std::string summary_without(const std::string& json, const std::vector<std::string>& keys) {
  std::istringstream in(json);
  std::string out, line;
  bool skipping = false;
  while (std::getline(in, line)) {
    if (line.find("\"accuracy\": {") != std::string::npos) skipping = true;
    bool drop = skipping;
    for (const std::string& k : keys) drop = drop || line.find("\"" + k) != std::string::npos;
    if (!drop) out += line + "\n";
    if (skipping && line.find('}') != std::string::npos) skipping = false;
  }
  return out;
}

// An int8 .npy of one digit image (the first of the test set), 1 x 8 x 8 x 1.
std::string one_image(const fs::path& d) {
  const hmasim::Npy8Array all = hmasim::read_npy8(kRoot + "/data/digits/test-images.npy");
  std::string header = "{'descr': '|i1', 'fortran_order': False, 'shape': (1, 8, 8, 1), }";
  header += std::string(64 - (10 + header.size() + 1) % 64, ' ') + "\n";
  std::string file = "\x93NUMPY";
  file += '\x01';
  file += '\x00';
  file += static_cast<char>(header.size() & 0xff);
  file += static_cast<char>(header.size() >> 8);
  file += header;
  file.append(reinterpret_cast<const char*>(all.bytes.data()), 64);
  const std::string path = (d / "one.npy").string();
  hmasim::test::spit(path, file);
  return path;
}

// The logits columns of predictions.csv, one string per inference.
std::vector<std::string> prediction_rows(const std::string& csv) {
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::string> rows;
  while (std::getline(in, line)) rows.push_back(line.substr(line.find(',', line.find(',') + 1)));
  return rows;
}

TEST(functionalCli, TheDigitsCnnIsAtLeast95PercentRightAndMatchesItsFaultFreeReference) {
  const fs::path d = functional_cli_dir("accuracy");
  const CliRun r = hmasim("run" + kSram + kCnn + kImages + kLabels + " --functional --out " +
                          (d / "run").string());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_CONTAINS(r.out, "functional: top-1");
  const std::string summary = slurp((d / "run" / "summary.json").string());
  EXPECT_EQ(json_number(summary, "inferences", "accuracy"), 360);
  EXPECT_EQ(json_number(summary, "frames"), 360);  // one frame per image
  EXPECT_GE(json_number(summary, "top1", "accuracy"), 0.95);
  EXPECT_EQ(json_number(summary, "top1", "accuracy"),
            json_number(summary, "fault_free_top1", "accuracy"));
  EXPECT_EQ(json_number(summary, "differing_from_fault_free", "accuracy"), 0);
  const std::string csv = slurp((d / "run" / "predictions.csv").string());
  EXPECT_EQ(csv.rfind("frame,image,task,label,predicted,class1,score1,", 0), 0u);
  EXPECT_EQ(prediction_rows(csv).size(), 360u);
}

TEST(functionalCli, FunctionalModeLeavesCyclesAndEnergyUnchanged) {
  const fs::path d = functional_cli_dir("timing");
  const std::string common = kRram3 + kCnn + " --set storage.fault_mode=read --frames 12";
  const CliRun plain = hmasim("run" + common + " --out " + (d / "plain").string());
  const CliRun functional =
      hmasim("run" + common + kImages + " --functional --out " + (d / "functional").string());
  ASSERT_EQ(plain.status, 0) << plain.err;
  ASSERT_EQ(functional.status, 0) << functional.err;
  EXPECT_EQ(summary_without(slurp((d / "plain" / "summary.json").string()), {"wall_time"}),
            summary_without(slurp((d / "functional" / "summary.json").string()), {"wall_time"}));
  EXPECT_EQ(slurp((d / "plain" / "layers.csv").string()),
            slurp((d / "functional" / "layers.csv").string()));
}

TEST(functionalCli, ACorruptedWeightsFileLowersTheAccuracy) {
  const fs::path d = functional_cli_dir("corrupt");
  hmasim::WeightsFile w = hmasim::read_weights_file(kRoot + "/data/digits/digits-cnn.weights");
  for (hmasim::LayerWeights& l : w.layers) {
    if (l.name != "conv2") continue;
    for (std::int8_t& v : l.weights) v = static_cast<std::int8_t>(v == -128 ? 127 : -v);
  }
  const std::string file = (d / "corrupt.weights").string();
  hmasim::write_weights_file(file, w);
  const CliRun r = hmasim("run" + kSram + kCnn + kImages + kLabels + " --functional --weights " +
                          file + " --out " + (d / "run").string());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_LT(json_number(slurp((d / "run" / "summary.json").string()), "top1", "accuracy"), 0.8);
}

TEST(functionalCli, ReadFaultsChangeAnswersBetweenFramesProgramFaultsDoNot) {
  const fs::path d = functional_cli_dir("modes");
  const std::string image = one_image(d);
  std::set<std::string> distinct[2];
  int i = 0;
  for (const std::string mode : {"read", "program"}) {
    const std::string out = (d / mode).string();
    const CliRun r = hmasim("run" + kRram3 + kCnn + " --functional --inputs " + image +
                            " --frames 8 --set storage.fault_mode=" + mode + " --out " + out);
    ASSERT_EQ(r.status, 0) << r.err;
    const std::vector<std::string> rows = prediction_rows(slurp(out + "/predictions.csv"));
    ASSERT_EQ(rows.size(), 8u);
    distinct[i++].insert(rows.begin(), rows.end());
  }
  EXPECT_GT(distinct[0].size(), 1u) << "read-mode faults gave the same answer every frame";
  EXPECT_EQ(distinct[1].size(), 1u) << "program-mode faults changed between frames";
}

TEST(functionalCli, FunctionalRunsAreDeterministic) {
  const fs::path d = functional_cli_dir("determinism");
  std::string csv[2];
  for (int k = 0; k < 2; ++k) {
    const std::string out = (d / std::to_string(k)).string();
    const CliRun r = hmasim("run" + kRram3 + kCnn + kImages + kLabels +
                            " --functional --frames 30 --set storage.fault_mode=read --out " + out);
    ASSERT_EQ(r.status, 0) << r.err;
    csv[k] = slurp(out + "/predictions.csv");
  }
  EXPECT_EQ(csv[0], csv[1]);
}

TEST(functionalCli, ASweepRunsFunctionalPointsAndTabulatesTheirAccuracy) {
  const fs::path d = functional_cli_dir("sweep");
  const std::string sweep = (d / "accuracy.yaml").string();
  hmasim::test::spit(sweep, "sweep: accuracy\nplatform: " + kRoot +
                                "/platforms/maxnvm/nvdla64-mlc-rram.yaml\nworkload: " + kRoot +
                                "/workloads/networks/digits-cnn.yaml\nfunctional:\n  inputs: " +
                                kRoot + "/data/digits/test-images.npy\n  labels: " + kRoot +
                                "/data/digits/test-labels.npy\naxes:\n  - {key: "
                                "storage.fault_mode, values: [off, read]}\nset:\n"
                                "  - memories.envm.bits_per_cell=3\n"
                                "  - storage.bits_per_cell.values=3\n"
                                "  - storage.bits_per_cell.metadata=3\n");
  const CliRun r = hmasim("sweep " + sweep + " -j 2 --out " + (d / "out").string());
  ASSERT_EQ(r.status, 0) << r.err;
  std::istringstream csv(slurp((d / "out" / "results.csv").string()));
  std::string header, off, read;
  std::getline(csv, header);
  std::getline(csv, off);
  std::getline(csv, read);
  // The column of accuracy.top1, and its value in each row.
  const auto field = [](const std::string& line, std::size_t column) {
    std::istringstream in(line);
    std::string f;
    for (std::size_t i = 0; i <= column && std::getline(in, f, ','); ++i) {
    }
    return f;
  };
  std::size_t column = 0, frames = 0;
  {
    std::istringstream in(header);
    std::string f;
    for (std::size_t i = 0; std::getline(in, f, ','); ++i) {
      if (f == "accuracy.top1") column = i;
      if (f == "frames") frames = i;
    }
  }
  ASSERT_GT(column, 0u) << header;
  EXPECT_EQ(field(off, frames), "360");  // one frame per image
  EXPECT_GE(std::stod(field(off, column)), 0.95);
  EXPECT_LT(std::stod(field(read, column)), std::stod(field(off, column)));
}

TEST(functionalCli, BadFunctionalInputIsAnErrorThatWritesNothing) {
  const fs::path d = functional_cli_dir("bad");
  const std::string out = " --out " + (d / "run").string();
  const auto expect_error = [&](const std::string& args, const std::string& message) {
    const CliRun r = hmasim("run" + args + out);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.err;
    EXPECT_CONTAINS(r.err, message);
    EXPECT_FALSE(fs::exists(d / "run")) << args;
  };
  expect_error(kSram + kCnn + kImages, "--inputs has no effect without --functional");
  expect_error(kSram + kCnn + " --functional" + kLabels, "--labels needs the --inputs");
  // Labels that are images; images of another network's shape.
  expect_error(
      kSram + kCnn + kImages + " --functional --labels " + kRoot + "/data/digits/test-images.npy",
      "expected 360 labels");
  expect_error(
      kSram + " --workload " + kRoot + "/workloads/networks/lenet5.yaml --functional" + kImages,
      "network 'lenet5' takes N x");
  // A layer type the datapath does not compute is named.
  expect_error(kSram + " --workload " + kRoot + "/workloads/networks/albert-base.yaml --functional",
               "is not computed by the functional datapath");
}

// An .npy file of `descr` elements ('|i1', '<i2') with `shape` ("(360, 8, 8, 1)").
std::string write_npy(const fs::path& path, const std::string& descr, const std::string& shape,
                      const std::string& data) {
  std::string header =
      "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  header += std::string(64 - (10 + header.size() + 1) % 64, ' ') + "\n";
  std::string file = "\x93NUMPY";
  file += '\x01';
  file += '\x00';
  file += static_cast<char>(header.size() & 0xff);
  file += static_cast<char>(header.size() >> 8);
  file += header + data;
  hmasim::test::spit(path.string(), file);
  return path.string();
}

// The digits CNN at 16 bits: its int8 weights as int16, biases x 256, the same scales; images
// x 256. Every layer's int16 output is then about 256 times the int8 one (8 more bits).
struct Digits16 {
  std::string weights, images;
};
Digits16 digits16(const fs::path& d) {
  hmasim::WeightsFile w = hmasim::read_weights_file(kRoot + "/data/digits/digits-cnn.weights");
  for (hmasim::LayerWeights& l : w.layers) {
    l.weights16.assign(l.weights.begin(), l.weights.end());
    l.weights.clear();
    for (std::int32_t& b : l.bias) b *= 256;
  }
  Digits16 out;
  out.weights = (d / "digits16.weights").string();
  hmasim::write_weights_file(out.weights, w);
  const hmasim::Npy8Array all = hmasim::read_npy8(kRoot + "/data/digits/test-images.npy");
  std::string data;
  for (std::uint64_t i = 0; i < all.elements(); ++i) {
    const auto v = static_cast<std::uint16_t>(all.int8(i) * 256);
    data += static_cast<char>(v & 0xff);
    data += static_cast<char>(v >> 8);
  }
  out.images = write_npy(d / "digits16.npy", "<i2", "(360, 8, 8, 1)", data);
  return out;
}

// The digits CNN and a softmax over its logits (the committed weights; no record for the softmax:
// its default scale).
std::string softmax_workload(const fs::path& d) {
  std::string yaml = slurp(kRoot + "/workloads/networks/digits-cnn.yaml");
  const std::string key = "weights: ../../data/digits/";
  yaml.replace(yaml.find(key), key.size(), "weights: " + kRoot + "/data/digits/");
  yaml += "  - {name: prob, type: softmax}\n";
  const std::string path = (d / "digits-softmax.yaml").string();
  hmasim::test::spit(path, yaml);
  return path;
}

TEST(functionalCli, The16BitDigitsCnnMatchesItsReferenceAndIsAccurate) {
  const fs::path d = functional_cli_dir("int16");
  const Digits16 files = digits16(d);
  const CliRun r =
      hmasim("run" + kSram + kCnn + " --set workload.precision=16 --weights " + files.weights +
             " --inputs " + files.images + kLabels + " --functional --out " + (d / "run").string());
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string summary = slurp((d / "run" / "summary.json").string());
  EXPECT_EQ(json_number(summary, "inferences", "accuracy"), 360);
  EXPECT_EQ(json_number(summary, "differing_from_fault_free", "accuracy"), 0);
  EXPECT_GE(json_number(summary, "top1", "accuracy"), 0.95);
  EXPECT_EQ(json_number(summary, "top1", "accuracy"),
            json_number(summary, "fault_free_top1", "accuracy"));
  // The scores are int16: about 256 times the int8 network's (score1 is the 7th column).
  std::istringstream rows(slurp((d / "run" / "predictions.csv").string()));
  std::string line, field;
  std::getline(rows, line);
  std::getline(rows, line);
  std::istringstream columns(line);
  for (int k = 0; k < 7; ++k) std::getline(columns, field, ',');
  EXPECT_GT(std::stoi(field), 1000) << line;
}

TEST(functionalCli, A16BitNetworkAndASoftmaxLeaveCyclesAndEnergyUnchanged) {
  const fs::path d = functional_cli_dir("timing16");
  // 16-bit data is stored dense: MLC RRAM with read faults, dense fixed-point values.
  const std::string lenet16 = " --workload " + kRoot +
                              "/workloads/networks/lenet5.yaml --set workload.precision=16 --set "
                              "storage.encoding=dense --set storage.protection=none --set "
                              "storage.values=fixed";
  const std::string softmax = " --workload " + softmax_workload(d);
  int i = 0;
  for (const std::string& common : {kRram3 + lenet16 + " --set storage.fault_mode=read --frames 3",
                                    kSram + softmax + " --frames 12"}) {
    const std::string plain = (d / ("plain" + std::to_string(i))).string();
    const std::string functional = (d / ("functional" + std::to_string(i++))).string();
    const CliRun a = hmasim("run" + common + " --out " + plain);
    const CliRun b =
        hmasim("run" + common + (common.find("lenet") == std::string::npos ? kImages : "") +
               " --functional --out " + functional);
    ASSERT_EQ(a.status, 0) << a.err;
    ASSERT_EQ(b.status, 0) << b.err;
    EXPECT_EQ(summary_without(slurp(plain + "/summary.json"), {"wall_time"}),
              summary_without(slurp(functional + "/summary.json"), {"wall_time"}));
    EXPECT_EQ(slurp(plain + "/layers.csv"), slurp(functional + "/layers.csv"));
  }
}

TEST(functionalCli, ASoftmaxNetworkMatchesItsReferenceWithTheSameAnswers) {
  const fs::path d = functional_cli_dir("softmax");
  const CliRun r = hmasim("run" + kSram + " --workload " + softmax_workload(d) + kImages + kLabels +
                          " --functional --out " + (d / "run").string());
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string summary = slurp((d / "run" / "summary.json").string());
  EXPECT_EQ(json_number(summary, "differing_from_fault_free", "accuracy"), 0);
  EXPECT_GE(json_number(summary, "top1", "accuracy"), 0.95);
}

TEST(functionalCli, MixedWidthsAndImagesOfTheWrongWidthAreClearErrors) {
  const fs::path d = functional_cli_dir("widths");
  const std::string out = " --out " + (d / "run").string();
  const auto expect_error = [&](const std::string& args, const std::string& message) {
    const CliRun r = hmasim("run" + args + out);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.err;
    EXPECT_CONTAINS(r.err, message);
    EXPECT_FALSE(fs::exists(d / "run")) << args;
  };
  // int8 images into a 16-bit network; int16 images into an 8-bit one.
  const Digits16 files = digits16(d);
  expect_error(kSram + kCnn + " --set workload.precision=16 --weights " + files.weights + kImages +
                   " --functional",
               "images must be int16 ('<i2'): network 'digits-cnn' takes int16 images (its first "
               "layer 'conv1' is 16-bit)");
  expect_error(kSram + kCnn + " --inputs " + files.images + " --functional",
               "images must be int8 ('|i1')");
  // An int16 layer reading an int8 one.
  const std::string mixed = (d / "mixed.yaml").string();
  hmasim::test::spit(mixed,
                     "name: mixed\ninput: {h: 8, w: 8, c: 1}\nlayers:\n"
                     "  - {name: conv1, type: conv, k: 4, r: 3}\n"
                     "  - {name: conv2, type: conv, k: 4, r: 3, precision: 16}\n");
  expect_error(kSram + " --workload " + mixed + " --functional",
               "layer 'conv2' (conv), 16-bit (int16), reads layer 'conv1' (8-bit, int8): the "
               "functional datapath does not convert between int8 and int16 maps");
}

}  // namespace
