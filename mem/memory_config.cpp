#include "mem/memory_config.hpp"

namespace hmasim {

MemoryCommonConfig parse_common_config(const ConfigNode& node, const std::string& instance,
                                       Frequency default_clock, Bytes default_alignment,
                                       bool clock_key) {
  MemoryCommonConfig c;
  c.instance = instance;
  c.model = node.get<std::string>("model");
  c.capacity = node.get<Bytes>("capacity");
  node.require(c.capacity.value() > 0 || !node.has("capacity"), "capacity", "must be positive");
  c.clock = clock_key ? node.get<Frequency>("clock", default_clock) : default_clock;
  if (!node.require(c.clock >= kMinClock && c.clock <= kMaxClock, "clock",
                    "must be between 1kHz and 1THz (time is counted in whole picoseconds)")) {
    c.clock = default_clock;
  }
  c.alignment = node.get<Bytes>("alignment", default_alignment);
  if (node.require(c.alignment.value() > 0, "alignment", "must be positive") &&
      c.capacity.value() > 0) {
    node.require(c.capacity.value() % c.alignment.value() == 0, "capacity",
                 "capacity " + to_string(c.capacity) + " is not a multiple of the alignment " +
                     to_string(c.alignment));
  }
  c.store_data = node.choice("storage", {"sparse", "none"}, "sparse") == "sparse";
  c.power = parse_power_config(node, true);
  return c;
}

}  // namespace hmasim
