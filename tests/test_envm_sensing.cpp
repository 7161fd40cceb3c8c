// Tests of the eNVM read path's sensing and bandwidth keys (mem/envm/envm_technology.hpp):
// sequential vs parallel sensing, a fixed sense-amplifier count, per-mode read times and the
// characterised read_bandwidth cap, through the real envm target; their diagnostics; and the
// hmasim binary on a MaxNVM platform, where a slower array read must cost frames per second.
// Every expected number is derived here from the parsed configuration, never pasted from a run.
// Suites are lower case so that `ctest -R envm` selects them. Each TEST elaborates at most once.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/config_node.hpp"
#include "core/energy_ledger.hpp"
#include "mem/envm/envm.hpp"
#include "mem/memory_system.hpp"
#include "support/cli.hpp"
#include "support/memory_bench.hpp"

namespace hmasim {
namespace {

using test::parse_platform;
using Driver = test::ScriptedInitiator;

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

std::string envm_block(const std::string& name, const std::string& technology,
                       const std::string& extra) {
  return "  " + name + ":\n    model: envm\n    capacity: 1MiB\n    technology: " + technology +
         "\n" + extra;
}

// A technology with round numbers (1 GHz controller: 1 ns = 1 cycle) and the read keys `read`,
// which may replace the default cells_per_access (64) and read_latency (10ns).
std::string technology(const std::string& read) {
  const auto given = [&](const std::string& key) { return read.find(key) != std::string::npos; };
  return std::string("{name: round, max_bits_per_cell: 3, area_per_mib: 0.2,") +
         (given("cells_per_access") ? "" : " cells_per_access: 64,") +
         (given("read_latency") ? "" : " read_latency: 10ns,") +
         " read_energy: 4pJ, pulses: {1: 1, 2: 4, 3: 9}, pulse_time: 10ns,"
         " energy_per_pulse: 50pJ, leakage_per_mib: 2mW, endurance: 1e6" +
         (read.empty() ? "" : ", " + read) + "}";
}

std::uint64_t read_accesses(const MemoryTarget& m) {
  return m.command_counts().at("read_access");
}

// A burst of `units` access units of every memory of `specs` in one read request each, all
// starting at time 0 on idle memories; returns each request's time to its last data. `after`
// sees the memories once the simulation has ended (a TEST elaborates only once).
std::vector<Time> burst_durations(const std::vector<MemorySpec>& specs, std::uint64_t units,
                                  const std::function<void(const MemorySystem&)>& after = nullptr) {
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  std::vector<std::unique_ptr<Driver>> drivers;
  std::vector<Time> duration(specs.size());
  for (std::size_t i = 0; i < specs.size(); ++i) {
    auto* m = dynamic_cast<Envm*>(system.find(specs[i].name));
    EXPECT_NE(m, nullptr);
    if (!m) return duration;
    drivers.push_back(
        std::make_unique<Driver>(("drv_" + specs[i].name).c_str(), *m, [&, i, m](Driver& d) {
          std::vector<std::uint8_t> buf(m->access_bytes().value() * units);
          const auto r = d.read(0, buf);
          ASSERT_EQ(r.status, tlm::TLM_OK_RESPONSE);
          duration[i] = r.completed - r.issued;
        }));
  }
  sc_core::sc_start();
  if (after) after(system);
  return duration;
}

// ---------------------------------------------------------------------------------------------
// Sensing

TEST(envm_sensing, SequentialMlc3TakesThreeTimesTheSenseStepsOfSlc) {
  // Every step one 10 ns conversion: an SLC read is one step, an MLC3 read three; one bank, so
  // a burst's units follow each other at the bank occupancy.
  const std::string tech = technology("sensing: sequential, read_cycle: 10ns, sense_time: 10ns");
  const auto specs =
      parse_platform("memories:\n" + envm_block("slc", tech, "    bits_per_cell: 1\n") +
                     envm_block("mlc3", tech, "    bits_per_cell: 3\n") +
                     envm_block("par3", technology("read_cycle: 10ns"), "    bits_per_cell: 3\n"));
  const std::uint64_t units = 16;
  const auto d = burst_durations(specs, units, [&](const MemorySystem& system) {
    for (const auto& s : specs) EXPECT_EQ(read_accesses(*system.find(s.name)), units) << s.name;
  });

  const EnvmTechnology& t = envm_config(specs[1]).technology;
  ASSERT_EQ(t.sensing, EnvmTechnology::Sensing::sequential);
  // Exactly: the last unit starts after units - 1 occupancies and delivers one latency later.
  const auto burst = [&](int b) { return t.read_occupancy(b) * (units - 1) + t.read_time(b); };
  EXPECT_EQ(t.read_time(3), t.read_latency + t.sense_time * 2);
  EXPECT_EQ(d[0], burst(1));
  EXPECT_EQ(d[1], burst(3));
  EXPECT_EQ(d[1].value(), 3 * d[0].value());  // three sense steps for one
  // Parallel sensing resolves the three bits in one step: no slower than SLC.
  EXPECT_EQ(d[2], d[0]);
}

TEST(envm_sensing, PerModeReadTimesApplyToTheirMode) {
  const std::string tech =
      technology("read_latency: {1: 4ns, 2: 6ns, 3: 9ns}, read_cycle: {1: 2ns, 2: 3ns, 3: 5ns}");
  const auto specs =
      parse_platform("memories:\n" + envm_block("b1", tech, "    bits_per_cell: 1\n") +
                     envm_block("b2", tech, "    bits_per_cell: 2\n") +
                     envm_block("b3", tech, "    bits_per_cell: 3\n"));
  const std::uint64_t units = 8;
  const auto d = burst_durations(specs, units);
  const EnvmTechnology& t = envm_config(specs[0]).technology;
  EXPECT_EQ(t.read_latency_by_mode[2], nanoseconds(6));
  for (int b = 1; b <= 3; ++b) {
    const std::size_t i = static_cast<std::size_t>(b);
    EXPECT_EQ(d[i - 1], t.read_cycle_by_mode[i] * (units - 1) + t.read_latency_by_mode[i]) << b;
  }
  EXPECT_GT(d[2], d[1]);
  EXPECT_GT(d[1], d[0]);
}

TEST(envm_sensing_config, PerModeMapOverAPresetScalarKeepsTheScalarForOtherModes) {
  // rram.yaml writes read_latency as {value: ..., source: ...}; one mode overridden over it.
  const auto specs = parse_platform("memories:\n" +
                                    envm_block("m", "{preset: rram, read_latency: {2: 17ns}}", ""));
  const EnvmTechnology& t = envm_config(specs[0]).technology;
  const auto preset = parse_platform("memories:\n" + envm_block("m", "{preset: rram}", ""));
  const EnvmTechnology& p = envm_config(preset[0]).technology;
  EXPECT_EQ(t.read_latency_by_mode[2], nanoseconds(17));
  EXPECT_EQ(t.read_latency_by_mode[1], p.read_latency);
  EXPECT_EQ(t.read_latency_by_mode[3], p.read_latency);
  EXPECT_EQ(t.read_cycle_by_mode[2], p.read_cycle);  // read_cycle is the preset's own
}

TEST(envm_sensing, ParallelWithFixedSenseAmplifiersSensesFewerCellsPerMode) {
  // 168 amplifiers: 168 / (2^b - 1) = 168, 56, 24 cells, all whole bytes (21, 14, 9).
  const std::string tech = technology("cells_per_access: 168, sense_amplifiers: 168");
  const auto specs =
      parse_platform("memories:\n" + envm_block("b1", tech, "    bits_per_cell: 1\n") +
                     envm_block("b2", tech, "    bits_per_cell: 2\n") +
                     envm_block("b3", tech, "    bits_per_cell: 3\n"));
  const EnvmTechnology& t = envm_config(specs[0]).technology;
  ASSERT_TRUE(t.sense_amplifiers);
  for (int b = 1; b <= 3; ++b) {
    const std::uint32_t levels_minus_one = (1u << b) - 1u;
    EXPECT_EQ(t.cells_sensed(b), *t.sense_amplifiers / levels_minus_one) << b;
    EXPECT_EQ(envm_config(specs[static_cast<std::size_t>(b - 1)]).access_bytes().value(),
              *t.sense_amplifiers / levels_minus_one * static_cast<std::uint32_t>(b) / 8)
        << b;
  }
  // Through the target: the same 504 bytes (24 SLC units) take 24, 36 and 56 accesses.
  const std::uint64_t bytes = 504;
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  std::vector<std::unique_ptr<Driver>> drivers;
  for (const auto& s : specs) {
    drivers.push_back(
        std::make_unique<Driver>(("drv_" + s.name).c_str(), *system.find(s.name), [&](Driver& d) {
          std::vector<std::uint8_t> buf(bytes);
          ASSERT_EQ(d.read(0, buf).status, tlm::TLM_OK_RESPONSE);
        }));
  }
  sc_core::sc_start();
  for (const auto& s : specs) {
    const auto* m = dynamic_cast<const Envm*>(system.find(s.name));
    EXPECT_EQ(read_accesses(*m), bytes / m->access_bytes().value()) << s.name;
  }
  EXPECT_EQ(read_accesses(*system.find("b3")), 7 * read_accesses(*system.find("b1")) / 3);
}

TEST(envm_sensing, SenseAmplifierLimitRoundsToWholeBytesAndSequentialNeedsOnePerCell) {
  // 64 amplifiers, MLC2: 64 / 3 = 21 cells, rounded down to 20 (5 bytes). Sequential sensing
  // needs one amplifier per cell: all 64 connected cells, 16 bytes.
  const auto specs = parse_platform(
      "memories:\n" +
      envm_block("par", technology("sense_amplifiers: 64"), "    bits_per_cell: 2\n") +
      envm_block("seq", technology("sense_amplifiers: 64, sensing: sequential, sense_time: 1ns"),
                 "    bits_per_cell: 2\n") +
      envm_block("free", technology(""), "    bits_per_cell: 2\n"));
  EXPECT_EQ(envm_config(specs[0]).technology.cells_sensed(2), 20u);
  EXPECT_EQ(envm_config(specs[0]).access_bytes().value(), 5u);
  EXPECT_EQ(envm_config(specs[1]).access_bytes().value(), 16u);
  EXPECT_EQ(envm_config(specs[2]).access_bytes().value(), 16u);  // no limit: every cell sensed
}

// ---------------------------------------------------------------------------------------------
// read_bandwidth

TEST(envm_sensing, ReadBandwidthCapsALongBurst) {
  // 4 banks of 16-byte MLC2 units every 2 ns = 32 GB/s; the array's 5 GB/s allows one unit
  // per 3.2 ns, not a whole number of cycles. A cap above the banks' rate changes nothing.
  const std::string extra = "    bits_per_cell: 2\n    banks: 4\n";
  const auto specs = parse_platform(
      "memories:\n" +
      envm_block("capped", technology("read_cycle: 2ns, read_bandwidth: 5GB/s"), extra) +
      envm_block("loose", technology("read_cycle: 2ns, read_bandwidth: 100GB/s"), extra) +
      envm_block("free", technology("read_cycle: 2ns"), extra));
  const std::uint64_t units = 1000;
  const auto d = burst_durations(specs, units, [&](const MemorySystem& system) {
    const auto& capped = dynamic_cast<const Envm&>(*system.find("capped"));
    const auto& loose = dynamic_cast<const Envm&>(*system.find("loose"));
    EXPECT_TRUE(capped.read_bandwidth_limits());
    EXPECT_DOUBLE_EQ(capped.peak_bandwidth().value(),
                     envm_config(specs[0]).technology.read_bandwidth->value());
    EXPECT_FALSE(loose.read_bandwidth_limits());
    EXPECT_DOUBLE_EQ(loose.peak_bandwidth().value(), loose.bank_bandwidth().value());
    EXPECT_DOUBLE_EQ(loose.bank_bandwidth().value(), 4.0 * 16 / 2e-9);
  });

  const EnvmConfig& c = envm_config(specs[0]);
  const Clock clock(c.common.clock);
  const std::uint64_t unit = c.access_bytes().value();
  // The last unit's port slot opens (units - 1) x unit / bandwidth after the first; it starts
  // in the cycle that slot opens in, and its data come one read latency later.
  const double slot_ps = static_cast<double>(unit) * 1e12 / c.technology.read_bandwidth->value();
  const Time last_slot(static_cast<std::uint64_t>(slot_ps) * (units - 1));
  const Cycles last_start(last_slot.value() / clock.period().value());  // 1 GHz: whole ns
  EXPECT_EQ(d[0], clock.time_of(last_start) + c.technology.read_latency);
  // Delivered rate within one cycle of the cap.
  const double rate =
      static_cast<double>(unit * (units - 1)) / to_seconds(d[0] - c.technology.read_latency);
  EXPECT_NEAR(rate, c.technology.read_bandwidth->value(),
              c.technology.read_bandwidth->value() * 1e-3);
  EXPECT_EQ(d[1], d[2]);
  EXPECT_LT(d[2], d[0]);
}

// ---------------------------------------------------------------------------------------------
// Diagnostics

struct BadKey {
  std::string read;     // read keys of the technology
  std::string key;      // expected diagnostic key, under memories.m.technology
  std::string message;  // expected start of the message
};

TEST(envm_sensing_config, BadReadKeysAreDiagnosedAtTheirKey) {
  const std::vector<BadKey> cases = {
      {"sensing: flash", "sensing", "'flash' is not one of"},
      {"sensing: sequential", "", "missing required key 'sense_time'"},
      {"sense_time: 2ns", "sense_time", "has no effect with sensing: parallel"},
      {"sensing: sequential, sense_time: 0ns", "sense_time", "must be positive"},
      {"read_latency: {1: 2ns, 2: 3ns}", "read_latency",
       "missing read_latency for 3 bits per cell (max_bits_per_cell is 3)"},
      {"read_latency: {1: 2ns, 2: 3ns, 3: 4ns, 7: 5ns}", "read_latency.7",
       "'7' is not a bits-per-cell mode"},
      {"read_cycle: {1: 2ns, 2: 0ns, 3: 4ns}", "read_cycle.2", "must be positive"},
      {"read_bandwidth: 0GB/s", "read_bandwidth", "'0GB/s' is not a valid bandwidth"},
      {"read_bandwidth: 9GHz", "read_bandwidth", ""},
      {"sense_amplifiers: 0", "sense_amplifiers", "must be positive"},
      {"sense_amplifiers: 8", "sense_amplifiers",
       "8 sense amplifiers sense too few cells for 2 bits per cell"},
  };
  for (const BadKey& c : cases) {
    const auto diags = diagnostics_of("memories:\n" + envm_block("m", technology(c.read), ""));
    ASSERT_EQ(diags.size(), 1u) << c.read << "\n" << describe(diags);
    const std::string key = "memories.m.technology" + (c.key.empty() ? "" : "." + c.key);
    EXPECT_EQ(diags[0].key, key) << c.read;
    EXPECT_EQ(diags[0].message.find(c.message), 0u) << c.read << ": " << diags[0].message;
  }
}

// ---------------------------------------------------------------------------------------------
// The binary on a MaxNVM platform

TEST(envm_sensing_cli, SlowerArrayReadLowersFps) {
  const std::string dir = test::scratch_dir("envm_sensing_fps");
  const std::string base = std::string("--platform ") + HMASIM_SOURCE_DIR +
                           "/platforms/maxnvm/nvdla1024-mlc-ctt.yaml --workload " +
                           HMASIM_SOURCE_DIR + "/workloads/networks/resnet50.yaml --weight-cache " +
                           dir + "/weights";
  const auto fps = [&](const std::string& name, const std::string& set) {
    const auto r = test::hmasim("run " + base + " --out " + dir + "/" + name + set);
    EXPECT_EQ(r.status, 0) << r.err;
    return test::json_number(test::slurp(dir + "/" + name + "/summary.json"), "fps_max");
  };
  const double as_shipped = fps("shipped", "");
  const double slow_bandwidth =
      fps("slow_bw", " --set memories.envm.technology.read_bandwidth=2GB/s");
  const double slow_sensing = fps("slow_seq",
                                  " --set memories.envm.technology.sensing=sequential"
                                  " --set memories.envm.technology.sense_time=20ns"
                                  " --set memories.envm.technology.read_bandwidth=1000GB/s");
  const double fast = fps("fast", " --set memories.envm.technology.read_bandwidth=1000GB/s");
  EXPECT_GT(as_shipped, 0.0);
  EXPECT_LT(slow_bandwidth, as_shipped);
  EXPECT_LT(slow_sensing, fast);
  EXPECT_LE(as_shipped, fast);
}

}  // namespace
}  // namespace hmasim
