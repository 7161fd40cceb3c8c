// The planar data processor (PDP): pooling. It streams every input element of a tile's window
// rows once, at `post.outputs_per_cycle` elements per cycle, and charges energy per output.
#pragma once

#include "core/energy_ledger.hpp"
#include "hw/accelerator_config.hpp"
#include "hw/units/compute_unit.hpp"

namespace hmasim {

class Pdp : public ComputeUnit {
 public:
  Pdp(const sc_core::sc_module_name& name, const PostConfig& config, Clock clock,
      EnergyLedger& ledger, EnergyLedger::ComponentId post);

 protected:
  Work plan(const TileJob& job) override;
  void charge(const TileJob& job, Time begin, Time end) override;

 private:
  PostConfig config_;
  EnergyLedger& ledger_;
  EnergyLedger::ActionId output_;
};

}  // namespace hmasim
