#include <gtest/gtest.h>

#include "support/memory_bench.hpp"

namespace hmasim {
namespace {

const char* kMemory = R"(memories:
  m:
    model: simple
    capacity: 1MiB
    clock: 1GHz
    latency: 20ns
    bandwidth: 16GB/s
    read_energy_per_byte: 2pJ
    write_energy_per_byte: 3pJ
    leakage: 5mW
)";

TEST(SimpleMemory, LatencyPlusTransferTime) {
  EnergyLedger ledger;
  auto mem = test::build_memory(kMemory, ledger);
  ASSERT_TRUE(mem);
  test::run_script(*mem, [&](test::ScriptedInitiator& init) {
    const auto r = init.read(0, 64);
    // 64 B at 16 GB/s = 4 ns = 4 cycles of the 1 GHz clock, then 20 ns latency.
    EXPECT_EQ(r.completed.value() - r.issued.value(), nanoseconds(4 + 20).value());
  });
}

TEST(SimpleMemory, StreamReachesConfiguredBandwidth) {
  EnergyLedger ledger;
  auto mem = test::build_memory(kMemory, ledger);
  ASSERT_TRUE(mem);
  Time last{0};
  const int n = 1000;
  test::run_script(*mem, [&](test::ScriptedInitiator& init) {
    for (int i = 0; i < n; ++i) {
      const auto r = init.read(64u * static_cast<unsigned>(i), 64);
      init.advance_to(r.accepted);  // pipelined: next request as soon as this one is taken
      last = r.completed;
    }
  });
  // n transfers back to back plus one latency.
  EXPECT_EQ(last.value(), nanoseconds(4 * n + 20).value());
  const double achieved = bandwidth_of(Bytes(64u * n), last - nanoseconds(20)).value();
  EXPECT_DOUBLE_EQ(achieved, 16e9);
}

TEST(SimpleMemory, EnergyPerByteAndLeakage) {
  EnergyLedger ledger;
  auto mem = test::build_memory(kMemory, ledger);
  ASSERT_TRUE(mem);
  test::run_script(*mem, [&](test::ScriptedInitiator& init) {
    init.read(0, 64);
    init.write(64, std::vector<std::uint8_t>(32, 0));
  });
  mem->finish(nanoseconds(1000));
  const auto& actions = ledger.actions(mem->component());
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].name, "read");
  EXPECT_NEAR(actions[0].energy.value(), 64 * 2e-12, 1e-22);
  EXPECT_EQ(actions[1].name, "write");
  EXPECT_NEAR(actions[1].energy.value(), 32 * 3e-12, 1e-22);
  EXPECT_NEAR(ledger.static_energy(mem->component()).value(), 5e-3 * 1e-6, 1e-18);
}

}  // namespace
}  // namespace hmasim
