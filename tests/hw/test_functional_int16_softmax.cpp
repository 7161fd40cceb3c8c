// Functional mode on 16-bit layers and softmax (hw/units/functional_datapath with
// hw/functional/int16_kernels and softmax): a small int16 conv / pool / residual add / fc network
// computes logits equal to the independent reference's bit for bit, with generated weights and
// with an int16 weights file, also with kernel-group tiles; a sign bit flipped in one stored int16
// weight changes the answers as the reference computes them with that weight; the trained digits
// CNN with a softmax layer (and the int16 network with one) equals the reference, and its softmax
// rows sum to about 127 and keep the logits' argmax.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/platform_file.hpp"
#include "hw/accelerator.hpp"
#include "workloads/npy_file.hpp"
#include "workloads/reference_inference.hpp"
#include "workloads/weight_encoding.hpp"
#include "workloads/weights_file.hpp"

namespace hmasim {
namespace {

const std::string kRoot = HMASIM_SOURCE_DIR;

// 8 x 8 x 2 int16 images through two convolutions, both poolings, a residual add and an fc.
const char* kSmall16 = R"(name: small16
input: {h: 8, w: 8, c: 2}
precision: 16
defaults:
  bias: true
layers:
  - {name: conv1, type: conv, k: 8, r: 3, padding: 1}
  - {name: pool1, type: pool, mode: max, r: 2}
  - {name: conv2, type: conv, k: 16, r: 3, padding: 1}
  - {name: conv3, type: conv, k: 16, r: 1}
  - {name: add, type: eltwise, inputs: [conv2, conv3]}
  - {name: pool2, type: pool, mode: avg, r: 2}
  - {name: fc1, type: fc, k: 10}
)";

struct Sim {
  PlatformConfig platform;
  Network net;
  std::optional<WeightsFile> weights;
  FunctionalInputs images;
  EnergyLedger ledger;
  std::unique_ptr<Accelerator> acc;

