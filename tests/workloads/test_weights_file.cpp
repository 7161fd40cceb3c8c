// The weights file (workloads/weights_file.hpp, docs/weights.md): what is written is read back,
// damaged files are refused with their file and layer named, and a file is checked against its
// network (every layer, its weight and bias counts, value ranges). Also the .npy reader of the
// digits test set (workloads/npy_file.hpp).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/cli.hpp"
#include "workloads/network.hpp"
#include "workloads/npy_file.hpp"
#include "workloads/weights_file.hpp"

namespace {

using hmasim::LayerWeights;
using hmasim::WeightsFile;
using hmasim::WeightsFileError;
namespace fs = std::filesystem;

const std::string kRoot = HMASIM_SOURCE_DIR;

std::string weights_scratch(const std::string& name) {
  const fs::path d =
      fs::path(::testing::TempDir()) / ("hmasim_weights_file_" + std::to_string(::getpid()));
  fs::create_directories(d);
  return (d / name).string();
}

// A network of one conv (2 -> 3 channels, 3x3, bias) and one fc (bias: false).
const char* kTwoLayers = R"(name: two
input: {h: 4, w: 4, c: 2}
layers:
  - {name: conv, type: conv, k: 3, r: 3, bias: true}
  - {name: pool, type: pool, r: 2}
  - {name: fc, type: fc, k: 5}
)";

WeightsFile two_layer_weights() {
  WeightsFile f;
  LayerWeights conv;
  conv.name = "conv";
  for (int i = 0; i < 3 * 2 * 3 * 3; ++i) conv.weights.push_back(static_cast<std::int8_t>(i - 27));
  conv.bias = {-1000, 0, 70000};
  conv.relu = true;
  conv.scales = {{20000, 20}, {17000, 21}, {30000, 19}};
  LayerWeights fc;
  fc.name = "fc";
  fc.weights.assign(3 * 5, -128);
  fc.scales = {{16384, 14}};
  f.layers = {conv, fc};
  return f;
}

void expect_problem(const std::string& bytes, const std::string& needle) {
  const std::string file = weights_scratch("damaged.weights");
  hmasim::test::spit(file, bytes);
  try {
    hmasim::read_weights_file(file);
    ADD_FAILURE() << "accepted a damaged file; expected: " << needle;
  } catch (const WeightsFileError& e) {
    EXPECT_CONTAINS(std::string(e.what()), file + ": ");
    EXPECT_CONTAINS(std::string(e.what()), needle);
  }
}

TEST(weightsFile, WhatIsWrittenIsReadBack) {
  const std::string file = weights_scratch("two.weights");
  const WeightsFile written = two_layer_weights();
  hmasim::write_weights_file(file, written);
  const WeightsFile read = hmasim::read_weights_file(file);
  ASSERT_EQ(read.layers.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(read.layers[i].name, written.layers[i].name);
    EXPECT_EQ(read.layers[i].weights, written.layers[i].weights);
    EXPECT_EQ(read.layers[i].bias, written.layers[i].bias);
    EXPECT_EQ(read.layers[i].relu, written.layers[i].relu);
    ASSERT_EQ(read.layers[i].scales.size(), written.layers[i].scales.size());
    for (std::size_t k = 0; k < read.layers[i].scales.size(); ++k) {
      EXPECT_EQ(read.layers[i].scales[k].multiplier, written.layers[i].scales[k].multiplier);
      EXPECT_EQ(read.layers[i].scales[k].shift, written.layers[i].scales[k].shift);
    }
  }
  EXPECT_EQ(read.find("fc"), &read.layers[1]);
  EXPECT_EQ(read.find("pool"), nullptr);
  EXPECT_EQ(read.file, file);
  // The checksum is the file's: one weight more or less changes it.
  WeightsFile other = written;
  other.layers[1].weights[7] = 3;
  hmasim::write_weights_file(file, other);
  EXPECT_NE(hmasim::read_weights_file(file).checksum, read.checksum);
  const hmasim::Network net = hmasim::load_network_text(kTwoLayers, "two.yaml");
  EXPECT_NO_THROW(hmasim::check_weights_file(read, net));
}

