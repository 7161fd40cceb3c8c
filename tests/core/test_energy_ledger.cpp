#include <gtest/gtest.h>

#include "core/energy_ledger.hpp"

namespace hmasim {
namespace {

TEST(EnergyLedger, ChargesActionsWithCounts) {
  EnergyLedger ledger;
  const auto sram = ledger.add_component("sram");
  const auto read = ledger.add_action(sram, "read");
  const auto write = ledger.add_action(sram, "write");
  EXPECT_EQ(ledger.add_action(sram, "read").index, read.index);
  ledger.charge(read, picojoules(2.0), 10);
  ledger.charge(write, picojoules(5.0));
  ledger.charge_total(write, picojoules(7.0), 2);
  ASSERT_EQ(ledger.actions(sram).size(), 2u);
  EXPECT_EQ(ledger.actions(sram)[0].count, 10u);
  EXPECT_NEAR(ledger.actions(sram)[0].energy.value(), 20e-12, 1e-24);
  EXPECT_EQ(ledger.actions(sram)[1].count, 3u);
  EXPECT_NEAR(ledger.dynamic_energy(sram).value(), 32e-12, 1e-24);
}

TEST(EnergyLedger, IntegratesStaticPowerOverStates) {
  EnergyLedger ledger;
  const auto a = ledger.add_component("a");
  const auto b = ledger.add_component("b", "background");
  ledger.set_static_power(a, milliwatts(10), Time(0));
  ledger.set_static_power(a, Power(0.0), nanoseconds(100));      // gated
  ledger.set_static_power(a, milliwatts(10), nanoseconds(300));  // on again
  ledger.add_static_energy(b, picojoules(3.0));
  ledger.close(nanoseconds(400));
  // On for 100 ns + 100 ns at 10 mW.
  EXPECT_NEAR(ledger.static_energy(a).value(), 10e-3 * 200e-9, 1e-18);
  EXPECT_EQ(ledger.powered_time(a).value(), nanoseconds(200).value());
  EXPECT_EQ(ledger.static_label(b), "background");
  EXPECT_NEAR(ledger.total().value(), 10e-3 * 200e-9 + 3e-12, 1e-18);
}

}  // namespace
}  // namespace hmasim
