// SDP fusion (hw/sdp_fusion.hpp): which convolution / element-wise pairs fuse, and what a fused
// pair reads and writes.
#include <gtest/gtest.h>

#include "hw/placement.hpp"
#include "hw/sdp_fusion.hpp"

namespace hmasim {
namespace {

// Programs as plan_layers would unit them (find_fusions needs nothing else).
std::vector<LayerProgram> programs_of(const Network& net) {
  std::vector<LayerProgram> out(net.layers.size());
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    out[i].layer = &net.layers[i];
    const LayerType t = net.layers[i].type;
    out[i].unit = t == LayerType::eltwise ? LayerProgram::Unit::eltwise
                  : t == LayerType::pool  ? LayerProgram::Unit::pool
                                          : LayerProgram::Unit::conv;
  }
  return out;
}

std::vector<FusedEltwise> fusions(const std::string& layers) {
  static std::vector<Network> keep;  // the programs point into the network
  keep.push_back(
      load_network_text("name: n\ninput: {h: 8, w: 8, c: 16}\nlayers:\n" + layers, "n.yaml"));
  return find_fusions(keep.back(), programs_of(keep.back()));
}

TEST(SdpFusion, ConvolutionFusesTheAddRightAfterItAndReadsTheOtherOperand) {
  const auto f = fusions(
      "  - {name: a, type: conv, k: 16, r: 3, padding: 1}\n"
      "  - {name: b, type: conv, k: 16, r: 3, padding: 1}\n"
      "  - {name: sum, type: eltwise, inputs: [b, a]}\n"
      "  - {name: c, type: conv, k: 16, r: 1}\n"
      "  - {name: d, type: conv, k: 16, r: 1}\n"
      "  - {name: sum2, type: eltwise, inputs: [sum, d]}\n");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].conv, 1u);  // b: a is read by b and sum, so a writes its map
  EXPECT_EQ(f[0].eltwise, 2u);
  EXPECT_EQ(f[0].operand, 1u);  // the SDP reads a
  EXPECT_EQ(f[1].conv, 4u);
  EXPECT_EQ(f[1].eltwise, 5u);
  EXPECT_EQ(f[1].operand, 0u);  // ... and here sum
}

TEST(SdpFusion, NoFusionWhereTheConvolutionsOutputIsNeededOrTheShapesDiffer) {
  // b's map is read by c as well.
  EXPECT_TRUE(fusions("  - {name: a, type: conv, k: 16, r: 1}\n"
                      "  - {name: b, type: conv, k: 16, r: 1}\n"
                      "  - {name: sum, type: eltwise, inputs: [b, a]}\n"
                      "  - {name: c, type: conv, k: 16, r: 1, input: b}\n")
                  .empty());
  // x + x; a pooling layer between; the add not right after the convolution.
  EXPECT_TRUE(fusions("  - {name: a, type: conv, k: 16, r: 1}\n"
                      "  - {name: sum, type: eltwise, inputs: [a, a]}\n")
                  .empty());
  EXPECT_TRUE(fusions("  - {name: a, type: conv, k: 16, r: 1}\n"
                      "  - {name: p, type: pool, r: 1}\n"
                      "  - {name: sum, type: eltwise, inputs: [p, a]}\n")
                  .empty());
  // The operand has fewer channels (zero-extended): the SDP reads no block of the output's shape.
  EXPECT_TRUE(fusions("  - {name: a, type: conv, k: 8, r: 1}\n"
                      "  - {name: b, type: conv, k: 16, r: 1}\n"
                      "  - {name: sum, type: eltwise, inputs: [b, a], pad_channels: true}\n")
                  .empty());
}

TEST(SdpFusion, AVetoedPairStaysUnfusedAndAppliedPairsRedirectTheRegions) {
  const Network net = load_network_text(
      "name: n\ninput: {h: 8, w: 8, c: 16}\nlayers:\n"
      "  - {name: a, type: conv, k: 16, r: 1}\n"
      "  - {name: b, type: conv, k: 16, r: 1}\n"
      "  - {name: sum, type: eltwise, inputs: [a, b]}\n",
      "n.yaml");
  std::vector<LayerProgram> p = programs_of(net);
  EXPECT_TRUE(find_fusions(net, p, [](std::size_t, std::size_t) { return false; }).empty());
  const auto pairs = find_fusions(net, p);
  ASSERT_EQ(pairs.size(), 1u);
  p[2].input_regions = {Region{1, 4096, 1024}, Region{1, 0, 1024}};
  p[2].output = Region{0, 8192, 1024};
  apply_fusions(p, pairs);
  EXPECT_EQ(p[1].fused_eltwise, &net.layers[2]);
  EXPECT_EQ(p[1].residual.offset, 4096u);  // a's map, the add's first input
  EXPECT_EQ(p[1].output.memory, 0u);
  EXPECT_EQ(p[1].output.offset, 8192u);  // b writes the sum
  EXPECT_TRUE(p[2].fused);
  EXPECT_FALSE(p[0].fused_eltwise || p[0].fused);
}

// A fused convolution's map gets no region, and its input stays allocated until the add (which
// the convolution computes while reading it) has run: unfused, the add's map reuses that input's
// space.
TEST(SdpFusion, PlacementGivesTheFusedMapNoRegionAndKeepsTheConvolutionsInputLive) {
  const Network net = load_network_text(
      "name: n\ninput: {h: 8, w: 8, c: 16}\nlayers:\n"
      "  - {name: a, type: conv, k: 16, r: 1}\n"
      "  - {name: b, type: conv, k: 16, r: 1}\n"
      "  - {name: c, type: conv, k: 16, r: 1}\n"
      "  - {name: sum, type: eltwise, inputs: [c, a]}\n",
      "n.yaml");
  const std::vector<std::uint64_t> weights(4, 0);
  const PlacementConfig cfg{"dram", "sram", "", "", "", ""};
  const std::vector<MemoryInfo> memories{{"dram", 1 << 20}, {"sram", 64 << 10}};
  const auto overlaps = [](const Region& x, const Region& y) {
    return x.memory == y.memory && x.offset < y.offset + y.bytes && y.offset < x.offset + x.bytes;
  };
  const Placement plain = place_network(net, weights, cfg, memories);
  EXPECT_TRUE(overlaps(plain.outputs[3], plain.outputs[1]));  // b is dead once c ran
  PlaceOptions options;
  options.fused_output = {false, false, true, false};
  const Placement fused = place_network(net, weights, cfg, memories, options);
  EXPECT_EQ(fused.outputs[2].bytes, 0u);
  EXPECT_EQ(fused.outputs[3].bytes, 1024u);
  EXPECT_FALSE(overlaps(fused.outputs[3], fused.outputs[1]));  // c reads b while writing sum
  EXPECT_FALSE(overlaps(fused.outputs[3], fused.outputs[0]));
  EXPECT_LE(fused.activation_peak_per_memory[1], plain.activation_peak_per_memory[1]);
}

}  // namespace
}  // namespace hmasim
