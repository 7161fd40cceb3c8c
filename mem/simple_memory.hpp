// `simple`: the ideal memory for comparisons and the reference example of a plug-in model. One
// shared data path of fixed bandwidth, a fixed access latency, energy per byte read and written,
// and constant leakage. A request occupies the data path for length / bandwidth and completes one
// latency after its data has passed.
#pragma once

#include "mem/memory_config.hpp"
#include "mem/memory_target.hpp"

namespace hmasim {

struct SimpleMemoryConfig : MemoryConfig {
  Time latency{0};
  Bandwidth bandwidth{1.0};
  Energy read_energy_per_byte{0.0};
  Energy write_energy_per_byte{0.0};
  Power leakage{0.0};
  double area_mm2 = 0.0;

  static SimpleMemoryConfig parse(const ConfigNode& node, const std::string& instance);
};

class SimpleMemory final : public MemoryTarget {
 public:
  SimpleMemory(const sc_core::sc_module_name& name, const SimpleMemoryConfig& config,
               EnergyLedger& ledger);

  Bandwidth peak_bandwidth() const override { return config_.bandwidth; }
  double area_mm2() const override { return config_.area_mm2; }

 protected:
  Outcome serve(const Request& request) override;
  bool retains_contents() const override { return true; }
  void on_power_off(Time at) override { set_static_power(Power(0.0), at); }
  void on_power_on(Time at) override { set_static_power(config_.leakage, at); }

 private:
  SimpleMemoryConfig config_;
  Cycles latency_;
  Cycles path_free_{0};  // first cycle the data path is free
  EnergyLedger::ActionId read_, write_;
};

}  // namespace hmasim
