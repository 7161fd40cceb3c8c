// The model guide's example (examples/custom_memory/) as a user would use it: its platform loads
// through the real loader, requests replay through it with the timing, energy and diagnostics its
// config promises, a network runs on it, and only the example's own hmasim lists it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>

#include "app/platform_file.hpp"
#include "app/run_report_builder.hpp"
#include "examples/custom_memory/fixed_latency_memory.hpp"
#include "hw/accelerator.hpp"
#include "support/cli.hpp"
#include "support/memory_bench.hpp"
#include "workloads/network.hpp"

namespace hmasim {
namespace {

using examples::FixedLatencyConfig;
using examples::FixedLatencyMemory;

const std::string kRoot = HMASIM_SOURCE_DIR;
const std::string kPlatform = kRoot + "/examples/custom_memory/platform.yaml";

PlatformConfig load_example(const std::vector<std::string>& overrides = {}) {
  ConfigDocument::set_preset_directory(kRoot + "/platforms/presets");
  return load_platform(kPlatform, overrides);
}

std::string slurp(const std::string& file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs a shell command line (support/cli.hpp runs only the shipped hmasim) and captures its exit
// status and both streams.
test::CliRun run_command(const std::string& command) {
  static int counter = 0;
  const std::string base = ::testing::TempDir() + "hmasim_example_" + std::to_string(::getpid()) +
                           "_" + std::to_string(counter++);
  const int raw =
      std::system((command + " >" + base + ".out 2>" + base + ".err </dev/null").c_str());
  test::CliRun r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = slurp(base + ".out");
  r.err = slurp(base + ".err");
  std::remove((base + ".out").c_str());
  std::remove((base + ".err").c_str());
  return r;
}

// Every diagnostic of loading the example platform with `overrides`, one per line.
std::string diagnostics_of(const std::vector<std::string>& overrides) {
  try {
    load_example(overrides);
  } catch (const ConfigError& e) {
    std::string all;
    for (const Diagnostic& d : e.diagnostics()) all += d.str() + "\n";
    return all;
  }
  return "";
}

// The example's memory `weights`, built from the platform file through the registry.
struct Bench {
  EnergyLedger ledger;
  std::unique_ptr<MemorySystem> system;
  MemoryTarget* memory = nullptr;
  explicit Bench(const std::vector<std::string>& overrides = {}) {
    PlatformConfig p = load_example(overrides);
    std::vector<MemorySpec> selected;
    for (const MemorySpec& s : p.memories) {
      if (s.name == "weights") selected.push_back(s);
    }
    system = std::make_unique<MemorySystem>(selected, ledger);
    memory = system->find("weights");
  }
};

TEST(CustomMemoryExample, RegisteredUnderItsName) {
  const auto* item = MemoryRegistry::instance().find("fixed_latency");
  ASSERT_NE(item, nullptr) << "the example's registration was dropped by the linker";
  EXPECT_EQ(item->kind, "memory");
}

TEST(CustomMemoryExample, PlatformLoadsIntoTheModelsConfig) {
  const PlatformConfig p = load_example();
  ASSERT_EQ(p.memories.size(), 2u);
  EXPECT_EQ(p.memories[0].name, "weights");
  const auto* c = dynamic_cast<const FixedLatencyConfig*>(p.memories[0].config.get());
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->common.model, "fixed_latency");
  EXPECT_EQ(c->latency, nanoseconds(40));
  EXPECT_EQ(c->port_width, Bytes(16));
  EXPECT_DOUBLE_EQ(c->read_energy.value(), 8e-12);
  EXPECT_DOUBLE_EQ(c->standby.value(), 2e-3);
  ASSERT_TRUE(p.accelerator);
}

TEST(CustomMemoryExample, LatencyIsOneCyclePerBeatPlusTheFixedLatency) {
  Bench b;
  ASSERT_NE(dynamic_cast<FixedLatencyMemory*>(b.memory), nullptr);
  test::run_script(*b.memory, [&](test::ScriptedInitiator& init) {
    // 64 B on a 16 B port at 1 GHz: 4 beats = 4 ns, then 40 ns.
    const auto r = init.read(0, 64);
    EXPECT_EQ(r.status, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(r.completed - r.issued, nanoseconds(4 + 40));
    init.advance_to(r.completed);
    // 17 B still take two whole beats.
    const auto w = init.write(256, std::vector<std::uint8_t>(17, 0x5A));
    EXPECT_EQ(w.completed - w.issued, nanoseconds(2 + 40));
  });
  std::vector<std::uint8_t> back(17);
  ASSERT_TRUE(b.memory->debug_read(256, back.data(), back.size()));
  EXPECT_EQ(back, std::vector<std::uint8_t>(17, 0x5A));  // real bytes
}

TEST(CustomMemoryExample, StreamReachesThePortsPeakBandwidth) {
  Bench b;
  const int n = 1000;
  Time last{0};
  test::run_script(*b.memory, [&](test::ScriptedInitiator& init) {
    for (int i = 0; i < n; ++i) {
      const auto r = init.read(64u * static_cast<unsigned>(i), 64);
      init.advance_to(r.accepted);  // the next request as soon as the port took this one
      last = r.completed;
    }
  });
  EXPECT_EQ(last, nanoseconds(4 * n + 40));
  const double achieved = bandwidth_of(Bytes(64u * n), last - nanoseconds(40)).value();
  EXPECT_DOUBLE_EQ(achieved, 16e9);
  EXPECT_DOUBLE_EQ(b.memory->peak_bandwidth().value(), 16e9);
}

TEST(CustomMemoryExample, EnergyPerBeatAndStandbyUnderItsOwnLabel) {
  Bench b;
  test::run_script(*b.memory, [&](test::ScriptedInitiator& init) {
    init.read(0, 64);                                     // 4 beats
    init.write(64, std::vector<std::uint8_t>(32, 0x00));  // 2 beats
  });
  b.memory->power_off(nanoseconds(600));
  b.memory->finish(nanoseconds(1000));
  const auto id = b.memory->component();
  const auto& actions = b.ledger.actions(id);
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].name, "read");
  EXPECT_EQ(actions[0].count, 4u);
  EXPECT_NEAR(actions[0].energy.value(), 4 * 8e-12, 1e-22);
  EXPECT_EQ(actions[1].name, "write");
  EXPECT_EQ(actions[1].count, 2u);
  EXPECT_NEAR(actions[1].energy.value(), 2 * 16e-12, 1e-22);
  // The constructor's label names the static share; standby stops while powered off.
  EXPECT_EQ(b.ledger.static_label(id), "standby");
  EXPECT_NEAR(b.ledger.static_energy(id).value(), 2e-3 * 600e-9, 1e-18);
}

TEST(CustomMemoryExample, BadValuesAreDiagnosticsNamingTheKey) {
  EXPECT_EQ(diagnostics_of({}), "");
  const std::string zero = diagnostics_of({"memories.weights.latency=0ns"});
  EXPECT_NE(zero.find("--set: memories.weights.latency: must be positive"), std::string::npos)
      << zero;
  // Not a whole number of 1 GHz cycles; at 2 GHz the same latency is 5 cycles.
  const std::string between = diagnostics_of({"memories.weights.latency=2.5ns"});
  EXPECT_NE(between.find("memories.weights.latency: must be a whole number of 1ns clock cycles"),
            std::string::npos)
      << between;
  EXPECT_EQ(diagnostics_of({"memories.weights.latency=2.5ns", "memories.weights.clock=2GHz"}), "");
  const std::string width = diagnostics_of({"memories.weights.port_width=0B"});
  EXPECT_NE(width.find("memories.weights.port_width: must be positive"), std::string::npos)
      << width;
  const std::string negative = diagnostics_of({"memories.weights.read_energy=-1pJ"});
  EXPECT_NE(negative.find("memories.weights.read_energy"), std::string::npos) << negative;
  const std::string typo = diagnostics_of({"memories.weights.standby=1mW"});
  EXPECT_NE(typo.find("memories.weights.standby: unknown key"), std::string::npos) << typo;
  // A file's own problems carry its name and line.
  std::string text = slurp(kPlatform);
  const std::string line = "    latency: 40ns\n";
  const auto at = text.find(line);
  ASSERT_NE(at, std::string::npos);
  text.erase(at, line.size());
  try {
    load_platform_text(text, "no-latency.yaml", {});
    ADD_FAILURE() << "a missing latency was accepted";
  } catch (const ConfigError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u) << e.what();
    const Diagnostic& d = e.diagnostics()[0];
    EXPECT_EQ(d.file, "no-latency.yaml");
    EXPECT_GT(d.line, 0);
    EXPECT_EQ(d.key, "memories.weights");
    EXPECT_NE(d.message.find("missing required key 'latency'"), std::string::npos) << d.str();
  }
}

