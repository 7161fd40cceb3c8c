#include <gtest/gtest.h>

#include "hw/placement.hpp"

namespace hmasim {
namespace {

const char* kNet = R"(name: three
input: {h: 32, w: 32, c: 16}
layers:
  - {name: a, type: conv, k: 16, r: 3, padding: 1}
  - {name: b, type: conv, k: 16, r: 3, padding: 1}
  - {name: sum, type: eltwise, inputs: [a, b]}
  - {name: c, type: conv, k: 16, r: 3, padding: 1}
)";

std::vector<std::uint64_t> weights_of(const Network& n) {
  std::vector<std::uint64_t> w;
  for (const Layer& l : n.layers) w.push_back(l.weights);
  return w;
}

TEST(Placement, ReusesActivationRegionsAfterTheirLastReader) {
  const Network net = load_network_text(kNet, "three.yaml");
  PlacementConfig cfg{"dram", "sram", "", "", "", ""};
  const Placement p =
      place_network(net, weights_of(net), cfg, {{"dram", 1 << 20}, {"sram", 64 << 10}});
  // Each map is 16 KiB. `a` is read by `sum`, so it must not share space with b or sum.
  const auto overlaps = [](const Region& x, const Region& y) {
    return x.memory == y.memory && x.offset < y.offset + y.bytes && y.offset < x.offset + x.bytes;
  };
  EXPECT_FALSE(overlaps(p.outputs[0], p.outputs[1]));
  EXPECT_FALSE(overlaps(p.outputs[0], p.outputs[2]));
  EXPECT_FALSE(overlaps(p.outputs[1], p.outputs[2]));
  EXPECT_FALSE(overlaps(p.outputs[2], p.outputs[3]));
  // `a` and `b` are dead once `sum` ran: `c` reuses one of their regions.
  EXPECT_TRUE(overlaps(p.outputs[3], p.outputs[0]) || overlaps(p.outputs[3], p.outputs[1]) ||
              overlaps(p.outputs[3], p.input));
  for (const Region& r : p.outputs) EXPECT_EQ(r.memory, 1u);
  // Weights in dram, one after another.
  EXPECT_EQ(p.weights[0].memory, 0u);
  EXPECT_EQ(p.weights[1].offset, 2304u);  // 16 x 16 x 9 B, already a multiple of 256 B
}

TEST(Placement, WeightsThatDoNotFitNameTheMemoryAndShortfall) {
  const Network net = load_network_text(kNet, "three.yaml");
  PlacementConfig cfg{"sram", "sram", "", "", "", ""};
  try {
    place_network(net, weights_of(net), cfg, {{"dram", 1 << 20}, {"sram", 4096}});
    FAIL() << "expected a PlacementError";
  } catch (const PlacementError& e) {
    const std::string s = e.what();
    EXPECT_NE(s.find("'sram' need 6912 B"), std::string::npos) << s;
    EXPECT_NE(s.find("short by 2816 B"), std::string::npos) << s;
  }
  cfg.weight_overflow = "dram";
  const Placement p =
      place_network(net, weights_of(net), PlacementConfig{"sram", "dram", "", "dram", "", ""},
                    {{"dram", 1 << 20}, {"sram", 4096}});
  EXPECT_EQ(p.weights[0].memory, 1u);
  EXPECT_EQ(p.weights[3].memory, 0u);  // spilled
}

TEST(Placement, ActivationsOverflowOrFail) {
  const Network net = load_network_text(kNet, "three.yaml");
  EXPECT_THROW(place_network(net, weights_of(net), PlacementConfig{"dram", "sram", "", "", "", ""},
                             {{"dram", 1 << 20}, {"sram", 20 << 10}}),
               PlacementError);
  const Placement p =
      place_network(net, weights_of(net), PlacementConfig{"dram", "sram", "dram", "", "", ""},
                    {{"dram", 1 << 20}, {"sram", 20 << 10}});
  bool spilled = false;
  for (const Region& r : p.outputs) spilled = spilled || r.memory == 0;
  EXPECT_TRUE(spilled);
}

}  // namespace
}  // namespace hmasim