TEST(weightsFile, DamagedFilesAreRefusedNeverRead) {
  const std::string good = hmasim::weights_file_bytes(two_layer_weights());
  expect_problem("HMASIMW2" + good.substr(8), "not an hmasim weights file");
  expect_problem("", "not an hmasim weights file");
  expect_problem(good + "x", "1 bytes after the last of 2 records");
  // Every truncation is an error, none a crash or a huge allocation.
  for (std::size_t n = 8; n < good.size(); ++n) {
    const std::string file = weights_scratch("cut.weights");
    hmasim::test::spit(file, good.substr(0, n));
    EXPECT_THROW(hmasim::read_weights_file(file), WeightsFileError) << n << " bytes";
  }
  // A weight count far beyond the file (the first record's count sits after its name).
  std::string huge = good;
  const std::size_t count_at = 8 + 4 + 4 + 4;  // magic, records, name length, "conv"
  huge[count_at + 5] = '\x7f';
  expect_problem(huge, "layer 'conv': ");
  expect_problem(huge, "do not fit in the");
  // Two records of one layer.
  WeightsFile twice = two_layer_weights();
  twice.layers[1].name = "conv";
  expect_problem(hmasim::weights_file_bytes(twice), "layer 'conv': a second record for this layer");
  WeightsFile bad_scale = two_layer_weights();
  bad_scale.layers[1].scales = {{0, 3}};
  expect_problem(hmasim::weights_file_bytes(bad_scale), "layer 'fc': scale 0 has multiplier 0");
  bad_scale.layers[1].scales = {{5, 63}};
  expect_problem(hmasim::weights_file_bytes(bad_scale), "shift 63");
  std::string flags = good;
  flags[count_at + 16] = '\x05';  // flags of 'conv': after its weight and bias counts
  expect_problem(flags, "layer 'conv': unknown flags 5");
  expect_problem(hmasim::weights_file_bytes(two_layer_weights()).substr(0, 30), "truncated");
  try {
    hmasim::read_weights_file(weights_scratch("missing.weights") + ".none");
    ADD_FAILURE();
  } catch (const WeightsFileError& e) {
    EXPECT_CONTAINS(std::string(e.what()), "cannot open the weights file");
  }
}

TEST(weightsFile, MismatchesWithTheNetworkNameFileLayerExpectedAndGot) {
  const hmasim::Network net = hmasim::load_network_text(kTwoLayers, "two.yaml");
  WeightsFile f = two_layer_weights();
  f.file = "two.weights";
  f.layers[0].weights.pop_back();
  f.layers[0].bias.push_back(1);
  f.layers[1].name = "fc9";
  f.layers[0].scales.pop_back();
  LayerWeights pool;
  pool.name = "pool";
  f.layers.push_back(pool);
  try {
    hmasim::check_weights_file(f, net);
    ADD_FAILURE();
  } catch (const WeightsFileError& e) {
    const std::vector<std::string> expected = {
        "two.weights: layer 'conv': expected 54 weights (3 kernels x 2 channels x 3 x 3), got 53",
        "two.weights: layer 'conv': expected 3 biases (one per output channel), got 4",
        "two.weights: layer 'conv': expected 0, 1 or 3 scales (one per output channel), got 2",
        "two.weights: layer 'pool': has weights in the file, but the network's layer has none",
        "two.weights: layer 'fc': no record in the file (expected 15 weights: 5 kernels x 3 "
        "channels x 1 x 1)",
        "two.weights: layer 'fc9': network 'two' has no layer of this name",
    };
    EXPECT_EQ(e.problems(), expected);
  }
  // A bias the layer does not declare, and a value outside a 4-bit layer's range.
  const hmasim::Network four = hmasim::load_network_text(
      "input: {h: 1, w: 1, c: 2}\nlayers:\n  - {name: fc, type: fc, k: 2, precision: 4}\n",
      "four.yaml");
  WeightsFile g;
  g.file = "four.weights";
  LayerWeights fc;
  fc.name = "fc";
  fc.weights = {1, -8, 7, 8};
  fc.bias = {1, 2};
  g.layers = {fc};
  try {
    hmasim::check_weights_file(g, four);
    ADD_FAILURE();
  } catch (const WeightsFileError& e) {
    const std::vector<std::string> expected = {
        "four.weights: layer 'fc': expected 0 biases (the layer has bias: false), got 2",
        "four.weights: layer 'fc': weight 3 is 8, outside the 4-bit range -8..7",
    };
    EXPECT_EQ(e.problems(), expected);
  }
}