TEST(CustomMemoryExample, RunsANetworkWithItsWeightsInTheExampleMemory) {
  const PlatformConfig p = load_example();
  const Network net = load_network(kRoot + "/workloads/networks/lenet5.yaml");
  EnergyLedger ledger;
  RunOptions options;
  Accelerator acc("accelerator", p.memories, *p.accelerator, net, options, ledger);
  sc_core::sc_start();
  ASSERT_TRUE(acc.finished()) << acc.error();
  for (MemoryTarget* m : acc.memories()) m->finish(acc.end_time());
  ledger.close(acc.end_time());
  const RunReport r = build_run_report(acc, ledger, p.name, net.name, options);
  ASSERT_EQ(r.memories.size(), 2u);
  const MemoryReport& weights = r.memories[0];
  EXPECT_EQ(weights.model, "fixed_latency");
  EXPECT_GT(weights.weight_bytes, 0u);
  EXPECT_DOUBLE_EQ(weights.peak_bandwidth_bytes_per_s, 16e9);
  // The weights were read through the model: its read action, and every byte over its link.
  const MemoryTarget& m = *acc.memories()[0];
  EXPECT_GT(m.stats().bytes_read, weights.weight_bytes / 2);
  EXPECT_EQ(weights.link_bytes, m.stats().bytes_read + m.stats().bytes_written);
  const auto& read = ledger.actions(m.component())[0];
  EXPECT_EQ(read.name, "read");
  EXPECT_GT(read.count, 0u);
  EXPECT_GT(ledger.dynamic_energy(m.component()).value(), 0);
}

