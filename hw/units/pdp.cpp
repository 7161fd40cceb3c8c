#include "hw/units/pdp.hpp"

#include <algorithm>

#include "core/integer_math.hpp"

namespace hmasim {

ComputeUnit::Work Pdp::plan(const TileJob& job) {
  const ConvWork& w = job.program->work;
  const Tile& t = *job.tile;
  RowRange in;
  w.input_rows(t.out_rows.begin, t.out_rows.end, in.begin, in.end);
  // The input rows x input columns the tile's outputs read (all columns but for a W split).
  const std::uint64_t columns = t.out_cols.empty() ? w.in_w : input_columns(w, t.out_cols).size();
  return {Cycles(std::max<std::uint64_t>(
              1, ceil_div(in.size() * columns * w.in_c, config().pdp_elements_per_cycle))),
          0};
}

void Pdp::charge(const TileJob& job, Time begin, Time end) {
  const ConvWork& w = job.program->work;
  const std::uint64_t outputs = tile_positions(*job.tile, w) * w.kernels;
  charge_outputs(outputs, begin, end);
}

}  // namespace hmasim
