// Tests of the generic eNVM model and its technology block. Every expected number is derived here
// from the parsed configuration (preset values, pulse counts, clock), never pasted from a run.
// Suites are lower case so that `ctest -R envm` selects them. Each TEST elaborates at most once
// (gtest_discover_tests runs every test in its own process).
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/platform_file.hpp"
#include "core/config_node.hpp"
#include "core/energy_ledger.hpp"
#include "core/tlm_initiator.hpp"
#include "mem/envm/envm.hpp"
#include "mem/memory_system.hpp"
#include "support/memory_bench.hpp"

namespace hmasim {
namespace {

// ---------------------------------------------------------------------------------------------
// Helpers

using test::parse_platform;

std::vector<Diagnostic> diagnostics_of(const std::string& yaml) {
  try {
    parse_platform(yaml);
  } catch (const ConfigError& e) {
    return e.diagnostics();
  }
  return {};
}

std::string describe(const std::vector<Diagnostic>& diags) {
  std::string s;
  for (const auto& d : diags) s += d.str() + "\n";
  return s;
}

const EnvmConfig& envm_config(const MemorySpec& spec) {
  return dynamic_cast<const EnvmConfig&>(*spec.config);
}

// A memory block with the given technology and extra keys (YAML flow maps keep tests compact).
std::string envm_block(const std::string& name, const std::string& technology,
                       const std::string& extra) {
  return "  " + name + ":\n    model: envm\n    capacity: 1MiB\n    technology: " + technology +
         "\n" + extra;
}

// A technology with round numbers, so times are whole 1 GHz cycles and ratios are obvious.
const char* kRoundTechnology =
    "{name: round, max_bits_per_cell: 3, cell_area_f2: 10, node: 20nm, cells_per_access: 64,"
    " read_latency: 5ns, read_cycle: 2ns, read_energy: 4pJ, pulses: {1: 1, 2: 4, 3: 9},"
    " pulse_time: 10ns, verify_time: 5ns, energy_per_pulse: 50pJ, verify_energy: 4pJ,"
    " leakage_per_mib: 2mW, endurance: 1e6}";

using Driver = test::ScriptedInitiator;

Energy action_energy(const MemoryTarget& m, const std::string& action) {
  for (const auto& a : m.ledger().actions(m.component())) {
    if (a.name == action) return a.energy;
  }
  return Energy(0.0);
}
std::uint64_t action_count(const MemoryTarget& m, const std::string& action) {
  for (const auto& a : m.ledger().actions(m.component())) {
    if (a.name == action) return a.count;
  }
  return 0;
}

Time cycles_time(const Clock& clock, Time t) {
  return clock.time_of(clock.cycles_for(t));
}

// ---------------------------------------------------------------------------------------------
// Timing and energy

TEST(envm, MlcWritesTakeLongerAndCostMoreThanSlc) {
  const auto specs =
      parse_platform("memories:\n" + envm_block("slc", "{preset: rram}", "    bits_per_cell: 1\n") +
                     envm_block("mlc2", "{preset: rram}", "    bits_per_cell: 2\n") +
                     envm_block("mlc3", "{preset: rram}", "    bits_per_cell: 3\n"));
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  std::vector<std::unique_ptr<Driver>> drivers;
  std::vector<Time> write_latency(specs.size()), read_latency(specs.size());
  for (std::size_t i = 0; i < specs.size(); ++i) {
    auto* m = dynamic_cast<Envm*>(system.find(specs[i].name));
    ASSERT_NE(m, nullptr);
    drivers.push_back(
        std::make_unique<Driver>(("drv_" + specs[i].name).c_str(), *m, [&, i, m](Driver& d) {
          // One access unit written, then read back once the write is done.
          const auto w = d.write(0, std::vector<std::uint8_t>(m->access_bytes().value(), 0x5a));
          ASSERT_EQ(w.status, tlm::TLM_OK_RESPONSE);
          write_latency[i] = w.completed - w.issued;
          d.advance_to(w.completed);
          std::vector<std::uint8_t> buf(m->access_bytes().value());
          const auto r = d.read(0, buf);
          ASSERT_EQ(r.status, tlm::TLM_OK_RESPONSE);
          read_latency[i] = r.completed - r.issued;
        }));
  }
  sc_core::sc_start();

  for (std::size_t i = 0; i < specs.size(); ++i) {
    const EnvmConfig& c = envm_config(specs[i]);
    const auto* m = system.find(specs[i].name);
    const int b = c.bits_per_cell;
    const std::uint32_t pulses = c.technology.pulses[static_cast<std::size_t>(b)];
    const Clock clock(c.common.clock);
    // Program-and-verify: pulses x (pulse + verify), rounded up to whole controller cycles.
    EXPECT_EQ(write_latency[i],
              cycles_time(clock, (c.technology.pulse_time + c.technology.verify_time) * pulses))
        << specs[i].name;
    EXPECT_DOUBLE_EQ(
        action_energy(*m, "write").value(),
        ((c.technology.energy_per_pulse + c.technology.verify_energy) * static_cast<double>(pulses))
            .value())
        << specs[i].name;
    // An MLC read delivers b times the bytes for the same energy and latency.
    EXPECT_EQ(dynamic_cast<const Envm*>(m)->access_bytes().value(),
              c.technology.cells_per_access * static_cast<std::uint64_t>(b) / 8);
    EXPECT_DOUBLE_EQ(action_energy(*m, "read").value(), c.technology.read_energy.value());
    EXPECT_EQ(read_latency[i], cycles_time(clock, c.technology.read_latency));
  }
  for (std::size_t i = 1; i < specs.size(); ++i) {
    EXPECT_GT(write_latency[i], write_latency[i - 1]) << specs[i].name;
    EXPECT_GT(action_energy(*system.find(specs[i].name), "write").value(),
              action_energy(*system.find(specs[i - 1].name), "write").value())
        << specs[i].name;
  }
}

TEST(envm, ReadHitsConfiguredLatencyExactly) {
  const auto specs =
      parse_platform("memories:\n" + envm_block("m", kRoundTechnology, "    bits_per_cell: 2\n"));
  const EnvmConfig& c = envm_config(specs[0]);
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  Time latency{0}, offset_latency{0};
  Driver d("drv", *system.find("m"), [&](Driver& d) {
    std::vector<std::uint8_t> buf(8);
    const auto r = d.read(0x100, buf);
    ASSERT_EQ(r.status, tlm::TLM_OK_RESPONSE);
    latency = r.completed - r.issued;
    // Later, on an idle memory, the latency is the same.
    d.advance_to(r.completed + nanoseconds(100));
    const auto r2 = d.read(0x340, buf);
    offset_latency = r2.completed - r2.issued;
  });
  sc_core::sc_start();
  EXPECT_EQ(latency, c.technology.read_latency);
  EXPECT_EQ(offset_latency, c.technology.read_latency);
}

TEST(envm, ReadStreamReachesConfiguredBandwidth) {
  const auto specs = parse_platform(
      "memories:\n" + envm_block("m", kRoundTechnology, "    bits_per_cell: 2\n    banks: 4\n"));
  const EnvmConfig& c = envm_config(specs[0]);
  const std::uint64_t unit = c.technology.cells_per_access * 2 / 8;
  // Configured peak: every bank starts an access unit every read_cycle.
  const double peak = static_cast<double>(c.banks * unit) / to_seconds(c.technology.read_cycle);

  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  auto* m = system.find("m");
  const std::uint64_t request = unit * c.banks;  // one unit on every bank
  const int n = 256;
  std::vector<Time> completed;
  Driver d("drv", *m, [&](Driver& d) {
    std::vector<std::uint8_t> buf(request);
    for (int i = 0; i < n; ++i) {  // all issued at once: the memory paces them
      const auto r = d.read(static_cast<std::uint64_t>(i) * request, buf);
      ASSERT_EQ(r.status, tlm::TLM_OK_RESPONSE);
      completed.push_back(r.completed);
    }
  });
  sc_core::sc_start();
  ASSERT_EQ(completed.size(), static_cast<std::size_t>(n));
  EXPECT_DOUBLE_EQ(m->peak_bandwidth().value(), peak);
  // Steady state: the data of requests 2..n arrive within (completed[n-1] - completed[0]).
  const Bandwidth achieved =
      bandwidth_of(Bytes(request * (n - 1)), completed.back() - completed.front());
  EXPECT_DOUBLE_EQ(achieved.value(), peak);
  EXPECT_EQ(completed.front(), c.technology.read_latency);
}

TEST(envm, WritesToOneBankSerialiseReadsToOtherBanksOverlap) {
  const auto specs = parse_platform(
      "memories:\n" + envm_block("m", kRoundTechnology, "    bits_per_cell: 1\n    banks: 2\n"));
  const EnvmConfig& c = envm_config(specs[0]);
  const std::uint64_t unit = c.technology.cells_per_access / 8;
  const Time write = (c.technology.pulse_time + c.technology.verify_time) * c.technology.pulses[1];
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  Driver::Result w0, w1, r_other, r_same;
  Driver d("drv", *system.find("m"), [&](Driver& d) {
    std::vector<std::uint8_t> buf(unit);
    w0 = d.write(0, buf);            // bank 0
    w1 = d.write(2 * unit, buf);     // bank 0 again: waits for the first program sequence
    r_other = d.read(unit, buf);     // bank 1: free
    r_same = d.read(4 * unit, buf);  // bank 0: after both writes
  });
  sc_core::sc_start();
  EXPECT_EQ(w0.completed - w0.issued, write);
  EXPECT_EQ(w1.completed - w1.issued, write * 2);
  EXPECT_EQ(r_other.completed - r_other.issued, c.technology.read_latency);
  EXPECT_EQ(r_same.completed - r_same.issued, write * 2 + c.technology.read_latency);
}

// ---------------------------------------------------------------------------------------------
// Endurance, power gating, area

TEST(envm, EnduranceCountsWritesPerBlock) {
  const auto specs =
      parse_platform("memories:\n" + envm_block("m", "{preset: rram}",
                                                "    endurance_block: 4KiB\n    banks: 2\n"));
  const EnvmConfig& c = envm_config(specs[0]);
  const std::uint64_t block = c.endurance_block.value();
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  auto* m = dynamic_cast<Envm*>(system.find("m"));
  ASSERT_NE(m, nullptr);
  std::vector<std::uint64_t> after_first_phase;
  Driver d("drv", *m, [&](Driver& d) {
    std::vector<std::uint8_t> data(64, 1);
    EXPECT_EQ(d.write(0, data).status, tlm::TLM_OK_RESPONSE);              // block 0
    EXPECT_EQ(d.write(block - 64, data).status, tlm::TLM_OK_RESPONSE);     // block 0 again
    EXPECT_EQ(d.write(3 * block + 8, data).status, tlm::TLM_OK_RESPONSE);  // block 3
    std::vector<std::uint8_t> buf(64);
    EXPECT_EQ(d.read(block, buf).status, tlm::TLM_OK_RESPONSE);  // reads never wear
    after_first_phase = m->endurance_counter().counts();
    // One request straddling blocks 5 and 6 programs cells of both, once each.
    EXPECT_EQ(d.write(6 * block - 32, data).status, tlm::TLM_OK_RESPONSE);
  });
  sc_core::sc_start();
  ASSERT_GE(after_first_phase.size(), 4u);
  EXPECT_EQ(after_first_phase[0], 2u);
  EXPECT_EQ(after_first_phase[1], 0u);
  EXPECT_EQ(after_first_phase[2], 0u);
  EXPECT_EQ(after_first_phase[3], 1u);
  EXPECT_EQ(m->endurance_counter().block_count(), c.common.capacity.value() / block);
  EXPECT_EQ(m->block_writes(5), 1u);
  EXPECT_EQ(m->block_writes(6), 1u);
  EXPECT_EQ(m->max_block_writes(), 2u);
  EXPECT_EQ(m->endurance_counter().total_writes(), 5u);
  EXPECT_DOUBLE_EQ(m->endurance(), c.technology.endurance);
  EXPECT_DOUBLE_EQ(m->wear_fraction(), 2.0 / c.technology.endurance);
}

TEST(envm, ContentsSurvivePowerGating) {
  const auto specs =
      parse_platform("memories:\n" + envm_block("m", "{preset: ctt}",
                                                "    bits_per_cell: 2\n    wakeup_time: 100ns\n"
                                                "    gated_power: 1uW\n"));
  const EnvmConfig& c = envm_config(specs[0]);
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  MemoryTarget* m = system.find("m");
  const std::vector<std::uint8_t> pattern = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0xde, 0xad, 0xbe, 0xef};
  std::vector<std::uint8_t> readback(pattern.size());
  Driver::Result while_off, after_on;
  Time off_at{0}, on_at{0}, end{0};
  Driver d("drv", *m, [&](Driver& d) {
    const auto w = d.write(0x1000, pattern);
    ASSERT_EQ(w.status, tlm::TLM_OK_RESPONSE);
    d.advance_to(w.completed);
    off_at = d.local_time();
    m->power_off(off_at);
    std::vector<std::uint8_t> buf(pattern.size());
    while_off = d.read(0x1000, buf);
    d.advance_to(off_at + nanoseconds(1'000'000));
    on_at = d.local_time();
    m->power_on(on_at);
    after_on = d.read(0x1000, readback);
    d.advance_to(after_on.completed);
    end = d.local_time();
  });
  sc_core::sc_start();
  m->finish(end);
  EXPECT_EQ(while_off.status, tlm::TLM_GENERIC_ERROR_RESPONSE);
  ASSERT_EQ(after_on.status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(readback, pattern);
  // The first access after power-on waits for the wake-up time, then reads as usual.
  EXPECT_EQ(after_on.accepted, on_at + c.wakeup_time);
  EXPECT_EQ(after_on.completed, on_at + c.wakeup_time + c.technology.read_latency);
  // Leakage while on, gated_power while off.
  const Power leakage = c.technology.leakage_per_mib *
                        (static_cast<double>(c.common.capacity.value()) / (1024.0 * 1024.0));
  const Energy expected = leakage * (off_at + (end - on_at)) + c.gated_power * (on_at - off_at);
  EXPECT_NEAR(ledger.static_energy(m->component()).value(), expected.value(),
              1e-12 * expected.value());
}

TEST(envm, AreaScalesWithOneOverBitsPerCell) {
  const auto specs =
      parse_platform("memories:\n" + envm_block("r1", "{preset: rram}", "    bits_per_cell: 1\n") +
                     envm_block("r2", "{preset: rram}", "    bits_per_cell: 2\n") +
                     envm_block("r3", "{preset: rram}", "    bits_per_cell: 3\n") +
                     envm_block("c1", "{preset: ctt}", "    bits_per_cell: 1\n") +
                     envm_block("c3", "{preset: ctt}", "    bits_per_cell: 3\n"));
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  auto area = [&](const char* n) { return system.find(n)->area_mm2(); };

  // Cell form: capacity x 8 / b cells of cell_area_f2 x node^2, over the array efficiency.
  const EnvmTechnology& rram = envm_config(specs[0]).technology;
  const double capacity = static_cast<double>(envm_config(specs[0]).common.capacity.value());
  const double f_mm = rram.node_nm * 1e-6;
  const double slc = capacity * 8.0 * rram.cell_area_f2 * f_mm * f_mm / rram.array_efficiency;
  EXPECT_NEAR(area("r1"), slc, 1e-12 * slc);
  EXPECT_NEAR(area("r2"), slc / 2.0, 1e-12 * slc);
  EXPECT_NEAR(area("r3"), slc / 3.0, 1e-12 * slc);
  // Macro form: MiB x area_per_mib / b.
  const EnvmTechnology& ctt = envm_config(specs[3]).technology;
  ASSERT_TRUE(ctt.area_per_mib_mm2.has_value());
  const double ctt_slc = capacity / (1024.0 * 1024.0) * *ctt.area_per_mib_mm2;
  EXPECT_NEAR(area("c1"), ctt_slc, 1e-12 * ctt_slc);
  EXPECT_NEAR(area("c3"), ctt_slc / 3.0, 1e-12 * ctt_slc);
}

// fit_to_contents (issue 13): area and leakage of the bytes placed, rounded up to the
// granularity (default 1 MiB); without the key fit_to changes nothing.
TEST(envm, FitToContentsIsOffByDefault) {
  const auto specs = parse_platform("memories:\n" + envm_block("whole", kRoundTechnology, ""));
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  auto* whole = dynamic_cast<Envm*>(system.find("whole"));
  ASSERT_NE(whole, nullptr);
  const double area = whole->area_mm2();
  whole->fit_to(Bytes(1));
  EXPECT_EQ(whole->fitted_capacity().value(), 1024u * 1024u);
  EXPECT_EQ(whole->area_mm2(), area);
  EXPECT_NEAR(whole->idle_power().value(), 2e-3, 1e-15);  // 2 mW per MiB
}

TEST(envm, FitToContentsRoundsUpToTheGranularity) {
  const auto specs =
      parse_platform("memories:\n" +
                     envm_block("fit", kRoundTechnology,
                                "    fit_to_contents: true\n    fit_granularity: 64KiB\n") +
                     envm_block("whole", kRoundTechnology, ""));
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  auto* fit = dynamic_cast<Envm*>(system.find("fit"));
  auto* whole = dynamic_cast<Envm*>(system.find("whole"));
  ASSERT_TRUE(fit && whole);
  fit->fit_to(Bytes(3 * 64 * 1024 + 1));  // four 64 KiB macros of the 16 in 1 MiB
  whole->fit_to(Bytes(3 * 64 * 1024 + 1));
  EXPECT_EQ(fit->fitted_capacity().value(), 4u * 64u * 1024u);
  EXPECT_NEAR(fit->area_mm2(), whole->area_mm2() / 4.0, 1e-12 * whole->area_mm2());
  // Leakage: 2 mW per MiB, a quarter of a MiB; the whole array leaks 2 mW.
  EXPECT_NEAR(fit->idle_power().value(), 0.5e-3, 1e-15);
  EXPECT_NEAR(whole->idle_power().value(), 2e-3, 1e-15);
  fit->fit_to(Bytes(0));  // an empty array still has one macro
  EXPECT_EQ(fit->fitted_capacity().value(), 64u * 1024u);
  fit->fit_to(Bytes(2 * 1024 * 1024));  // never more than the capacity
  EXPECT_EQ(fit->fitted_capacity().value(), 1024u * 1024u);
}

TEST(envm_config, FitGranularityWithoutFitToContentsIsDiagnosed) {
  const auto d = diagnostics_of("memories:\n" +
                                envm_block("m", kRoundTechnology, "    fit_granularity: 64KiB\n"));
  ASSERT_EQ(d.size(), 1u) << describe(d);
  EXPECT_EQ(d[0].key, "memories.m.fit_granularity");
  EXPECT_NE(d[0].message.find("without fit_to_contents"), std::string::npos) << d[0].message;
  const auto zero = diagnostics_of(
      "memories:\n" +
      envm_block("m", kRoundTechnology, "    fit_to_contents: true\n    fit_granularity: 0B\n"));
  ASSERT_EQ(zero.size(), 1u) << describe(zero);
  EXPECT_NE(zero[0].message.find("must be positive"), std::string::npos);
}

TEST(envm, OutOfRangeAndUnalignedAccessesAreAddressErrors) {
  const auto specs =
      parse_platform("memories:\n" + envm_block("m", "{preset: rram}", "    alignment: 16B\n"));
  const EnvmConfig& c = envm_config(specs[0]);
  const std::uint64_t capacity = c.common.capacity.value();
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  MemoryTarget* m = system.find("m");
  std::vector<tlm::tlm_response_status> status;
  Driver d("drv", *m, [&](Driver& d) {
    std::vector<std::uint8_t> buf(32);
    status.push_back(d.read(capacity - 16, buf).status);  // runs past the end
    status.push_back(d.read(capacity, buf).status);       // starts past the end
    status.push_back(d.write(8, buf).status);             // not 16-byte aligned
    status.push_back(d.read(capacity - 32, buf).status);  // the last 32 bytes: fine
  });
  sc_core::sc_start();
  ASSERT_EQ(status.size(), 4u);
  EXPECT_EQ(status[0], tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(status[1], tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(status[2], tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(status[3], tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(m->stats().errors, 3u);
  EXPECT_EQ(action_count(*m, "write"), 0u);  // a refused write neither costs nor wears
  EXPECT_EQ(dynamic_cast<Envm*>(m)->max_block_writes(), 0u);
}

// ---------------------------------------------------------------------------------------------
// Configuration: presets and diagnostics

TEST(envm_config, EveryShippedPresetLoadsWithoutDiagnostics) {
  for (const std::string preset : {"rram", "ctt", "stt-mram", "pcm", "fefet"}) {
    const auto base =
        parse_platform("memories:\n" + envm_block("m", "{preset: " + preset + "}", ""));
    const EnvmTechnology& t = envm_config(base[0]).technology;
    EXPECT_FALSE(t.name.empty()) << preset;
    EXPECT_GT(t.endurance, 0.0) << preset;
    for (int b = 1; b <= t.max_bits_per_cell; ++b) {
      const std::string yaml =
          "memories:\n" + envm_block("m", "{preset: " + preset + "}",
                                     "    bits_per_cell: " + std::to_string(b) + "\n");
      const auto diags = diagnostics_of(yaml);
      EXPECT_TRUE(diags.empty()) << preset << " at " << b << " bits per cell:\n" << describe(diags);
    }
  }
  // The MLC technologies carry level distributions for every mode they support.
  for (const std::string preset : {"rram", "ctt"}) {
    const auto specs =
        parse_platform("memories:\n" + envm_block("m", "{preset: " + preset + "}", ""));
    const EnvmTechnology& t = envm_config(specs[0]).technology;
    for (int b = 1; b <= t.max_bits_per_cell; ++b) {
      EXPECT_EQ(t.levels.levels(b).size(), std::size_t{1} << b) << preset << " " << b;
    }
  }
}

TEST(envm_config, MemoryDemoPlatformLoads) {
  ConfigDocument::set_preset_directory(HMASIM_SOURCE_DIR "/platforms/presets");
  PlatformConfig p;
  try {
    p = load_platform(HMASIM_SOURCE_DIR "/platforms/memory-demo.yaml", {});
  } catch (const ConfigError& e) {
    FAIL() << describe(e.diagnostics());
  }
  std::vector<std::string> names;
  for (const auto& s : p.memories) names.push_back(s.name + ":" + s.config->common.model);
  for (const char* expected : {"sram:sram", "rram:envm", "ctt:envm", "ideal:simple"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
}

TEST(envm_config, BitsPerCellOutOfRangeIsDiagnosed) {
  const auto diags =
      diagnostics_of("memories:\n" + envm_block("m", "{preset: rram}", "    bits_per_cell: 5\n"));
  ASSERT_EQ(diags.size(), 1u) << describe(diags);
  EXPECT_EQ(diags[0].key, "memories.m.bits_per_cell");
  EXPECT_EQ(diags[0].message, "must be 1 to 4, got 5");
  EXPECT_EQ(diags[0].file, "test.yaml");
  EXPECT_GT(diags[0].line, 0);
}

TEST(envm_config, BitsPerCellAboveTechnologyMaximumIsDiagnosed) {
  const auto diags = diagnostics_of(
      "memories:\n" + envm_block("m", "{preset: stt-mram}", "    bits_per_cell: 2\n"));
  ASSERT_EQ(diags.size(), 1u) << describe(diags);
  EXPECT_EQ(diags[0].key, "memories.m.bits_per_cell");
  EXPECT_EQ(diags[0].message, "2 bits per cell exceeds the technology's max_bits_per_cell 1");

  // A block may lower a preset's maximum; the preset's data for higher modes is then unused.
  const auto lowered =
      parse_platform("memories:\n" + envm_block("m", "{preset: rram, max_bits_per_cell: 2}",
                                                "    bits_per_cell: 2\n"));
  const EnvmTechnology& t = envm_config(lowered[0]).technology;
  EXPECT_EQ(t.max_bits_per_cell, 2);
  EXPECT_TRUE(t.levels.has(2));
  EXPECT_FALSE(t.levels.has(3));
  const auto above =
      diagnostics_of("memories:\n" + envm_block("m", "{preset: rram, max_bits_per_cell: 2}",
                                                "    bits_per_cell: 3\n"));
  ASSERT_EQ(above.size(), 1u) << describe(above);
  EXPECT_EQ(above[0].message, "3 bits per cell exceeds the technology's max_bits_per_cell 2");
}

TEST(envm_config, LevelMeansNotIncreasingAreDiagnosed) {
  const auto diags = diagnostics_of(
      "memories:\n" + envm_block("m",
                                 "{preset: rram, level_distributions: {2: [{mean: 0, sigma: 0.01},"
                                 " {mean: 0.5, sigma: 0.01}, {mean: 0.3, sigma: 0.01},"
                                 " {mean: 1, sigma: 0.01}]}}",
                                 "    bits_per_cell: 2\n"));
  ASSERT_EQ(diags.size(), 1u) << describe(diags);
  EXPECT_EQ(diags[0].key, "memories.m.technology.level_distributions.2");
  EXPECT_EQ(diags[0].message,
            "level 2 of 2 bits per cell: mean 0.3 is not above the mean 0.5 of level 1 "
            "(means must increase strictly)");
  EXPECT_EQ(diags[0].file, "test.yaml");
}

TEST(envm_config, WrongNumberOfLevelsIsDiagnosed) {
  const auto diags = diagnostics_of(
      "memories:\n" + envm_block("m",
                                 "{preset: ctt, level_distributions: {2: [{mean: 0, sigma: 0.02},"
                                 " {mean: 0.5, sigma: 0.02}, {mean: 1, sigma: 0.02}]}}",
                                 ""));
  ASSERT_EQ(diags.size(), 1u) << describe(diags);
  EXPECT_EQ(diags[0].key, "memories.m.technology.level_distributions.2");
  EXPECT_EQ(diags[0].message, "expected 4 levels (2^2) for 2 bits per cell, got 3");
}

TEST(envm_config, NonPositiveSigmaIsDiagnosed) {
  const auto diags = diagnostics_of(
      "memories:\n" + envm_block("m",
                                 "{preset: ctt, level_distributions: {1: [{mean: 0, sigma: 0.02},"
                                 " {mean: 1, sigma: 0}]}}",
                                 ""));
  ASSERT_EQ(diags.size(), 1u) << describe(diags);
  EXPECT_EQ(diags[0].key, "memories.m.technology.level_distributions.1");
  EXPECT_EQ(diags[0].message, "level 1 of 1 bit per cell: sigma 0 must be positive");
}

TEST(envm_config, AccessWidthNotWholeBytesIsDiagnosed) {
  const auto diags =
      diagnostics_of("memories:\n" + envm_block("m", "{preset: rram, cells_per_access: 10}",
                                                "    bits_per_cell: 3\n"));
  ASSERT_EQ(diags.size(), 1u) << describe(diags);
  EXPECT_EQ(diags[0].key, "memories.m.technology.cells_per_access");
  EXPECT_EQ(diags[0].message,
            "cells_per_access 10 x bits_per_cell 3 = 30 bits is not a whole number of bytes");
}

TEST(envm_config, PulseCountsAreValidated) {
  // A technology written inline, with the pulse map given per test.
  const auto technology = [](const std::string& pulses) {
    return "{max_bits_per_cell: 3, area_per_mib: 0.2, cells_per_access: 64, read_latency: 5ns,"
           " read_energy: 4pJ, pulses: " +
           pulses +
           ", pulse_time: 10ns, energy_per_pulse: 50pJ,"
           " leakage_per_mib: 2mW, endurance: 1e6}";
  };
  const auto missing =
      diagnostics_of("memories:\n" + envm_block("m", technology("{1: 1, 2: 4}"), ""));
  ASSERT_EQ(missing.size(), 1u) << describe(missing);
  EXPECT_EQ(missing[0].key, "memories.m.technology.pulses");
  EXPECT_EQ(missing[0].message, "missing pulse count for 3 bits per cell (max_bits_per_cell is 3)");

  const auto fewer =
      diagnostics_of("memories:\n" + envm_block("m", technology("{1: 1, 2: 4, 3: 2}"), ""));
  ASSERT_EQ(fewer.size(), 1u) << describe(fewer);
  EXPECT_EQ(fewer[0].key, "memories.m.technology.pulses.3");
  EXPECT_EQ(fewer[0].message,
            "2 pulses for 3 bits per cell is fewer than 4 for 2 (more levels need finer "
            "programming steps, never fewer)");
}

TEST(envm_config, UnknownTechnologyKeyIsDiagnosed) {
  const auto diags =
      diagnostics_of("memories:\n" + envm_block("m", "{preset: rram, max_bits_per_cel: 2}", ""));
  ASSERT_EQ(diags.size(), 1u) << describe(diags);
  EXPECT_EQ(diags[0].key, "memories.m.technology.max_bits_per_cel");
  EXPECT_EQ(diags[0].message.rfind("unknown key 'max_bits_per_cel'", 0), 0u) << diags[0].message;
}

}  // namespace
}  // namespace hmasim
