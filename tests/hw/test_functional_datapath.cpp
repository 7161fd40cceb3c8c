// The units computing the trained digits CNN in functional mode (hw/units/functional_datapath):
// logits bit for bit equal to the independent reference and to the NumPy script's, also when a
// small CBUF cuts layers into kernel-group tiles (outputs laid out block by block) and partial
// DMA units; and a sign bit flipped in one stored weight changes the answers exactly as the
// reference computes them with that weight flipped.
#include <gtest/gtest.h>

#include <memory>
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

struct DigitsSim {
  PlatformConfig platform;
  Network net;
  WeightsFile weights;
  FunctionalInputs images;
  EnergyLedger ledger;
  std::unique_ptr<Accelerator> acc;

  DigitsSim(std::uint64_t count, const std::vector<std::string>& overrides) {
    ConfigDocument::set_preset_directory(kRoot + "/platforms/presets");
    platform = load_platform(kRoot + "/platforms/nvdla64-lpddr4.yaml", overrides);
    net = load_network(kRoot + "/workloads/networks/digits-cnn.yaml", {});
    weights = read_weights_file(kRoot + "/data/digits/digits-cnn.weights");
    const Npy8Array test = read_npy8(kRoot + "/data/digits/test-images.npy");
    images.shape = *net.input;
    images.count = count;
    for (std::uint64_t i = 0; i < count * images.shape.elements(); ++i) {
      images.values.push_back(test.int8(i));
    }
    RunOptions options;
    options.frames = static_cast<std::uint32_t>(count);
    options.weights = &weights;
    options.functional = &images;
    acc = std::make_unique<Accelerator>("acc", platform.memories, *platform.accelerator, net,
                                        options, ledger);
  }
  void run() {
    sc_core::sc_start();
    ASSERT_TRUE(acc->finished()) << acc->error();
  }
  Int8Tensor image(std::uint64_t i) const {
    const std::uint64_t n = images.shape.elements();
    Int8Tensor t{images.shape, std::vector<std::int8_t>(n)};
    for (std::uint64_t k = 0; k < n; ++k)
      t.values[k] = static_cast<std::int8_t>(images.values[i * n + k]);
    return t;
  }
};

std::vector<std::int32_t> wide(const std::vector<std::int8_t>& v) {
  return std::vector<std::int32_t>(v.begin(), v.end());
}

void expect_reference_logits(DigitsSim& sim) {
  sim.run();
  const ReferenceInference reference(sim.net, sim.weights);
  const Npy8Array script = read_npy8(kRoot + "/data/digits/digits-cnn-logits.npy");
  const auto& results = sim.acc->functional()->results();
  ASSERT_EQ(results.size(), 40u);
  for (const InferenceResult& r : results) {
    EXPECT_EQ(r.logits, wide(reference.run(sim.image(r.image)).values)) << "image " << r.image;
    for (std::size_t k = 0; k < 10; ++k) {
      EXPECT_EQ(r.logits[k], script.int8(r.image * 10 + k)) << "image " << r.image;
    }
  }
}

TEST(functionalDatapath, DigitsLogitsEqualTheReferenceAndTheScriptBitForBit) {
  DigitsSim sim(40, {});
  expect_reference_logits(sim);
}

TEST(functionalDatapath, KernelGroupTilesAndPartialDmaUnitsKeepTheValuesExact) {
  // 8 KiB of CBUF: conv3 and fc1 stream their weights by kernel group, so their outputs are
  // written block by block and in DMA units shared by two blocks.
  DigitsSim sim(40, {"accelerator.cbuf.size=8KiB"});
  bool grouped = false;
  for (const LayerProgram& p : sim.acc->programs()) {
    grouped = grouped || (p.plan.tiles.size() > 1 && p.plan.tiles[0].kernels.end < p.work.kernels);
  }
  ASSERT_TRUE(grouped) << "the small CBUF no longer splits any layer by kernels";
  expect_reference_logits(sim);
}

TEST(functionalDatapath, AFlippedSignBitInOneStoredWeightActsAsInTheReference) {
  DigitsSim sim(20, {});
  const Network& net = sim.net;
  std::size_t conv2 = 0;
  while (net.layers[conv2].name != "conv2") ++conv2;
  const StoredWeights& stored = sim.acc->stored_weights()[conv2];
  const Region& region = sim.acc->placement().weights[conv2];
  const EncodedStructure& values = stored.layout.require(StructureKind::values);
  std::size_t k = 0;
  while (&stored.layout.structures[k] != &values) ++k;
  // The 37th stored value byte, sign bit flipped, in the memory that holds it.
  const std::uint64_t byte = 37;
  std::uint8_t b = values.bytes[byte] ^ 0x80;
  ASSERT_TRUE(sim.acc->memories()[region.memory]->debug_write(
      region.offset + stored.offsets[k] + byte, &b, 1));
  // The reference computes with the weight that byte decodes to.
  EncodedLayer flipped = stored.layout;
  flipped.structures[k].bytes[byte] = b;
  const std::vector<std::int8_t> changed = decode_layer(net.layers[conv2], flipped).weights;
  WeightsFile flipped_file = sim.weights;
  for (LayerWeights& l : flipped_file.layers) {
    if (l.name == "conv2") {
      ASSERT_NE(l.weights, changed);
      l.weights = changed;
    }
  }
  sim.run();
  const ReferenceInference original(net, sim.weights);
  const ReferenceInference reference(net, flipped_file);
  std::size_t differing = 0;
  for (const InferenceResult& r : sim.acc->functional()->results()) {
    const std::vector<std::int8_t> expected = reference.run(sim.image(r.image)).values;
    EXPECT_EQ(r.logits, wide(expected)) << "image " << r.image;
    differing += expected != original.run(sim.image(r.image)).values;
  }
  EXPECT_GT(differing, 0u) << "the flipped weight changes no answer: pick another byte";
}

}  // namespace
}  // namespace hmasim
