// libFuzzer harness: the network loader (workloads/network.hpp) on YAML text with `--set`
// overrides (input format: fuzz_input.hpp), then the statistics of every network it accepts.
// A ConfigError is the clean refusal; anything else is a finding.
#include <cstddef>
#include <cstdint>

#include "core/config_error.hpp"
#include "fuzz_input.hpp"
#include "workloads/network.hpp"
#include "workloads/network_stats.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const hmasim::fuzz::Input in = hmasim::fuzz::split_input(data, size);
  try {
    const hmasim::Network net = hmasim::load_network_text(in.text, "fuzz.yaml", in.overrides);
    // A validated network must have statistics (and a printable summary) without failing.
    const hmasim::NetworkStats stats = hmasim::network_stats(net);
    (void)hmasim::summary_line(stats);
  } catch (const hmasim::ConfigError&) {
  }
  return 0;
}
