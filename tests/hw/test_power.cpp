// The power manager between frames on a small platform: an SRAM that holds the weights and is
// powered off between frames loses them, and the reload copies the real bytes back from the
// memory named by power.reload_from, through the DMA, before the next frame.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "app/platform_file.hpp"
#include "hw/accelerator.hpp"

namespace hmasim {
namespace {

// Weights in an SRAM (power-gated between frames, reloaded from an ideal backing memory).
const char* kPlatform = R"(name: power
memories:
  backing:
    model: simple
    capacity: 64MiB
    latency: 100ns
    bandwidth: 4GB/s
  sram:
    preset: sram-22nm
    capacity: 2MiB
    power: {idle: off, reload_from: backing, wake_energy: 1nJ}
interconnect:
  backing: {bandwidth: 1TB/s}
  sram: {bandwidth: 1TB/s}
placement:
  weights: sram
  activations: sram
accelerator:
  clock: 1GHz
  mac: {atomic_c: 32, atomic_k: 32, stripe_max_ops: 32, stripe_min_cycles: 16, pipeline_fill: 32,
        energy_per_mac: 0.29pJ, leakage: 14mW}
  cbuf: {size: 256KiB, banks: 16}
  post: {outputs_per_cycle: 16}
)";

const char* kNetwork = R"(name: two
input: {h: 8, w: 8, c: 64}
layers:
  - {name: a, type: conv, k: 64, r: 3, padding: 1}
  - {name: b, type: conv, k: 64, r: 3, padding: 1}
)";

struct PowerSim {
  PlatformConfig platform;
  Network net;
  EnergyLedger ledger;
  std::unique_ptr<Accelerator> acc;
  PowerSim(const RunOptions& options, const std::vector<std::string>& overrides, bool run = true) {
    ConfigDocument::set_preset_directory(HMASIM_SOURCE_DIR "/platforms/presets");
    platform = load_platform_text(kPlatform, HMASIM_SOURCE_DIR "/platforms/power.yaml", overrides);
    net = load_network_text(kNetwork, "net.yaml");
    acc = std::make_unique<Accelerator>("acc", platform.memories, *platform.accelerator, net,
                                        options, ledger);
    if (!run) return;
    sc_core::sc_start();
    EXPECT_TRUE(acc->finished()) << acc->error();
    acc->finish_power(acc->end_time());
  }
  std::vector<std::uint8_t> bytes(std::size_t layer) const {
    const Region& r = acc->placement().weights[layer];
    std::vector<std::uint8_t> b(r.bytes);
    EXPECT_TRUE(acc->memories()[r.memory]->debug_read(r.offset, b.data(), b.size()));
    return b;
  }
  std::vector<std::uint8_t> stored(std::size_t layer) const {
    // Dense, unencoded weights: one structure.
    return acc->stored_weights()[layer].layout.structures.at(0).bytes;
  }
};

RunOptions at_rate(std::uint32_t frames, Time period) {
  RunOptions o;
  o.frames = frames;
  o.frame_period = period;
  return o;
}

TEST(PowerManager, AnSramOffLosesItsWeightsAndTheReloadBringsTheRealBytesBack) {
  PowerSim s(at_rate(3, nanoseconds(1'000'000)), {}, false);
  MemoryTarget& sram = *s.acc->memories()[1];
  const std::vector<std::uint8_t> weights = s.stored(0);
  ASSERT_EQ(s.bytes(0), weights);
  // Gating it clears what it held: a read after power-on, before any reload, is not the weights.
  sram.power_off(Time(0));
  sram.power_on(Time(1));
  const std::vector<std::uint8_t> lost = s.bytes(0);
  EXPECT_NE(lost, weights);
  EXPECT_EQ(lost, std::vector<std::uint8_t>(lost.size(), 0));
}

