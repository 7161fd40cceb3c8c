// `hmasim fault-rates` end to end: the real binary on the shipped memory-demo platform. The
// analytic figures are checked against a fault model built here from the parsed preset, the
// measured ones against the analytic ones within the statistical bound of the injector tests.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <string>

#include "mem/envm/envm.hpp"
#include "mem/faults/mlc_fault_model.hpp"
#include "support/cli.hpp"
#include "support/memory_bench.hpp"

namespace hmasim {
namespace {

using test::CliRun;

const std::string kPlatform = std::string(HMASIM_SOURCE_DIR) + "/platforms/memory-demo.yaml";

CliRun fault_rates(const std::string& args) {
  return test::hmasim("fault-rates --platform " + kPlatform + " " + args);
}

TEST(fault_rates_cli, PrintsAnalyticAndMeasuredRatesPerLevel) {
  const std::uint64_t cells = 2'000'000;
  const CliRun r = fault_rates("--memory rram --bits 3 --cells " + std::to_string(cells));
  ASSERT_EQ(r.status, 0) << r.err;
  const YAML::Node j = YAML::Load(r.out);  // JSON is YAML
  EXPECT_EQ(j["memory"].as<std::string>(), "rram");
  EXPECT_EQ(j["bits_per_cell"].as<int>(), 3);
  EXPECT_EQ(j["coding"].as<std::string>(), "gray");
  EXPECT_EQ(j["cells"].as<std::uint64_t>(), cells);

  const auto specs = test::parse_platform(
      "memories:\n  m: {model: envm, capacity: 1MiB, technology: {preset: rram}}\n");
  const MlcFaultModel model(
      dynamic_cast<const EnvmConfig&>(*specs.at(0).config).technology.levels.levels(3));
  ASSERT_EQ(j["thresholds"].size(), 7u);
  ASSERT_EQ(j["levels"].size(), 8u);
  auto close = [](double a, double b) { return std::abs(a - b) <= 1e-10 * std::abs(b) + 1e-300; };
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_TRUE(close(j["thresholds"][i].as<double>(), model.thresholds()[i])) << i;
  }
  std::uint64_t total = 0;
  for (std::size_t l = 0; l < 8; ++l) {
    const YAML::Node lv = j["levels"][l];
    EXPECT_DOUBLE_EQ(lv["mean"].as<double>(), model.levels()[l].mean);
    EXPECT_TRUE(close(lv["analytic_down"].as<double>(), model.p_down(l))) << l;
    EXPECT_TRUE(close(lv["analytic_up"].as<double>(), model.p_up(l))) << l;
    const double n = lv["cells"].as<double>();
    total += lv["cells"].as<std::uint64_t>();
    for (const char* dir : {"down", "up"}) {
      const double p = lv[std::string("analytic_") + dir].as<double>();
      const double measured = lv[std::string("measured_") + dir].as<double>();
      EXPECT_NEAR(measured, p, 5.0 * std::sqrt(p * (1 - p) / n) + 1.0 / n) << l << " " << dir;
    }
  }
  EXPECT_EQ(total, cells);
  EXPECT_TRUE(close(j["analytic_mean_misread"].as<double>(), model.mean_misread_rate()));
  EXPECT_TRUE(close(j["non_adjacent_bound"].as<double>(), model.max_non_adjacent()));
  // Gray coding: one bit per misread level.
  EXPECT_EQ(j["measured_bit_errors"].as<std::uint64_t>(),
            j["measured_level_faults"].as<std::uint64_t>());
}

TEST(fault_rates_cli, SameSeedSameOutputOtherSeedOtherFaults) {
  const CliRun a = fault_rates("--memory ctt --cells 300000 --seed 4");
  const CliRun b = fault_rates("--memory ctt --cells 300000 --seed 4");
  const CliRun c = fault_rates("--memory ctt --cells 300000 --seed 5 --mode read");
  ASSERT_EQ(a.status, 0) << a.err;
  ASSERT_EQ(c.status, 0) << c.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(YAML::Load(a.out)["measured_level_faults"].as<std::uint64_t>(),
            YAML::Load(c.out)["measured_level_faults"].as<std::uint64_t>());
}

TEST(fault_rates_cli, OverridesReachTheModel) {
  const CliRun r = fault_rates(
      "--memory rram --bits 2 --cells 1000 --set memories.rram.technology.sense_offset=0.02");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_DOUBLE_EQ(YAML::Load(r.out)["sense_offset"].as<double>(), 0.02);
}

TEST(fault_rates_cli, BadRequestsExitWithStatusTwoAndSayWhy) {
  struct Case {
    std::string args, message;
  };
  const Case cases[] = {
      {"--memory nope", "has no memory 'nope' (it has: dram, sram, rram, ctt, ideal)"},
      {"--memory sram", "fault rates need an 'envm' memory"},
      {"--memory rram --bits 4", "no level_distributions for 4 bits per cell"},
      {"--memory rram --bits 0", "--bits: '0' must be at least 1"},
      {"--memory rram --bits 5", "--bits: '5' is too large (at most 4)"},
      {"--memory rram --bits -1", "--bits: '-1' must not be negative"},
      {"--memory rram --seed -1", "--seed: '-1' must not be negative"},
      {"--memory rram --cells 1e6", "--cells: '1e6' is not a whole number"},
      {"--memory rram --mode off", "--mode: 'off' is not one of: program, read"},
      {"--memory rram --coding octal", "--coding: 'octal' is not one of: gray, binary"},
      {"--memory rram --cells 0", "--cells: '0' must be at least 1"},
      {"--memory rram --set workload.input.h=3", "no workload file is read here"},
      {"", "memory"},  // required option missing
  };
  for (const Case& c : cases) {
    const CliRun r = fault_rates(c.args);
    EXPECT_EQ(r.status, 2) << c.args;
    EXPECT_TRUE(r.out.empty()) << c.args;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << ": " << r.err;
  }
}

}  // namespace
}  // namespace hmasim
