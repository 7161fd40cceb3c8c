// The model guide's example (docs/model-guide.md quotes it whole): a memory with one data port
// that moves `port_width` bytes per clock cycle and answers a request a fixed `latency` after its
// last beat. Energy per beat read or written; standby power while powered on.
#pragma once

#include <string>

#include "core/config_node.hpp"
#include "core/energy_ledger.hpp"
#include "core/units.hpp"
#include "mem/memory_config.hpp"
#include "mem/memory_target.hpp"

namespace hmasim::examples {

// The validated runtime config: `parse` reads a platform's memory block into it.
struct FixedLatencyConfig : MemoryConfig {
  Time latency{0};           // from the last data beat to the response
  Bytes port_width{8};       // bytes the data port moves per clock cycle
  Energy read_energy{0.0};   // per beat
  Energy write_energy{0.0};  // per beat
  Power standby{0.0};        // while powered on

  static FixedLatencyConfig parse(const ConfigNode& node, const std::string& instance);
};

class FixedLatencyMemory final : public MemoryTarget {
 public:
  FixedLatencyMemory(const sc_core::sc_module_name& name, const FixedLatencyConfig& config,
                     EnergyLedger& ledger);

  Bandwidth peak_bandwidth() const override;

 protected:
  Outcome serve(const Request& request) override;
  bool retains_contents() const override { return true; }
  void on_power_off(Time at) override { set_static_power(Power(0.0), at); }
  void on_power_on(Time at) override { set_static_power(config_.standby, at); }

 private:
  FixedLatencyConfig config_;
  Cycles latency_;
  Cycles port_free_{0};  // first cycle the data port is free
  EnergyLedger::ActionId read_, write_;
};

}  // namespace hmasim::examples