TEST(weightsFile, TheWorkloadsWeightsKeyIsRelativeToItsFolder) {
  const hmasim::Network cnn = hmasim::load_network(kRoot + "/workloads/networks/digits-cnn.yaml");
  EXPECT_EQ(fs::weakly_canonical(cnn.weights),
            fs::weakly_canonical(kRoot + "/data/digits/digits-cnn.weights"));
  const auto weights = hmasim::load_network_weights(cnn, "");
  ASSERT_TRUE(weights.has_value());
  EXPECT_EQ(weights->layers.size(), 5u);
  // --weights wins over the key; a network without either has none.
  const std::string mlp = kRoot + "/data/digits/digits-mlp.weights";
  EXPECT_THROW(hmasim::load_network_weights(cnn, mlp), WeightsFileError);
  const hmasim::Network two = hmasim::load_network_text(kTwoLayers, "two.yaml");
  EXPECT_FALSE(hmasim::load_network_weights(two, "").has_value());
  // An empty key is an error at its line.
  try {
    hmasim::load_network_text(std::string("weights: ''\n") + kTwoLayers, "w.yaml");
    ADD_FAILURE();
  } catch (const hmasim::ConfigError& e) {
    EXPECT_CONTAINS(std::string(e.what()), "weights: expected the path of a weights file");
  }
}

TEST(npyFile, ReadsTheDigitsTestSet) {
  const hmasim::Npy8Array images = hmasim::read_npy8(kRoot + "/data/digits/test-images.npy");
  EXPECT_TRUE(images.is_signed);
  EXPECT_EQ(images.shape, (std::vector<std::uint64_t>{360, 8, 8, 1}));
  ASSERT_EQ(images.bytes.size(), 360u * 64);
  int lo = 127, hi = -128;
  for (std::uint64_t i = 0; i < images.elements(); ++i) {
    lo = std::min<int>(lo, images.int8(i));
    hi = std::max<int>(hi, images.int8(i));
  }
  EXPECT_EQ(lo, 0);
  EXPECT_EQ(hi, 127);
  const hmasim::Npy8Array labels = hmasim::read_npy8(kRoot + "/data/digits/test-labels.npy");
  EXPECT_FALSE(labels.is_signed);
  EXPECT_EQ(labels.shape, (std::vector<std::uint64_t>{360}));
  for (std::uint8_t l : labels.bytes) EXPECT_LT(l, 10);
}

TEST(npyFile, OtherFilesAreRefusedWithTheirFileNamed) {
  const std::string file = weights_scratch("x.npy");
  const auto refused = [&](const std::string& bytes, const std::string& needle) {
    hmasim::test::spit(file, bytes);
    try {
      hmasim::read_npy8(file);
      ADD_FAILURE() << needle;
    } catch (const hmasim::NpyError& e) {
      EXPECT_CONTAINS(std::string(e.what()), file + ": " + needle);
    }
  };
  const auto npy = [](const std::string& header, const std::string& data) {
    std::string h = header;
    while ((10 + h.size() + 1) % 64 != 0) h += ' ';
    h += '\n';
    return std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(h.size()) + '\0' + h + data;
  };
  refused("hello", "not a .npy file");
  refused(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", "abcd"),
          "elements of type '<f4'");
  refused(npy("{'descr': '|i1', 'fortran_order': True, 'shape': (2,), }", "ab"),
          "fortran_order True");
  refused(npy("{'descr': '|i1', 'fortran_order': False, 'shape': (2, 2), }", "abc"),
          "shape (2, 2) holds 4 elements, the file 3");
  refused(npy("{'descr': '|i1', 'shape': (2,), }", "ab"), "the header lacks");
  hmasim::test::spit(
      file, npy("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", "\x01\x02\xff"));
  const hmasim::Npy8Array ok = hmasim::read_npy8(file);
  EXPECT_EQ(ok.shape, (std::vector<std::uint64_t>{3}));
  EXPECT_EQ(ok.bytes, (std::vector<std::uint8_t>{1, 2, 255}));
}

