#include "mem/simple_memory.hpp"

#include <cmath>

#include "mem/memory_registry.hpp"

namespace hmasim {

SimpleMemoryConfig SimpleMemoryConfig::parse(const ConfigNode& node, const std::string& instance) {
  SimpleMemoryConfig c;
  c.common = parse_common_config(node, instance, Frequency(1'000'000'000), Bytes(1));
  c.latency = node.get<Time>("latency");
  node.require(c.latency <= kMaxLatency, "latency", "must be at most 1s");
  c.bandwidth = node.get<Bandwidth>("bandwidth");
  node.require(
      !node.has("bandwidth") || (c.bandwidth.value() >= 1e3 && c.bandwidth.value() <= 1e15),
      "bandwidth", "must be between 1KB/s and 1PB/s");
  c.read_energy_per_byte = node.get<Energy>("read_energy_per_byte", Energy(0.0));
  c.write_energy_per_byte = node.get<Energy>("write_energy_per_byte", Energy(0.0));
  c.leakage = node.get<Power>("leakage", Power(0.0));
  c.area_mm2 = node.get<double>("area_mm2", 0.0);
  node.require(c.area_mm2 >= 0.0, "area_mm2", "must not be negative");
  return c;
}

SimpleMemory::SimpleMemory(const sc_core::sc_module_name& name, const SimpleMemoryConfig& config,
                           EnergyLedger& ledger)
    : MemoryTarget(name, config.common, ledger),
      config_(config),
      latency_(clock().cycles_for(config.latency)),
      read_(ledger.add_action(component(), "read")),
      write_(ledger.add_action(component(), "write")) {
  set_static_power(config_.leakage, Time(0));
}

SimpleMemory::Outcome SimpleMemory::serve(const Request& r) {
  // Cycles the data path needs for this request at the configured bandwidth (at least one).
  const double seconds = static_cast<double>(r.length) / config_.bandwidth.value();
  const double cycles =
      std::ceil(seconds * static_cast<double>(clock().frequency().value()) - 1e-9);
  const Cycles occupancy(std::max<std::uint64_t>(1, static_cast<std::uint64_t>(cycles)));
  const Cycles start = max(r.arrival, path_free_);
  path_free_ = start + occupancy;
  mutable_stats().busy_cycles += occupancy.value();
  if (r.command == tlm::TLM_READ_COMMAND) {
    ledger().charge(read_, config_.read_energy_per_byte, r.length);
  } else {
    ledger().charge(write_, config_.write_energy_per_byte, r.length);
  }
  Outcome o;
  o.accepted = start;
  o.done = path_free_ + latency_;
  return o;
}

HMASIM_REGISTER_MEMORY(SimpleMemory, SimpleMemoryConfig, "simple",
                       "ideal memory: fixed latency, fixed bandwidth, energy per byte, leakage");

}  // namespace hmasim
