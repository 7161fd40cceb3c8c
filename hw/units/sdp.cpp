#include "hw/units/sdp.hpp"

#include <algorithm>

#include "core/integer_math.hpp"

namespace hmasim {

Cycles Sdp::drain_cycles(std::uint64_t outputs) const {
  return Cycles(ceil_div(outputs, config().outputs_per_cycle));
}

void Sdp::drained(std::uint64_t outputs, Time begin, Time end) {
  charge_outputs(outputs, begin, end);
}

std::uint64_t Sdp::outputs(const TileJob& job) const {
  const ConvWork& w = job.program->work;
  return tile_positions(*job.tile, w) * w.kernels;
}

ComputeUnit::Work Sdp::plan(const TileJob& job) {
  // Softmax, layer norm and GELU go through the SDP's function unit (NVDLA's LUT) at its own
  // element rate; element-wise operations and gathered rows at the output rate.
  const Layer* l = job.program->layer;
  const std::uint32_t per_cycle = l && is_nonlinear(l->type) ? config().nonlinear_elements_per_cycle
                                                             : config().outputs_per_cycle;
  return {Cycles(std::max<std::uint64_t>(1, ceil_div(outputs(job), per_cycle))), 0};
}

void Sdp::charge(const TileJob& job, Time begin, Time end) {
  drained(outputs(job), begin, end);
}

}  // namespace hmasim
