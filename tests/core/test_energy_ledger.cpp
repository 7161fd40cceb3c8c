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
  ledger.add_static_energy(b, picojoules(3.0), Time(0), nanoseconds(400));
  ledger.close(nanoseconds(400));
  // On for 100 ns + 100 ns at 10 mW.
  EXPECT_NEAR(ledger.static_energy(a).value(), 10e-3 * 200e-9, 1e-18);
  EXPECT_EQ(ledger.powered_time(a).value(), nanoseconds(200).value());
  EXPECT_EQ(ledger.static_label(b), "background");
  EXPECT_NEAR(ledger.total().value(), 10e-3 * 200e-9 + 3e-12, 1e-18);
}

// Records what an observer sees.
struct Recorder : EnergyObserver {
  struct Seen {
    EnergyLedger::ComponentId c;
    bool is_static;
    double j;
    Time begin, end;
  };
  std::vector<Seen> seen;
  void energy(EnergyLedger::ComponentId c, bool is_static, Energy e, Time begin,
              Time end) override {
    seen.push_back({c, is_static, e.value(), begin, end});
  }
  double total() const {
    double t = 0;
    for (const auto& s : seen) t += s.j;
    return t;
  }
};

TEST(EnergyLedger, ObserverSeesEveryChargeWithItsSpan) {
  EnergyLedger ledger;
  Recorder r;
  ledger.set_observer(&r);
  const auto mem = ledger.add_component("mem");
  const auto read = ledger.add_action(mem, "read");
  ledger.set_static_power(mem, milliwatts(1), Time(0));
  ledger.charge(read, picojoules(2.0), 3, nanoseconds(10), nanoseconds(20));
  // Untimed charges in a span: reported with the span when it closes (a memory request).
  ledger.open_span();
  ledger.charge(read, picojoules(1.0));
  EXPECT_EQ(r.seen.size(), 1u) << "held until the span closes";
  ledger.close_span(nanoseconds(30), nanoseconds(40));
  ASSERT_EQ(r.seen.size(), 2u);
  EXPECT_EQ(r.seen[1].begin, nanoseconds(30));
  EXPECT_EQ(r.seen[1].end, nanoseconds(40));
  // Outside any span: at the latest time seen.
  ledger.charge(read, picojoules(1.0));
  EXPECT_EQ(r.seen.back().begin, nanoseconds(40));
  ledger.add_static_energy(mem, picojoules(5.0), nanoseconds(40), nanoseconds(50));
  ledger.close(nanoseconds(100));  // static power 1 mW over [0, 100 ns)
  EXPECT_TRUE(r.seen.back().is_static);
  EXPECT_EQ(r.seen.back().begin, Time(0));
  EXPECT_EQ(r.seen.back().end, nanoseconds(100));
  // Everything the ledger holds, the observer saw.
  EXPECT_NEAR(r.total(), ledger.total().value(), 1e-24);
}

}  // namespace
}  // namespace hmasim
