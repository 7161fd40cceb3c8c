// The convolution core (CSC + CMAC + CACC) as a unit: the pure ConvCore calculator gives a tile's
// atomic operations and cycles, the SDP drains the outputs at its own rate (the slower of the two
// sets the pace), the first tile of a layer pays the pipeline fill. Energy per MAC (zeros
// included: NVDLA does not skip them) and the CBUF bytes the array reads.
#pragma once

#include "core/energy_ledger.hpp"
#include "hw/accelerator_config.hpp"
#include "hw/conv_core.hpp"
#include "hw/units/cbuf.hpp"
#include "hw/units/compute_unit.hpp"
#include "hw/units/sdp.hpp"

namespace hmasim {

class ConvUnit : public ComputeUnit {
 public:
  // `component`: its energy-ledger component (leakage is set here).
  ConvUnit(const sc_core::sc_module_name& name, const MacArrayConfig& config, Clock clock,
           EnergyLedger& ledger, EnergyLedger::ComponentId component, Cbuf& cbuf, Sdp& sdp);

 protected:
  Work plan(const TileJob& job) override;
  void charge(const TileJob& job, Time begin, Time end) override;

 private:
  // What plan() found for the tile, charged once its span is known.
  struct Planned {
    std::uint64_t macs = 0;
    std::uint64_t cbuf_read_bytes = 0;
    std::uint64_t outputs = 0;
  };
  ConvCore core_;
  EnergyLedger& ledger_;
  EnergyLedger::ActionId mac_;
  Cbuf& cbuf_;
  Sdp& sdp_;
  Planned planned_;
};

}  // namespace hmasim
