// hmasim fault-rates: the analytic MLC misread rates of one eNVM memory of a platform next to the
// rates measured by injecting faults into simulated cells (docs/user-guide.md).
#include <boost/program_options.hpp>
#include <iostream>

#include "app/command_line.hpp"
#include "app/commands.hpp"
#include "app/overrides.hpp"
#include "app/platform_file.hpp"
#include "core/json_writer.hpp"
#include "mem/envm/envm.hpp"
#include "mem/faults/fault_injector.hpp"
#include "mem/faults/mlc_fault_model.hpp"

namespace hmasim {

namespace po = boost::program_options;

namespace {

constexpr const char* kName = "hmasim fault-rates";

int fail(const std::string& message) {
  std::cerr << kName << ": " << message << "\n";
  return 2;
}

}  // namespace

int cmd_fault_rates(const std::vector<std::string>& args) {
  po::options_description opts(
      "usage: hmasim fault-rates --platform P.yaml --memory NAME [options]\n\n"
      "Prints, as JSON, the read thresholds and per-level misread probabilities of an eNVM\n"
      "memory's multi-level cells (Gaussian level model), next to the rates measured by\n"
      "injecting faults into N simulated cells holding every level equally often.\n\noptions");
  std::string platform, memory, mode_text = "program", coding_text;
  std::string bits_text, cells_text = "1000000", seed_text = "1";
  std::vector<std::string> set;
  opts.add_options()("help,h", "show this help")("platform", po::value(&platform)->required(),
                                                 "platform YAML file")(
      "memory", po::value(&memory)->required(), "name of an envm memory of the platform")(
      "bits", po::value(&bits_text), "bits per cell (default: the memory's bits_per_cell)")(
      "cells", po::value(&cells_text), "simulated cells (default 1000000)")(
      "seed", po::value(&seed_text), "seed of the injected faults (default 1)")(
      "mode", po::value(&mode_text), "injection mode: program (default) or read")(
      "coding", po::value(&coding_text),
      "level coding: gray or binary (default: the memory's faults.coding)")(
      "set", po::value(&set)->composing(), "override a platform key: key.path=value");
  po::variables_map vm;
  if (auto done = parse_command_line("fault-rates", opts, args, &vm)) return *done;
  const auto mode = fault_mode_from_string(mode_text);
  if (!mode || *mode == FaultMode::off) {
    return fail("--mode: '" + mode_text + "' is not one of: program, read");
  }
  // Cells are simulated one by one: 10^9 takes minutes, more is surely a typo.
  const auto cells = integer_option("fault-rates", "cells", cells_text, 1, 1'000'000'000);
  const auto seed = integer_option("fault-rates", "seed", seed_text, 0, UINT64_MAX);
  if (!cells || !seed) return 2;
  const Overrides overrides = split_overrides(set);
  if (!overrides_usable("fault-rates", overrides, true, false)) return 2;

  PlatformConfig config;
  try {
    config = load_platform(platform, overrides.platform);
  } catch (const ConfigError& e) {
    return report(e);
  }
  const MemorySpec* spec = nullptr;
  std::string names;
  for (const auto& s : config.memories) {
    names += (names.empty() ? "" : ", ") + s.name;
    if (s.name == memory) spec = &s;
  }
  if (!spec) {
    return fail("platform '" + config.name + "' has no memory '" + memory + "' (it has: " + names +
                ")");
  }
  const auto* envm = dynamic_cast<const EnvmConfig*>(spec->config.get());
  if (!envm) {
    return fail("memory '" + memory + "' is a '" + spec->config->common.model +
                "' memory; fault rates need an 'envm' memory");
  }
  const EnvmTechnology& tech = envm->technology;
  int bits = envm->bits_per_cell;
  if (vm.count("bits")) {
    const auto b = integer_option("fault-rates", "bits", bits_text, 1,
                                  static_cast<std::uint64_t>(EnvmTechnology::kMaxBitsPerCell));
    if (!b) return 2;
    bits = static_cast<int>(*b);
  }
  if (!tech.levels.has(bits)) {
    return fail("memory '" + memory + "': the technology gives no level_distributions for " +
                std::to_string(bits) + " bits per cell (max_bits_per_cell " +
                std::to_string(tech.max_bits_per_cell) + ")");
  }
  LevelCoding coding = envm->faults.coding;
  if (!coding_text.empty()) {
    const auto c = level_coding_from_string(coding_text);
    if (!c) return fail("--coding: '" + coding_text + "' is not one of: gray, binary");
    coding = *c;
  }

  const MlcFaultModel model(tech.levels.levels(bits), tech.sense_offset);
  const MeasuredRates measured =
      measure_misread_rates(model, coding, *mode, *seed, *cells, tech.cells_per_access);

  JsonWriter j;
  j.begin_object();
  j.value("platform", config.name);
  j.value("memory", memory);
  j.value("technology", tech.name);
  j.value("bits_per_cell", bits);
  j.value("coding", to_string(coding));
  j.value("mode", to_string(*mode));
  j.value("seed", *seed);
  j.value("cells", *cells);
  j.value("cells_per_unit", std::uint64_t{tech.cells_per_access});
  j.value("sense_offset", tech.sense_offset);
  j.begin_array("thresholds");
  for (double t : model.thresholds()) j.value("", t);
  j.end_array();
  j.begin_array("levels");
  for (std::size_t l = 0; l < model.level_count(); ++l) {
    j.begin_object();
    j.value("level", static_cast<std::uint64_t>(l));
    j.value("mean", model.levels()[l].mean);
    j.value("sigma", model.levels()[l].sigma);
    j.value("analytic_down", model.p_down(l));
    j.value("analytic_up", model.p_up(l));
    j.value("measured_down", measured.down_rate(l));
    j.value("measured_up", measured.up_rate(l));
    j.value("cells", measured.cells[l]);
    j.value("non_adjacent", model.p_non_adjacent(l));
    j.end_object();
  }
  j.end_array();
  j.value("analytic_mean_misread", model.mean_misread_rate());
  j.value("measured_mean_misread", measured.mean_rate());
  j.value("measured_level_faults", measured.misreads());
  j.value("measured_bit_errors", measured.bit_errors);
  j.value("non_adjacent_bound", model.max_non_adjacent());
  j.end_object();
  std::cout << j.str() << "\n";
  return 0;
}

}  // namespace hmasim
