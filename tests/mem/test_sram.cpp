// Tests of the banked SRAM model. Every expected number is derived here from the parsed
// configuration, never pasted from a run. Suites are lower case so that `ctest -R sram` selects
// them. Each TEST elaborates at most once (gtest_discover_tests runs every test in its own
// process).
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/config_node.hpp"
#include "core/energy_ledger.hpp"
#include "core/tlm_initiator.hpp"
#include "mem/memory_system.hpp"
#include "mem/sram.hpp"
#include "support/memory_bench.hpp"

namespace hmasim {
namespace {

using test::parse_platform;

const SramConfig& sram_config(const MemorySpec& spec) {
  return dynamic_cast<const SramConfig&>(*spec.config);
}

// Round numbers; bank_cycle 2 so that conflicts are visible beyond one cycle.
const char* kSram =
    "memories:\n"
    "  s:\n"
    "    model: sram\n"
    "    capacity: 1MiB\n"
    "    clock: 1GHz\n"
    "    banks: 4\n"
    "    port_width: 8B\n"
    "    read_latency: 3\n"
    "    write_latency: 2\n"
    "    bank_cycle: 2\n"
    "    read_energy: 1pJ\n"
    "    write_energy: 2.5pJ\n"
    "    leakage_per_mib: 28mW\n"
    "    area_per_mib: 0.65\n"
    "    wakeup_time: 10ns\n"
    "    alignment: 8B\n";

using Driver = test::ScriptedInitiator;

const EnergyLedger::ActionRecord* action(const MemoryTarget& m, const std::string& name) {
  for (const auto& a : m.ledger().actions(m.component())) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

TEST(sram, SingleAccessLatencyIsConfigured) {
  const auto specs = parse_platform(kSram);
  const SramConfig& c = sram_config(specs[0]);
  const Clock clock(c.common.clock);
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  Driver::Result r, w;
  Driver d("drv", *system.find("s"), [&](Driver& d) {
    std::vector<std::uint8_t> buf(c.port_width.value());
    r = d.read(0x40, buf);
    d.advance_to(r.completed + nanoseconds(50));  // idle again
    w = d.write(0x80, buf);
  });
  sc_core::sc_start();
  ASSERT_EQ(r.status, tlm::TLM_OK_RESPONSE);
  ASSERT_EQ(w.status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(r.completed - r.issued, clock.time_of(c.read_latency));
  EXPECT_EQ(w.completed - w.issued, clock.time_of(c.write_latency));
}

TEST(sram, BankConflictsSerialise) {
  const auto specs = parse_platform(kSram);
  const SramConfig& c = sram_config(specs[0]);
  const Clock clock(c.common.clock);
  const std::uint64_t word = c.port_width.value();
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  Driver::Result a1, b_other, a2, b_same, wide, wider;
  Driver d("drv", *system.find("s"), [&](Driver& d) {
    std::vector<std::uint8_t> buf(word);
    // Two words at the same time to different banks (0 and 1) ...
    a1 = d.read(0, buf);
    b_other = d.read(word, buf);
    d.advance_to(max(a1.completed, b_other.completed) + nanoseconds(100));
    // ... and, later, two words to the same bank (0 and 0 + banks words).
    a2 = d.read(0, buf);
    b_same = d.read(word * c.banks, buf);
    d.advance_to(max(a2.completed, b_same.completed) + nanoseconds(100));
    // One request over all banks moves in parallel; twice that wraps around onto busy banks.
    std::vector<std::uint8_t> all(word * c.banks);
    wide = d.read(0, all);
    d.advance_to(wide.completed + nanoseconds(100));
    std::vector<std::uint8_t> twice(2 * word * c.banks);
    wider = d.read(0, twice);
  });
  sc_core::sc_start();
  const Time latency = clock.time_of(c.read_latency);
  const Time bank_cycle = clock.time_of(c.bank_cycle);
  EXPECT_EQ(b_other.completed - b_other.issued, latency);
  EXPECT_EQ(b_same.completed - b_same.issued, latency + bank_cycle);
  EXPECT_EQ((b_same.completed - a2.completed) - (b_other.completed - a1.completed), bank_cycle);
  EXPECT_EQ(wide.completed - wide.issued, latency);
  EXPECT_EQ(wider.completed - wider.issued, bank_cycle + latency);
}

TEST(sram, EnergyIsChargedPerWordAccess) {
  const auto specs = parse_platform(kSram);
  const SramConfig& c = sram_config(specs[0]);
  const std::uint64_t word = c.port_width.value();
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  MemoryTarget* m = system.find("s");
  Driver d("drv", *m, [&](Driver& d) {
    std::vector<std::uint8_t> buf(3 * word);
    d.read(0, buf);                                // 3 words
    d.read(5 * word, buf);                         // 3 words
    d.write(64, std::vector<std::uint8_t>(word));  // 1 word
    // word + 4 bytes touch two words: the port moves whole words.
    d.write(word, std::vector<std::uint8_t>(word + 4));
  });
  sc_core::sc_start();
  const auto* reads = action(*m, "read");
  const auto* writes = action(*m, "write");
  ASSERT_NE(reads, nullptr);
  ASSERT_NE(writes, nullptr);
  EXPECT_EQ(reads->count, 6u);
  EXPECT_DOUBLE_EQ(reads->energy.value(), 6 * c.read_energy.value());
  EXPECT_EQ(writes->count, 3u);
  EXPECT_DOUBLE_EQ(writes->energy.value(), 3 * c.write_energy.value());
  EXPECT_EQ(m->stats().busy_cycles, 9 * c.bank_cycle.value());
}

TEST(sram, LeakageIsIntegratedOverPoweredTime) {
  const auto specs = parse_platform(kSram);
  const SramConfig& c = sram_config(specs[0]);
  const Power leakage =
      watts(28e-3) * (static_cast<double>(c.common.capacity.value()) / (1024.0 * 1024.0));
  EXPECT_DOUBLE_EQ(c.leakage.value(), leakage.value());
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  MemoryTarget* m = system.find("s");
  const Time off_at = nanoseconds(2000), on_at = nanoseconds(5000), end = nanoseconds(9000);
  Driver d("drv", *m, [&](Driver& d) {
    d.advance_to(off_at);
    m->power_off(d.local_time());
    d.advance_to(on_at);
    m->power_on(d.local_time());
    d.advance_to(end);
  });
  sc_core::sc_start();
  m->finish(end);
  const Energy expected = leakage * (off_at + (end - on_at));  // nothing while gated
  EXPECT_NEAR(ledger.static_energy(m->component()).value(), expected.value(),
              1e-12 * expected.value());
  EXPECT_EQ(ledger.powered_time(m->component()), off_at + (end - on_at));
}

TEST(sram, ContentsAreLostWhenPoweredOff) {
  const auto specs = parse_platform(kSram);
  const SramConfig& c = sram_config(specs[0]);
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  MemoryTarget* m = system.find("s");
  const std::vector<std::uint8_t> pattern = {9, 8,    7,    6,    5, 4, 3, 2,
                                             1, 0xff, 0x80, 0x7f, 1, 2, 3, 4};
  std::vector<std::uint8_t> before(pattern.size()), after(pattern.size(), 0xaa);
  Driver::Result while_off, after_on;
  Time on_at{0};
  Driver d("drv", *m, [&](Driver& d) {
    d.advance_to(d.write(0x200, pattern).completed);
    d.advance_to(d.read(0x200, before).completed);
    m->power_off(d.local_time());
    while_off = d.read(0x200, after);
    d.advance_to(d.local_time() + nanoseconds(500));
    on_at = d.local_time();
    m->power_on(on_at);
    after_on = d.read(0x200, after);
  });
  sc_core::sc_start();
  EXPECT_EQ(before, pattern);
  EXPECT_EQ(while_off.status, tlm::TLM_GENERIC_ERROR_RESPONSE);
  ASSERT_EQ(after_on.status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(after, std::vector<std::uint8_t>(pattern.size(), 0));
  // The first access after power-on waits for the wake-up.
  EXPECT_EQ(after_on.accepted, on_at + c.wakeup_time);
}

TEST(sram, OutOfRangeAndUnalignedAccessesAreAddressErrors) {
  const auto specs = parse_platform(kSram);
  const SramConfig& c = sram_config(specs[0]);
  const std::uint64_t capacity = c.common.capacity.value();
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  MemoryTarget* m = system.find("s");
  std::vector<tlm::tlm_response_status> status;
  Driver d("drv", *m, [&](Driver& d) {
    std::vector<std::uint8_t> buf(16);
    status.push_back(d.read(capacity - 8, buf).status);
    status.push_back(d.write(capacity, buf).status);
    status.push_back(d.read(4, buf).status);  // alignment is 8 B
    status.push_back(d.read(capacity - 16, buf).status);
  });
  sc_core::sc_start();
  ASSERT_EQ(status.size(), 4u);
  EXPECT_EQ(status[0], tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(status[1], tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(status[2], tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(status[3], tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(m->stats().errors, 3u);
  EXPECT_EQ(action(*m, "read")->count, 2u);  // only the good request was charged
}

TEST(sram, PeakBandwidthAndAreaFollowTheConfig) {
  const auto specs = parse_platform(kSram);
  const SramConfig& c = sram_config(specs[0]);
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  const MemoryTarget* m = system.find("s");
  const double peak = static_cast<double>(c.banks * c.port_width.value()) *
                      static_cast<double>(c.common.clock.value()) /
                      static_cast<double>(c.bank_cycle.value());
  EXPECT_DOUBLE_EQ(m->peak_bandwidth().value(), peak);
  EXPECT_DOUBLE_EQ(m->area_mm2(), static_cast<double>(c.common.capacity.value()) /
                                      (1024.0 * 1024.0) * c.area_per_mib_mm2);
}

TEST(sram, PresetLoadsWithoutDiagnostics) {
  const auto specs =
      parse_platform("memories:\n  s: {preset: sram-22nm, capacity: 2MiB}\n");  // throws if not
  const SramConfig& c = sram_config(specs[0]);
  EXPECT_EQ(c.common.model, "sram");
  EXPECT_GT(c.leakage.value(), 0.0);
  EXPECT_GT(c.area_per_mib_mm2, 0.0);
}

TEST(sram, BadBankCycleAndMissingLeakageAreDiagnosed) {
  std::vector<Diagnostic> diags;
  try {
    parse_platform(
        "memories:\n  s: {model: sram, capacity: 1MiB, port_width: 8B, read_latency: 2,"
        " write_latency: 2, read_energy: 1pJ, write_energy: 1pJ, bank_cycle: 0}\n");
  } catch (const ConfigError& e) {
    diags = e.diagnostics();
  }
  ASSERT_EQ(diags.size(), 2u);
  EXPECT_EQ(diags[0].key, "memories.s.bank_cycle");
  EXPECT_EQ(diags[0].message, "must be 1 to 1000000 cycles");
  EXPECT_EQ(diags[1].key, "memories.s");
  EXPECT_EQ(diags[1].message,
            "missing leakage: give leakage_per_mib (e.g. 28.2mW) or leakage (total)");
}

}  // namespace
}  // namespace hmasim
