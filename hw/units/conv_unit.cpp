#include "hw/units/conv_unit.hpp"

#include <algorithm>

namespace hmasim {

ConvUnit::ConvUnit(const sc_core::sc_module_name& name, const MacArrayConfig& config, Clock clock,
                   EnergyLedger& ledger, EnergyLedger::ComponentId c, Cbuf& cbuf, Sdp& sdp)
    : ComputeUnit(name, clock), core_(config), ledger_(ledger), cbuf_(cbuf), sdp_(sdp) {
  mac_ = ledger.add_action(c, "mac");
  ledger.set_static_power(c, config.leakage, Time(0));
}

ComputeUnit::Work ConvUnit::plan(const TileJob& job) {
  const LayerProgram& p = *job.program;
  const ConvWork& w = p.work;
  const Tile& t = *job.tile;
  // The stripe covers the tile's output rows x output columns (all columns but for a W split).
  const std::uint64_t columns = tile_columns(t, w).size();
  const std::uint64_t positions = t.out_rows.size() * columns;
  const std::uint64_t channels = t.channels.empty() ? w.channels : t.channels.size();
  const ConvCore::Timing c = core_.compute(w, positions, t.kernels.size(), channels, columns);
  // Partial sums of a channel slice stay in the accumulator: only the last slice emits.
  planned_.outputs = t.writes ? positions * t.kernels.size() : 0;
  planned_.cbuf_read_bytes = c.feature_read_bytes + c.weight_read_bytes;
  planned_.macs = positions * t.kernels.size() * p.macs_per_output * channels /
                  std::max<std::uint64_t>(1, w.channels);
  Cycles cycles = max(c.cycles, sdp_.drain_cycles(planned_.outputs));
  if (job.first()) cycles += core_.config().pipeline_fill;
  return {cycles, c.atomic_ops};
}

void ConvUnit::charge(const TileJob& job, Time begin, Time end) {
  ledger_.charge(mac_, core_.config().energy_per_mac, planned_.macs, begin, end);
  cbuf_.read(planned_.cbuf_read_bytes, begin, end);
  sdp_.drained(planned_.outputs, begin, end);
  // A fused element-wise operation is one more SDP stage per output, in line with the first.
  if (job.program->fused_eltwise) sdp_.drained(planned_.outputs, begin, end);
}

}  // namespace hmasim
