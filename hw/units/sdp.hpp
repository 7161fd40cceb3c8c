// The single-point data processor (SDP): bias, batch norm, activation and element-wise operations
// on the output path. It drains the convolution core's outputs at `post.outputs_per_cycle` (the
// slower of the two sets a tile's pace) and runs element-wise layers on its own, reading both
// inputs from the CBUF, and nonlinear layers (softmax, layernorm, gelu) at
// `post.nonlinear_elements_per_cycle`. Energy per output it produces.
#pragma once

#include "hw/units/post_unit.hpp"

namespace hmasim {

class Sdp : public PostUnit {
 public:
  using PostUnit::PostUnit;

  // Cycles to drain `outputs` of the convolution core.
  Cycles drain_cycles(std::uint64_t outputs) const;
  // The core's `outputs` passed through over [begin, end).
  void drained(std::uint64_t outputs, Time begin, Time end);

 protected:
  Work plan(const TileJob& job) override;
  void charge(const TileJob& job, Time begin, Time end) override;

 private:
  std::uint64_t outputs(const TileJob& job) const;
};

}  // namespace hmasim
