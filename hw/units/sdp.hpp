// The single-point data processor (SDP): bias, batch norm, activation and element-wise operations
// on the output path. It drains the convolution core's outputs at `post.outputs_per_cycle` (the
// slower of the two sets a tile's pace) and runs element-wise layers on its own, reading both
// inputs from the CBUF. Energy per output it produces.
#pragma once

#include "core/energy_ledger.hpp"
#include "hw/accelerator_config.hpp"
#include "hw/units/compute_unit.hpp"

namespace hmasim {

class Sdp : public ComputeUnit {
 public:
  // `post`: the ledger component of the post-processors (SDP and PDP share it).
  Sdp(const sc_core::sc_module_name& name, const PostConfig& config, Clock clock,
      EnergyLedger& ledger, EnergyLedger::ComponentId post);

  // Cycles to drain `outputs` of the convolution core.
  Cycles drain_cycles(std::uint64_t outputs) const;
  // The core's `outputs` passed through over [begin, end).
  void drained(std::uint64_t outputs, Time begin, Time end);

 protected:
  Work plan(const TileJob& job) override;
  void charge(const TileJob& job, Time begin, Time end) override;

 private:
  std::uint64_t outputs(const TileJob& job) const;
  PostConfig config_;
  EnergyLedger& ledger_;
  EnergyLedger::ActionId output_;
};

}  // namespace hmasim
