// What the post-processors (SDP, PDP) share: the `post` config (outputs per cycle, energy per
// output), and the energy-ledger component "post" both charge their outputs to.
#pragma once

#include "core/energy_ledger.hpp"
#include "hw/accelerator_config.hpp"
#include "hw/units/compute_unit.hpp"

namespace hmasim {

class PostUnit : public ComputeUnit {
 public:
  // `post`: the ledger component of the post-processors (leakage is set by the platform).
  PostUnit(const sc_core::sc_module_name& name, const PostConfig& config, Clock clock,
           EnergyLedger& ledger, EnergyLedger::ComponentId post)
      : ComputeUnit(name, clock),
        config_(config),
        ledger_(ledger),
        output_(ledger.add_action(post, "output")) {}

 protected:
  // `outputs` produced over [begin, end).
  void charge_outputs(std::uint64_t outputs, Time begin, Time end) {
    ledger_.charge(output_, config_.energy_per_output, outputs, begin, end);
  }
  const PostConfig& config() const { return config_; }

 private:
  PostConfig config_;
  EnergyLedger& ledger_;
  EnergyLedger::ActionId output_;
};

}  // namespace hmasim
