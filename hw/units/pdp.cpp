#include "hw/units/pdp.hpp"

#include <algorithm>

#include "core/integer_math.hpp"

namespace hmasim {

ComputeUnit::Work Pdp::plan(const TileJob& job) {
  const ConvWork& w = job.program->work;
  RowRange in;
  w.input_rows(job.tile->out_rows.begin, job.tile->out_rows.end, in.begin, in.end);
  return {Cycles(std::max<std::uint64_t>(
              1, ceil_div(in.size() * w.in_w * w.in_c, config().pdp_elements_per_cycle))),
          0};
}

void Pdp::charge(const TileJob& job, Time begin, Time end) {
  const ConvWork& w = job.program->work;
  const std::uint64_t outputs = job.tile->out_rows.size() * w.out_w * w.kernels;
  charge_outputs(outputs, begin, end);
}

}  // namespace hmasim
