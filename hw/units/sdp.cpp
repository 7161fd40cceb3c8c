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
  return job.tile->out_rows.size() * w.out_w * w.kernels;
}

ComputeUnit::Work Sdp::plan(const TileJob& job) {
  return {Cycles(std::max<std::uint64_t>(1, ceil_div(outputs(job), config().outputs_per_cycle))),
          0};
}

void Sdp::charge(const TileJob& job, Time begin, Time end) {
  drained(outputs(job), begin, end);
}

}  // namespace hmasim
