#include "examples/custom_memory/fixed_latency_memory.hpp"

#include "core/clock.hpp"
#include "mem/memory_registry.hpp"

namespace hmasim::examples {

FixedLatencyConfig FixedLatencyConfig::parse(const ConfigNode& node, const std::string& instance) {
  FixedLatencyConfig c;
  // The keys every memory has (model, capacity, clock, alignment, storage), with this model's
  // defaults: a 1 GHz clock and no alignment constraint.
  c.common = parse_common_config(node, instance, Frequency(1'000'000'000), Bytes(1));
  c.latency = node.get<Time>("latency");  // required: a missing key is a diagnostic
  c.port_width = node.get<Bytes>("port_width", Bytes(8));
  c.read_energy = node.get<Energy>("read_energy", Energy(0.0));
  c.write_energy = node.get<Energy>("write_energy", Energy(0.0));
  c.standby = node.get<Power>("standby_power", Power(0.0));
  node.require(c.port_width.value() > 0, "port_width", "must be positive");
  node.require(c.read_energy.value() >= 0, "read_energy", "must not be negative");
  node.require(c.write_energy.value() >= 0, "write_energy", "must not be negative");
  node.require(c.standby.value() >= 0, "standby_power", "must not be negative");
  // A latency between clock edges would be rounded up without a word: say so instead. Derived
  // checks run on valid values only (a missing latency is already get's diagnostic).
  if (node.has("latency") && node.require(c.latency.value() > 0, "latency", "must be positive") &&
      c.common.clock.value() > 0) {
    const Clock clock(c.common.clock);
    node.require(clock.time_of(clock.cycles_for(c.latency)) == c.latency, "latency",
                 "must be a whole number of " + to_string(clock.period()) + " clock cycles");
  }
  return c;
}

FixedLatencyMemory::FixedLatencyMemory(const sc_core::sc_module_name& name,
                                       const FixedLatencyConfig& config, EnergyLedger& ledger)
    // The last argument names the static share of this memory's energy in reports and in the
    // ledger ("leakage" if omitted; LPDDR4 says "background").
    : MemoryTarget(name, config.common, ledger, "standby"),
      config_(config),
      latency_(clock().cycles_for(config.latency)),
      read_(ledger.add_action(component(), "read")),
      write_(ledger.add_action(component(), "write")) {
  set_static_power(config_.standby, Time(0));
}

Bandwidth FixedLatencyMemory::peak_bandwidth() const {
  return Bandwidth(static_cast<double>(config_.port_width.value()) *
                   static_cast<double>(clock().frequency().value()));
}

FixedLatencyMemory::Outcome FixedLatencyMemory::serve(const Request& r) {
  // Timing by reservation: the request holds the port for one cycle per beat, from when both it
  // and the port are there. No clocked process.
  const std::uint64_t width = config_.port_width.value();
  const Cycles beats((r.length + width - 1) / width);
  const Cycles start = max(r.arrival, port_free_);
  port_free_ = start + beats;
  mutable_stats().busy_cycles += beats.value();
  if (r.command == tlm::TLM_READ_COMMAND) {
    ledger().charge(read_, config_.read_energy, beats.value());
  } else {
    ledger().charge(write_, config_.write_energy, beats.value());
  }
  Outcome o;
  o.accepted = start;              // the next request may be sent now
  o.done = port_free_ + latency_;  // the response
  return o;
}

HMASIM_REGISTER_MEMORY(FixedLatencyMemory, FixedLatencyConfig, "fixed_latency",
                       "example (examples/custom_memory): one data port, fixed latency");

}  // namespace hmasim::examples