TEST(PowerManager, ReloadsBeforeEveryFrameAfterAnOffPeriodRestoreTheWeights) {
  PowerSim s(at_rate(3, nanoseconds(1'000'000)), {});
  ASSERT_EQ(s.acc->frames().size(), 3u);
  // Weights in a memory that loses them are checked as the weight fetch unit reads them: every
  // frame read exactly what was stored (frames 1 and 2 after a reload).
  const WeightCheck& check = s.acc->weight_checks().at(1);
  EXPECT_EQ(check.weights, 3u * 2 * 64 * 64 * 9);
  EXPECT_EQ(check.corrupted, 0u);
  EXPECT_EQ(check.layers_decoded, 0u);  // no frame's bytes differed from the stored ones
  // After the last frame the SRAM is off until the end of its slot: the weights are gone again.
  EXPECT_NE(s.bytes(0), s.stored(0));
  const PowerDomainStats& sram = s.acc->power_stats().at(0);
  EXPECT_EQ(sram.name, "sram");
  // Off after frames 0 and 1 (woken for 1 and 2) and after frame 2 until the end of its slot.
  EXPECT_EQ(sram.idle_periods, 3u);
  EXPECT_EQ(sram.wakes, 2u);
  EXPECT_EQ(sram.reloads, 2u);
  std::uint64_t placed = 0;
  for (std::size_t l = 0; l < 2; ++l) {
    placed += (s.acc->placement().weights[l].bytes + 255) / 256 * 256;
  }
  EXPECT_EQ(sram.reload_bytes, 2 * placed);
  EXPECT_EQ(s.acc->frames()[0].reload, Time(0));
  EXPECT_EQ(s.acc->frames()[1].reload_bytes, placed);
  // The reload is the DMA's time for its bytes: reads at the backing memory's 4 GB/s, writes at
  // the SRAM's peak, overlapped in 8 KiB batches, so at most one batch and the latencies come
  // on top of the slower side.
  const double seconds = to_seconds(s.acc->frames()[1].reload);
  const double bytes = static_cast<double>(placed);
  const double sram_bw = s.acc->memories()[1]->peak_bandwidth().value();
  const double slower = std::max(bytes / 4e9, bytes / sram_bw);
  const double tail = 8192 / std::min(4e9, sram_bw) + 1e-6;
  EXPECT_GE(seconds, slower);
  EXPECT_LE(seconds, slower + tail);
  // Wake energy was charged once per wake-up.
  EXPECT_DOUBLE_EQ(sram.wake_energy.value(), 2e-9);
  // Time in states adds up to the run: 3 slots of 1 ms.
  EXPECT_EQ(s.acc->end_time(), nanoseconds(3'000'000));
  EXPECT_EQ(sram.time_in[0] + sram.time_in[2], s.acc->end_time());
}

TEST(PowerManager, FramesStartOnTheirSlotAndALateFrameIsAMissedDeadline) {
  // A 1 us period is shorter than a frame: every frame starts when the previous one ends.
  PowerSim s(at_rate(3, nanoseconds(1'000)),
             {"memories.sram.power.idle=on", "memories.sram.power.reload_from="});
  const auto& f = s.acc->frames();
  ASSERT_EQ(f.size(), 3u);
  for (std::size_t i = 0; i < f.size(); ++i) {
    EXPECT_TRUE(f[i].missed()) << i;
    if (i > 0) {
      EXPECT_EQ(f[i].start, f[i - 1].end);
    }
  }
}

TEST(PowerManager, AGapShorterThanTheBreakEvenKeepsTheMemoryOn) {
  PowerSim s(at_rate(3, nanoseconds(1'000'000)), {"memories.sram.power.break_even=10ms"});
  const PowerDomainStats& sram = s.acc->power_stats().at(0);
  EXPECT_EQ(sram.idle_periods, 0u);
  EXPECT_EQ(sram.reloads, 0u);
  EXPECT_EQ(sram.time_in[0], s.acc->end_time());
  EXPECT_EQ(s.acc->frames()[1].reload, Time(0));
}

TEST(PowerManager, TheDerivedBreakEvenIsWakeEnergyOverTheLeakageSaved) {
  PowerSim s(at_rate(1, nanoseconds(1'000'000)), {}, false);
  const Power leak = s.acc->memories()[1]->idle_power();
  ASSERT_GT(leak.value(), 0);
  const double expected_s = 1e-9 / leak.value();
  EXPECT_NEAR(to_seconds(s.acc->power_stats().at(0).break_even), expected_s, 1e-12);
}

}  // namespace
}  // namespace hmasim
