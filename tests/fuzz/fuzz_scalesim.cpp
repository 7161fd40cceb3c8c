// libFuzzer harness: the SCALE-Sim topology importer (workloads/scalesim_import.hpp). A
// ConfigError is the clean refusal of a bad CSV; anything else is a finding, and so is YAML
// output that our own network loader refuses (an importer must never write such a file).
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <string>

#include "core/config_error.hpp"
#include "workloads/network.hpp"
#include "workloads/scalesim_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string csv(reinterpret_cast<const char*>(data), size);
  std::string yaml;
  try {
    yaml = hmasim::import_scalesim(csv, "fuzz.csv", "");
  } catch (const hmasim::ConfigError&) {
    return 0;
  }
  try {
    hmasim::load_network_text(yaml, "fuzz-imported.yaml");
  } catch (const hmasim::ConfigError& e) {
    std::cerr << "fuzz_scalesim: the importer wrote YAML the loader refuses:\n"
              << e.what() << "\n--- imported YAML ---\n"
              << yaml << "---\n";
    __builtin_trap();
  }
  return 0;
}
