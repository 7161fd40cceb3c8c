#include "hw/units/pdp.hpp"

#include <algorithm>

#include "core/integer_math.hpp"

namespace hmasim {

Pdp::Pdp(const sc_core::sc_module_name& name, const PostConfig& config, Clock clock,
         EnergyLedger& ledger, EnergyLedger::ComponentId post)
    : ComputeUnit(name, clock),
      config_(config),
      ledger_(ledger),
      output_(ledger.add_action(post, "output")) {}

ComputeUnit::Work Pdp::plan(const TileJob& job) {
  const ConvWork& w = job.program->work;
  RowRange in;
  w.input_rows(job.tile->out_rows.begin, job.tile->out_rows.end, in.begin, in.end);
  return {Cycles(std::max<std::uint64_t>(
              1, ceil_div(in.size() * w.in_w * w.in_c, config_.outputs_per_cycle))),
          0};
}

void Pdp::charge(const TileJob& job, Time begin, Time end) {
  const ConvWork& w = job.program->work;
  const std::uint64_t outputs = job.tile->out_rows.size() * w.out_w * w.kernels;
  ledger_.charge(output_, config_.energy_per_output, outputs, begin, end);
}

}  // namespace hmasim