// What the guide tells a user to run: the example's own hmasim knows the model, the shipped one
// does not (the example stays out of its model list).
TEST(CustomMemoryExample, OnlyTheExamplesOwnBinaryListsIt) {
  const std::string example = HMASIM_CUSTOM_MEMORY_BINARY;
  const auto models = run_command(example + " models");
  EXPECT_EQ(models.status, 0);
  EXPECT_NE(models.out.find("fixed_latency"), std::string::npos) << models.out;
  const auto shipped = test::hmasim("models");
  EXPECT_EQ(shipped.status, 0);
  EXPECT_EQ(shipped.out.find("fixed_latency"), std::string::npos) << shipped.out;

  const auto check = run_command(example + " check " + kPlatform);
  EXPECT_EQ(check.status, 0) << check.err;
  const auto shipped_check = test::hmasim("check " + kPlatform);
  EXPECT_EQ(shipped_check.status, 2);
  EXPECT_NE(shipped_check.err.find("fixed_latency"), std::string::npos) << shipped_check.err;

  const auto replay =
      run_command(example + " replay --platform " + kPlatform + " --memory weights --trace " +
                  kRoot + "/platforms/traces/demo.stl");
  EXPECT_EQ(replay.status, 0) << replay.err;
  EXPECT_NE(replay.out.find("\"model\": \"fixed_latency\""), std::string::npos) << replay.out;
  EXPECT_NE(replay.out.find("\"standby\": "), std::string::npos) << replay.out;
  EXPECT_NE(replay.out.find("\"peak_bandwidth_bytes_per_s\": 16000000000"), std::string::npos)
      << replay.out;
}

}  // namespace
}  // namespace hmasim
