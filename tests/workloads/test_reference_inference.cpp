// The plain integer reference (workloads/reference_inference.hpp): its arithmetic on cases worked
// by hand (requantisation rounding, padding, stride, groups, fc's flattening order, pooling,
// saturation, int16 layers past int32 sums, the integer softmax), and on the trained digits
// networks: the NumPy script's integer logits of all 360 held-out images, bit for bit, and the
// CNN's top-1 accuracy of at least 95%.
#include <gtest/gtest.h>

#include <string>

#include "workloads/network.hpp"
#include "workloads/npy_file.hpp"
#include "workloads/reference_inference.hpp"

namespace {

using hmasim::Int8Tensor;
using hmasim::LayerWeights;
using hmasim::ReferenceInference;
using hmasim::Requantisation;
using hmasim::WeightsFile;

const std::string kRoot = HMASIM_SOURCE_DIR;

// A weights file of one layer with unit requantisation (multiplier 1, shift 0: y = acc).
WeightsFile one_layer(const std::string& name, std::vector<std::int8_t> w,
                      std::vector<std::int32_t> bias = {}) {
  LayerWeights l;
  l.name = name;
  l.weights = std::move(w);
  l.bias = std::move(bias);
  l.scales = {Requantisation{1, 0}};
  WeightsFile f;
  f.file = "test.weights";
  f.layers = {l};
  return f;
}

Int8Tensor tensor(hmasim::Shape s, std::vector<std::int8_t> v) {
  return Int8Tensor{s, std::move(v)};
}

TEST(referenceInference, RequantisationRoundsHalfUpAndSaturates) {
  using hmasim::reference_requantise;
  const Requantisation half{1, 1};
  EXPECT_EQ(reference_requantise(5, half, false), 3);    // 2.5 -> 3
  EXPECT_EQ(reference_requantise(-5, half, false), -2);  // -2.5 -> -2 (half up, floor)
  EXPECT_EQ(reference_requantise(-6, half, false), -3);
  EXPECT_EQ(reference_requantise(-7, half, false), -3);  // -3.5 -> -3
  EXPECT_EQ(reference_requantise(-7, half, true), 0);
  EXPECT_EQ(reference_requantise(1000, Requantisation{3, 2}, false), 127);  // 750 saturates
  EXPECT_EQ(reference_requantise(-1000, Requantisation{3, 2}, false), -128);
  EXPECT_EQ(reference_requantise(-9, Requantisation{7, 0}, false), -63);
  // 2^33 x (2^31 - 1) needs more than 64 bits before the shift: 63.99999997 rounds to 64.
  EXPECT_EQ(reference_requantise(std::int64_t{1} << 33, Requantisation{2147483647, 58}, false), 64);
  EXPECT_EQ(reference_requantise(100, Requantisation{20000, 14}, false), 122);  // 122.07
}

TEST(referenceInference, ConvolutionWithPaddingStrideAndBias) {
  // 3x3 input of one channel, a 2x2 kernel, padding 1, stride 2: outputs at (-1,-1), (-1,1), ...
  const hmasim::Network net = hmasim::load_network_text(
      "input: {h: 3, w: 3, c: 1}\nlayers:\n"
      "  - {name: c, type: conv, k: 1, r: 2, stride: 2, padding: 1, bias: true}\n",
      "conv.yaml");
  ASSERT_EQ(net.layers[0].out, (hmasim::Shape{2, 2, 1}));
  // in = 1 2 3 / 4 5 6 / 7 8 9; w = [[1, 2], [3, 4]] ([r][s]); bias 10.
  const ReferenceInference ref(net, one_layer("c", {1, 2, 3, 4}, {10}));
  const Int8Tensor out = ref.run(tensor({3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9}));
  // (0,0): only in(0,0) x w(1,1) = 4; (0,1): in(0,1) x 3 + in(0,2) x 4 = 6 + 12;
  // (1,0): in(1,0) x 2 + in(2,0) x 4 = 8 + 28; (1,1): 5 + 12 + 24 + 36.
  EXPECT_EQ(out.values, (std::vector<std::int8_t>{14, 28, 46, 87}));
}

TEST(referenceInference, GroupsReadTheirOwnChannels) {
  // 1x1 grouped conv, 4 channels in 2 groups, 2 kernels per group: kernel 0 of group 1 (output
  // channel 2) reads input channels 2 and 3 only.
  const hmasim::Network net = hmasim::load_network_text(
      "input: {h: 1, w: 1, c: 4}\nlayers:\n  - {name: g, type: conv, k: 4, r: 1, groups: 2}\n",
      "groups.yaml");
  const ReferenceInference ref(net, one_layer("g", {1, 0, 0, 1, 1, 1, 2, -1}));
  const Int8Tensor out = ref.run(tensor({1, 1, 4}, {10, 20, 30, 40}));
  EXPECT_EQ(out.values, (std::vector<std::int8_t>{10, 20, 70, 20}));
}

TEST(referenceInference, FullyConnectedReadsChannelRowColumnOrder) {
  // Input 1x2 with 2 channels (HWC: (x0,c0), (x0,c1), (x1,c0), (x1,c1) = 1, 2, 3, 4); weights
  // [c][row][column]: c0x0, c0x1, c1x0, c1x1.
  const hmasim::Network net = hmasim::load_network_text(
      "input: {h: 1, w: 2, c: 2}\nlayers:\n  - {name: f, type: fc, k: 1}\n", "fc.yaml");
  const ReferenceInference ref(net, one_layer("f", {1, 10, 0, 0}));
  EXPECT_EQ(ref.run(tensor({1, 2, 2}, {1, 2, 3, 4})).values, (std::vector<std::int8_t>{31}));
}

TEST(referenceInference, PoolingAndElementWiseAdd) {
  const hmasim::Network net = hmasim::load_network_text(
      "input: {h: 2, w: 2, c: 1}\nlayers:\n"
      "  - {name: avg, type: pool, mode: avg, r: 2}\n"
      "  - {name: maxp, type: pool, mode: max, r: 2, stride: 1, padding: 1, input: input}\n"
      "  - {name: gap, type: pool, mode: avg, global: true, input: input}\n"
      "  - {name: sum, type: eltwise, inputs: [input, input]}\n",
      "pool.yaml");
  const ReferenceInference ref(net, WeightsFile{});
  const auto out = ref.run_all(tensor({2, 2, 1}, {-1, -2, -2, 100}));
  EXPECT_EQ(out[0].values, (std::vector<std::int8_t>{24}));  // floor((95 + 2) / 4)
  // Padding takes no part in a max: the corner windows see one input each.
  EXPECT_EQ(out[1].values, (std::vector<std::int8_t>{-1, -1, -2, -1, 100, 100, -2, 100, 100}));
  EXPECT_EQ(out[2].values, out[0].values);
  EXPECT_EQ(out[3].values, (std::vector<std::int8_t>{-2, -4, -4, 127}));  // 200 saturates
  const auto negative = ref.run_all(tensor({2, 2, 1}, {-1, -2, -2, -2}));
  EXPECT_EQ(negative[0].values, (std::vector<std::int8_t>{-2}));  // floor((-7 + 2) / 4)
}

TEST(referenceInference, RefusesWhatItCannotCompute) {
  const hmasim::Network net = hmasim::load_network_text(
      "input: {h: 1, w: 1, c: 2}\nlayers:\n  - {name: f, type: fc, k: 1}\n", "fc.yaml");
  WeightsFile f = one_layer("f", {1, 2});
  f.layers[0].scales.clear();
  EXPECT_THROW(ReferenceInference(net, f), std::invalid_argument);
  EXPECT_THROW(ReferenceInference(net, WeightsFile{}), hmasim::WeightsFileError);
  const ReferenceInference ok(net, one_layer("f", {1, 2}));
  EXPECT_THROW(ok.run(tensor({1, 1, 3}, {1, 2, 3})), std::invalid_argument);
}

struct DigitsResult {
  std::size_t images = 0, correct = 0, logits_equal = 0;
};

DigitsResult run_digits(const std::string& name) {
  const hmasim::Network net = hmasim::load_network(kRoot + "/workloads/networks/" + name + ".yaml");
  const std::optional<WeightsFile> weights = hmasim::load_network_weights(net, "");
  EXPECT_TRUE(weights.has_value());
  if (!weights) return {};
  const ReferenceInference ref(net, *weights);
  const hmasim::Npy8Array images = hmasim::read_npy8(kRoot + "/data/digits/test-images.npy");
  const hmasim::Npy8Array labels = hmasim::read_npy8(kRoot + "/data/digits/test-labels.npy");
  const hmasim::Npy8Array logits =
      hmasim::read_npy8(kRoot + "/data/digits/" + name + "-logits.npy");
  EXPECT_EQ(logits.shape, (std::vector<std::uint64_t>{360, 10}));
  DigitsResult r;
  for (std::size_t i = 0; i < images.shape[0]; ++i) {
    Int8Tensor in{{8, 8, 1}, std::vector<std::int8_t>(64)};
    for (std::size_t k = 0; k < 64; ++k) in.values[k] = images.int8(i * 64 + k);
    const Int8Tensor out = ref.run(in);
    bool equal = true;
    for (std::size_t k = 0; k < 10; ++k) {
      equal = equal && out.values[k] == logits.int8(i * 10 + k);
    }
    EXPECT_TRUE(equal) << name << " image " << i;
    r.logits_equal += equal;
    r.correct += hmasim::reference_top1(out) == labels.bytes[i];
    ++r.images;
  }
  return r;
}

TEST(referenceInference, DigitsCnnReproducesTheScriptsLogitsAndIsAccurate) {
  const DigitsResult r = run_digits("digits-cnn");
  EXPECT_EQ(r.images, 360u);
  EXPECT_EQ(r.logits_equal, 360u);
  const double top1 = static_cast<double>(r.correct) / static_cast<double>(r.images);
  RecordProperty("top1", std::to_string(top1));
  EXPECT_GE(top1, 0.95);
}

TEST(referenceInference, DigitsMlpReproducesTheScriptsLogits) {
  const DigitsResult r = run_digits("digits-mlp");
  EXPECT_EQ(r.images, 360u);
  EXPECT_EQ(r.logits_equal, 360u);
  EXPECT_GE(static_cast<double>(r.correct) / static_cast<double>(r.images), 0.9);
}

TEST(referenceInference, Int16LayersAccumulateIn64BitsAndSaturateToInt16) {
  // precision 16: int16 weights and activations; 2 x 32767^2 + 2 x 32768^2 is past int32.
  const hmasim::Network net = hmasim::load_network_text(
      "input: {h: 1, w: 1, c: 4}\nprecision: 16\nlayers:\n  - {name: f, type: fc, k: 2}\n"
      "  - {name: p, type: pool, r: 1}\n",
      "fc16.yaml");
  LayerWeights l;
  l.name = "f";
  l.weights16 = {32767, 32767, -32768, -32768, 1, 1, 1, 1};
  l.scales = {Requantisation{1, 16}};
  WeightsFile f;
  f.file = "fc16.weights";
  f.layers = {l};
  const ReferenceInference ref(net, f);
  const hmasim::IntTensor out =
      ref.run(hmasim::IntTensor{{1, 1, 4}, {32767, 32767, -32768, -32768}});
  // (2 x 32767^2 + 2 x 32768^2) / 2^16 = 65534.00003 saturates; 2 x 32767 - 2 x 32768 = -2
  // rounds to 0.
  EXPECT_EQ(out.values, (std::vector<std::int32_t>{32767, 0}));
  f.layers[0].scales = {Requantisation{1, 18}};
  const ReferenceInference ref18(net, f);
  EXPECT_EQ(ref18.run(hmasim::IntTensor{{1, 1, 4}, {32767, 32767, -32768, -32768}}).values,
            (std::vector<std::int32_t>{16384, 0}));  // 4294836226 / 2^18 = 16383.5 -> 16384
  EXPECT_EQ(hmasim::reference_requantise16(-40000, Requantisation{1, 0}, false), -32768);
  // Its int8 form refuses a 16-bit network.
  EXPECT_THROW(ref.run(tensor({1, 1, 4}, {1, 2, 3, 4})), std::invalid_argument);
}

TEST(referenceInference, SoftmaxOverChannelsIsTheDocumentedIntegerSoftmax) {
  const hmasim::Network net = hmasim::load_network_text(
      "input: {h: 1, w: 2, c: 3}\nlayers:\n  - {name: s, type: softmax}\n", "sm.yaml");
  // Without a record: s = 1/16. Position 0 all equal: round(127 / 3) = 42 each.
  const ReferenceInference ref(net, WeightsFile{});
  const Int8Tensor out = ref.run(tensor({1, 2, 3}, {9, 9, 9, 0, 16, 32}));
  EXPECT_EQ(std::vector<std::int8_t>(out.values.begin(), out.values.begin() + 3),
            (std::vector<std::int8_t>{42, 42, 42}));
  // Position 1: e = round(2^15 exp(-2)), round(2^15 exp(-1)), 2^15 = 4435, 12055, 32768; sum
  // 49258: 127 e / sum = 11.43, 31.08, 84.49.
  EXPECT_EQ(std::vector<std::int8_t>(out.values.begin() + 3, out.values.end()),
            (std::vector<std::int8_t>{11, 31, 84}));
  // A record's scale: s = 1/2 sharpens it.
  WeightsFile f;
  f.file = "sm.weights";
  LayerWeights l;
  l.name = "s";
  l.scales = {Requantisation{1, 1}};
  f.layers = {l};
  const Int8Tensor sharp = ReferenceInference(net, f).run(tensor({1, 2, 3}, {9, 9, 9, 0, 16, 32}));
  EXPECT_EQ(std::vector<std::int8_t>(sharp.values.begin() + 3, sharp.values.end()),
            (std::vector<std::int8_t>{0, 0, 127}));
}

}  // namespace
