// The planar data processor (PDP): pooling. It streams every input element of a tile's window
// rows once, at `post.outputs_per_cycle` elements per cycle, and charges energy per output.
#pragma once

#include "hw/units/post_unit.hpp"

namespace hmasim {

class Pdp : public PostUnit {
 public:
  using PostUnit::PostUnit;

 protected:
  Work plan(const TileJob& job) override;
  void charge(const TileJob& job, Time begin, Time end) override;
};

}  // namespace hmasim