  // `count` images: int16 values 0..32767 (16-bit networks) or the digits test images (int8).
  Sim(Network network, std::optional<WeightsFile> file, std::uint64_t count,
      const std::vector<std::string>& overrides = {})
      : net(std::move(network)), weights(std::move(file)) {
    ConfigDocument::set_preset_directory(kRoot + "/platforms/presets");
    platform = load_platform(kRoot + "/platforms/nvdla64-lpddr4.yaml", overrides);
    images.shape = *net.input;
    images.count = count;
    const std::uint64_t n = count * images.shape.elements();
    if (net.layers.front().precision > 8) {
      images.element_bytes = 2;
      std::uint64_t z = 12345;
      for (std::uint64_t i = 0; i < n; ++i) {
        z = z * 6364136223846793005ULL + 1442695040888963407ULL;
        images.values.push_back(static_cast<std::int16_t>((z >> 33) & 0x7fff));
      }
    } else {
      const Npy8Array test = read_npy8(kRoot + "/data/digits/test-images.npy");
      for (std::uint64_t i = 0; i < n; ++i) images.values.push_back(test.int8(i));
    }
    RunOptions options;
    options.frames = static_cast<std::uint32_t>(count);
    options.weights = weights ? &*weights : nullptr;
    options.functional = &images;
    acc = std::make_unique<Accelerator>("acc", platform.memories, *platform.accelerator, net,
                                        options, ledger);
  }
  void run() {
    sc_core::sc_start();
    ASSERT_TRUE(acc->finished()) << acc->error();
  }
  IntTensor image(std::uint64_t i) const {
    const std::uint64_t n = images.shape.elements();
    return IntTensor{images.shape, std::vector<std::int32_t>(images.values.begin() + i * n,
                                                             images.values.begin() + (i + 1) * n)};
  }
  // The network as stored, with the datapath's arithmetic (synthetic for generated weights).
  WeightsFile stored() {
    std::vector<const StoredWeights*> s;
    for (const StoredWeights& w : acc->stored_weights()) s.push_back(&w);
    return acc->functional()->stored_network(s);
  }
};

// int16 weights uniform in -2000..2000 (a fixed LCG), zero-ish biases, a shift per layer that
// keeps the activations' spread (14 + log2 of the kernels' L2 norm), ReLU but on the logits.
WeightsFile int16_weights(const Network& net) {
  WeightsFile f;
  f.file = "int16.weights";
  std::uint64_t z = 99;
  for (const Layer& l : net.layers) {
    if (!l.has_weights()) continue;
    LayerWeights w;
    w.name = l.name;
    for (std::uint64_t i = 0; i < l.weights; ++i) {
      z = z * 6364136223846793005ULL + 1442695040888963407ULL;
      w.weights16.push_back(
          static_cast<std::int16_t>(static_cast<std::int64_t>((z >> 33) % 4001) - 2000));
    }
    const double norm = 1155.0 * std::sqrt(static_cast<double>(l.weights / l.out.c));
    for (std::uint64_t k = 0; k < l.out.c; ++k)
      w.bias.push_back(static_cast<std::int32_t>(k) * 1000 - 4000);
    w.relu = l.name != "fc1";
    w.scales = {{1 << 14, 14 + static_cast<std::int32_t>(std::lround(std::log2(norm)))}};
    f.layers.push_back(std::move(w));
  }
  return f;
}

// Runs the simulation; expects every inference's logits to equal `reference`'s; returns them.
std::vector<std::vector<std::int32_t>> expect_equal_to_reference(Sim& sim,
                                                                 const WeightsFile& file) {
  sim.run();
  const ReferenceInference reference(sim.net, file);
  std::vector<std::vector<std::int32_t>> all;
  for (const InferenceResult& r : sim.acc->functional()->results()) {
    EXPECT_EQ(r.logits, reference.run(sim.image(r.image)).values) << "image " << r.image;
    all.push_back(r.logits);
  }
  EXPECT_EQ(all.size(), sim.images.count);
  return all;
}

// Not all logits equal, nor all saturated: the network computes something.
void expect_spread(const std::vector<std::vector<std::int32_t>>& logits, std::int32_t limit) {
  std::size_t distinct = 0, saturated = 0, total = 0;
  for (const auto& l : logits) {
    distinct += std::set<std::int32_t>(l.begin(), l.end()).size() > 1;
    for (const std::int32_t v : l) saturated += v == limit || v == -limit - 1, ++total;
  }
  EXPECT_EQ(distinct, logits.size());
  EXPECT_LT(saturated, total / 2);
}

TEST(functionalInt16, GeneratedWeightsGiveTheReferencesLogitsExactly) {
  Sim sim(load_network_text(kSmall16, "small16.yaml"), std::nullopt, 6);
  const WeightsFile stored = sim.stored();
  ASSERT_FALSE(stored.find("conv1")->weights16.empty());
  expect_spread(expect_equal_to_reference(sim, stored), 32767);
}

TEST(functionalInt16, AnInt16WeightsFileGivesTheReferencesLogitsExactly) {
  const Network net = load_network_text(kSmall16, "small16.yaml");
  // Through the file format: int16 records written and read back.
  const std::string path =
      ::testing::TempDir() + "/functional_int16_" + std::to_string(::getpid()) + ".weights";
  write_weights_file(path, int16_weights(net));
  const WeightsFile file = read_weights_file(path);
  check_weights_file(file, net);
  Sim sim(net, file, 6);
  expect_spread(expect_equal_to_reference(sim, file), 32767);
}

TEST(functionalInt16, KernelGroupTilesKeepInt16ValuesExact) {
  // 64 kernels of conv2 and conv3: 9 KiB of int16 weights, streamed by kernel group.
  std::string yaml = kSmall16;
  for (std::size_t at; (at = yaml.find("k: 16")) != std::string::npos;)
    yaml.replace(at, 5, "k: 64");
  const Network net = load_network_text(yaml, "small16-wide.yaml");
  const WeightsFile file = int16_weights(net);
  Sim sim(net, file, 4, {"accelerator.cbuf.size=4KiB"});
  bool grouped = false;
  for (const LayerProgram& p : sim.acc->programs()) {
    grouped = grouped || (p.plan.tiles.size() > 1 && p.plan.tiles[0].kernels.end < p.work.kernels);
  }
  ASSERT_TRUE(grouped) << "the small CBUF no longer splits any layer by kernels";
  expect_equal_to_reference(sim, file);
}

TEST(functionalInt16, AFlippedSignBitInOneStoredInt16WeightActsAsInTheReference) {
  const Network net = load_network_text(kSmall16, "small16.yaml");
  const WeightsFile file = int16_weights(net);
  Sim sim(net, file, 6);
  std::size_t conv2 = 0;
  while (sim.net.layers[conv2].name != "conv2") ++conv2;
  const StoredWeights& stored = sim.acc->stored_weights()[conv2];
  const Region& region = sim.acc->placement().weights[conv2];
  const EncodedStructure& values = stored.layout.require(StructureKind::values);
  ASSERT_EQ(values.element_bits, 16u);
  std::size_t k = 0;
  while (&stored.layout.structures[k] != &values) ++k;
  // The high byte of a stored int16 value from the 37th on (past any channel padding of the
  // layout): its bit 7 is the value's sign bit.
  const std::vector<std::int16_t> clean =
      decode_layer(sim.net.layers[conv2], stored.layout).weights16;
  std::uint64_t byte = 2 * 37 + 1;
  EncodedLayer flipped = stored.layout;
  std::vector<std::int16_t> changed;
  for (; byte < values.bytes.size(); byte += 2) {
    flipped.structures[k].bytes[byte] = values.bytes[byte] ^ 0x80;
    changed = decode_layer(sim.net.layers[conv2], flipped).weights16;
    if (changed != clean) break;
    flipped.structures[k].bytes[byte] = values.bytes[byte];
  }
  ASSERT_LT(byte, values.bytes.size());
  const std::uint8_t b = flipped.structures[k].bytes[byte];
  ASSERT_TRUE(sim.acc->memories()[region.memory]->debug_write(
      region.offset + stored.offsets[k] + byte, &b, 1));
  WeightsFile flipped_file = file;
  for (LayerWeights& l : flipped_file.layers) {
    if (l.name != "conv2") continue;
    ASSERT_EQ(l.weights16.size(), changed.size());
    std::size_t differ = 0;
    for (std::size_t i = 0; i < changed.size(); ++i) {
      differ += changed[i] != l.weights16[i];
      if (changed[i] != l.weights16[i]) {
        EXPECT_EQ(static_cast<std::uint16_t>(changed[i] ^ l.weights16[i]), 0x8000u);
      }
    }
    EXPECT_EQ(differ, 1u);
    l.weights16 = changed;
  }
  sim.run();
  const ReferenceInference original(sim.net, file);
  const ReferenceInference reference(sim.net, flipped_file);
  std::size_t differing = 0;
  for (const InferenceResult& r : sim.acc->functional()->results()) {
    const std::vector<std::int32_t> expected = reference.run(sim.image(r.image)).values;
    EXPECT_EQ(r.logits, expected) << "image " << r.image;
    differing += expected != original.run(sim.image(r.image)).values;
  }
  EXPECT_GT(differing, 0u) << "the flipped weight changes no answer: pick another byte";
}

// Softmax rows: about q in sum (each output rounds by at most 1/2), the logits' argmax keeps the
// largest output.
void expect_softmax_rows(const std::vector<std::int32_t>& logits,
                         const std::vector<std::int32_t>& prob, std::int32_t q) {
  ASSERT_EQ(logits.size(), prob.size());
  std::int64_t sum = 0;
  for (const std::int32_t p : prob) {
    EXPECT_GE(p, 0);
    EXPECT_LE(p, q);
    sum += p;
  }
  EXPECT_LE(std::abs(sum - q), static_cast<std::int64_t>(prob.size() / 2 + 1));
  const auto top = std::max_element(logits.begin(), logits.end()) - logits.begin();
  EXPECT_EQ(prob[static_cast<std::size_t>(top)], *std::max_element(prob.begin(), prob.end()));
}

TEST(functionalSoftmax, TheDigitsCnnWithASoftmaxEqualsTheReferenceAndKeepsItsArgmax) {
  std::string yaml = R"(name: digits-softmax
input: {h: 8, w: 8, c: 1}
defaults:
  bias: true
layers:
  - {name: conv1, type: conv, k: 16, r: 3, padding: 1}
  - {name: conv2, type: conv, k: 32, r: 3, padding: 1}
  - {name: pool1, type: pool, mode: max, r: 2}
  - {name: conv3, type: conv, k: 32, r: 3, padding: 1}
  - {name: pool2, type: pool, mode: avg, r: 2}
  - {name: fc1, type: fc, k: 64}
  - {name: fc2, type: fc, k: 10}
  - {name: prob, type: softmax}
)";
  const WeightsFile file = read_weights_file(kRoot + "/data/digits/digits-cnn.weights");
  Sim sim(load_network_text(yaml, "digits-softmax.yaml"), file, 40);
  const ReferenceInference reference(sim.net, file);
  sim.run();
  const Npy8Array labels = read_npy8(kRoot + "/data/digits/test-labels.npy");
  std::size_t right = 0;
  for (const InferenceResult& r : sim.acc->functional()->results()) {
    const std::vector<IntTensor> all = reference.run_all(sim.image(r.image));
    EXPECT_EQ(r.logits, all.back().values) << "image " << r.image;
    expect_softmax_rows(all[all.size() - 2].values, r.logits, 127);
    right += static_cast<std::size_t>(std::max_element(r.logits.begin(), r.logits.end()) -
                                      r.logits.begin()) == labels.bytes[r.image];
  }
  EXPECT_GE(right, 38u);  // the digits CNN's 98.9%, on 40 images
}

TEST(functionalSoftmax, AnInt16NetworkEndingInSoftmaxEqualsTheReference) {
  const std::string yaml = std::string(kSmall16) + "  - {name: prob, type: softmax}\n";
  const Network net = load_network_text(yaml, "small16-softmax.yaml");
  WeightsFile file = int16_weights(net);
  LayerWeights prob;  // the logits' real scale: 1 / 2^10
  prob.name = "prob";
  prob.scales = {{1, 10}};
  file.layers.push_back(prob);
  check_weights_file(file, net);
  Sim sim(net, file, 6);
  sim.run();
  const ReferenceInference reference(sim.net, file);
  for (const InferenceResult& r : sim.acc->functional()->results()) {
    const std::vector<IntTensor> all = reference.run_all(sim.image(r.image));
    EXPECT_EQ(r.logits, all.back().values) << "image " << r.image;
    expect_softmax_rows(all[all.size() - 2].values, r.logits, 32767);
  }
}

}  // namespace
}  // namespace hmasim
