// Simulations of single layers on the accelerator with ideal memories: the datapath's cycle
// counts and the memory bound come out of the simulation and are checked against figures worked
// out here from the platform's parameters.
#include <gtest/gtest.h>

#include "hw/ideal_sim.hpp"

namespace hmasim {
namespace {

using test::IdealSim;

TEST(Accelerator, ConvLayerTakesItsAtomicOperationsPlusPipelineFill) {
  IdealSim s(R"(name: one
input: {h: 28, w: 28, c: 64}
layers:
  - {name: conv, type: conv, k: 64, r: 3, padding: 1}
)",
             {});
  const MacArrayConfig& mac = s.platform.accelerator->mac;
  ASSERT_EQ(s.acc->records().size(), 1u);
  const LayerRecord& r = s.acc->records()[0];
  // 784 output positions in stripes of 32 (the last of 16 still costs the 16-cycle minimum);
  // one stripe set per kernel group (64/32), channel operation (64/32) and (r, s) (9).
  const std::uint64_t positions = 28 * 28;
  const std::uint64_t full = positions / mac.stripe_max_ops;
  const std::uint64_t rest = positions % mac.stripe_max_ops;
  const std::uint64_t stripe =
      full * mac.stripe_max_ops + std::max<std::uint64_t>(rest, mac.stripe_min_cycles);
  const std::uint64_t passes = (64 / mac.atomic_k) * (64 / mac.atomic_c) * 9;
  const std::uint64_t expected = passes * stripe + mac.pipeline_fill.value();
  EXPECT_EQ(r.tiles, 1u);
  EXPECT_EQ(r.busy_cycles.value(), expected);
  EXPECT_EQ((r.compute_end - r.compute_start).value(), expected * 1000);  // 1 GHz: 1000 ps
  EXPECT_EQ(r.atomic_ops, passes * positions);
  // The rest of the layer is fetching before and writing back after, at no more than the time
  // its bytes take at the SRAM / DRAM bandwidth (25 GB/s: 25 B per cycle) plus the latencies.
  const std::uint64_t bytes = 2 * 28 * 28 * 64 + 64 * 64 * 9;
  EXPECT_GT(r.cycles.value(), expected);
  EXPECT_LT(r.cycles.value(), expected + bytes / 25 + 500);
}

TEST(Accelerator, BandwidthStarvedLayerTakesBytesOverBandwidth) {
  // 16 MiB of weights through a 1 GB/s DRAM; the compute needs only ~0.26 ms of 16.8 ms.
  IdealSim s(R"(name: fc
input: {h: 1, w: 1, c: 4096}
layers:
  - {name: fc, type: fc, k: 4096}
)",
             {"memories.dram.bandwidth=1GB/s"});
  const LayerRecord& r = s.acc->records()[0];
  const double bytes = static_cast<double>(s.acc->placement().weights[0].bytes);
  const double expected_s = bytes / 1e9;
  EXPECT_TRUE(r.memory_bound());
  EXPECT_NEAR(to_seconds(r.end - r.start), expected_s, 0.05 * expected_s);
}

TEST(Accelerator, WeightsAreProgrammedAsRealBytes) {
  IdealSim s(R"(name: one
input: {h: 8, w: 8, c: 32}
layers:
  - {name: conv, type: conv, k: 32, r: 1, sparsity: 0.5}
)",
             {});
  const Region& w = s.acc->placement().weights[0];
  std::vector<std::uint8_t> bytes(w.bytes);
  ASSERT_TRUE(s.acc->memories()[w.memory]->debug_read(w.offset, bytes.data(), bytes.size()));
  std::uint64_t zeros = 0;
  for (std::uint8_t b : bytes) zeros += b == 0;
  EXPECT_EQ(zeros, 32u * 32 / 2);  // exactly the configured sparsity, as stored
}

}  // namespace
}  // namespace hmasim