TEST(weightsFile, Int16RecordsAndSoftmaxScalesAreWrittenReadAndChecked) {
  const hmasim::Network net = hmasim::load_network_text(
      "name: wide\ninput: {h: 1, w: 1, c: 2}\nprecision: 12\nlayers:\n"
      "  - {name: fc, type: fc, k: 2, bias: true}\n  - {name: prob, type: softmax}\n",
      "wide.yaml");
  WeightsFile f;
  f.file = "wide.weights";
  LayerWeights fc;
  fc.name = "fc";
  fc.weights16 = {-2048, 2047, -300, 1};
  fc.bias = {100000, -7};
  fc.relu = true;
  fc.scales = {{20000, 30}};
  LayerWeights prob;
  prob.name = "prob";
  prob.scales = {{3, 7}};
  f.layers = {fc, prob};
  const std::string file = weights_scratch("wide.weights");
  hmasim::write_weights_file(file, f);
  const WeightsFile read = hmasim::read_weights_file(file);
  ASSERT_EQ(read.layers.size(), 2u);
  EXPECT_TRUE(read.layers[0].weights.empty());
  EXPECT_EQ(read.layers[0].weights16, fc.weights16);
  EXPECT_EQ(read.layers[0].bias, fc.bias);
  EXPECT_TRUE(read.layers[0].relu);
  EXPECT_EQ(read.layers[0].weight_count(), 4u);
  EXPECT_EQ(read.layers[1].weight_count(), 0u);
  ASSERT_EQ(read.layers[1].scales.size(), 1u);
  EXPECT_EQ(read.layers[1].scales[0].shift, 7);
  EXPECT_NO_THROW(hmasim::check_weights_file(read, net));
  // The flags carry the width: int16 bytes little-endian after the scales.
  const std::string bytes = hmasim::weights_file_bytes(f);
  const std::size_t flags_at = 8 + 4 + 4 + 2 + 8 + 8;
  EXPECT_EQ(bytes[flags_at], '\x03');  // ReLU | int16
  const std::size_t values_at = flags_at + 4 + 4 + 8;
  EXPECT_EQ(static_cast<unsigned char>(bytes[values_at]), 0x00u);  // -2048 = 0xf800
  EXPECT_EQ(static_cast<unsigned char>(bytes[values_at + 1]), 0xf8u);
  // Mismatches: int8 weights for a 12-bit layer, a value outside 12 bits, a softmax record with
  // weights; int16 weights for an 8-bit layer.
  WeightsFile bad = f;
  bad.layers[0].weights16.clear();
  bad.layers[0].weights = {1, 2, 3, 4};
  bad.layers[1].weights = {1};
  try {
    hmasim::check_weights_file(bad, net);
    ADD_FAILURE();
  } catch (const WeightsFileError& e) {
    const std::vector<std::string> expected = {
        "wide.weights: layer 'fc': the record holds int8 weights; a 12-bit layer takes int16 "
        "(flag bit 1) weights",
        "wide.weights: layer 'prob': a softmax layer's record holds no weights, no biases, no "
        "ReLU and 0 or 1 scale (its input's real scale), got 1 weights, 0 biases and 1 scales",
    };
    EXPECT_EQ(e.problems(), expected);
  }
  WeightsFile range = f;
  range.layers[0].weights16[1] = 2048;
  try {
    hmasim::check_weights_file(range, net);
    ADD_FAILURE();
  } catch (const WeightsFileError& e) {
    EXPECT_EQ(e.problems(), (std::vector<std::string>{
                                "wide.weights: layer 'fc': weight 1 is 2048, outside the 12-bit "
                                "range -2048..2047"}));
  }
  const hmasim::Network narrow = hmasim::load_network_text(
      "input: {h: 1, w: 1, c: 2}\nlayers:\n  - {name: fc, type: fc, k: 2, bias: true}\n",
      "narrow.yaml");
  WeightsFile one = f;
  one.layers.pop_back();
  EXPECT_THROW(hmasim::check_weights_file(one, narrow), WeightsFileError);
  // The defaults of a softmax without a scale: 1/16 for int8, 1/4096 for int16.
  EXPECT_EQ(hmasim::default_softmax_scale(8).shift, 4);
  EXPECT_EQ(hmasim::default_softmax_scale(16).shift, 12);
}

TEST(npyFile, ReadsInt16ArraysWhereAsked) {
  const std::string file = weights_scratch("i2.npy");
  std::string h = "{'descr': '<i2', 'fortran_order': False, 'shape': (3,), }";
  while ((10 + h.size() + 1) % 64 != 0) h += ' ';
  h += '\n';
  hmasim::test::spit(file, std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(h.size()) +
                               '\0' + h + std::string("\x01\x00\xff\x7f\x00\x80", 6));
  const hmasim::Npy8Array a = hmasim::read_npy_integers(file);
  EXPECT_EQ(a.element_bytes, 2u);
  EXPECT_EQ(a.shape, (std::vector<std::uint64_t>{3}));
  EXPECT_EQ(a.int16(0), 1);
  EXPECT_EQ(a.int16(1), 32767);
  EXPECT_EQ(a.int16(2), -32768);
  // read_npy8 keeps to 8 bits.
  try {
    hmasim::read_npy8(file);
    ADD_FAILURE();
  } catch (const hmasim::NpyError& e) {
    EXPECT_CONTAINS(std::string(e.what()), "elements of type '<i2'");
  }
}

}  // namespace
