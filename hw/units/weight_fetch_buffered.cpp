// A second weight fetch unit, and the pattern for adding one: a class that says when a tile's
// decode is done, registered under a name a platform selects with `weight_fetch.model: buffered`.
// This decoder has no in-line path: it starts once the tile's encoded weights are all in its
// buffer, so a decode-bound layer pays fetch and decode one after the other.
#include "hw/units/weight_fetch.hpp"

namespace hmasim {

namespace {

class BufferedWeightFetch final : public WeightFetchUnit {
 public:
  using WeightFetchUnit::WeightFetchUnit;

 protected:
  Cycles decode_start(Time /*fetch_start*/, Time arrived) const override {
    return clock().cycle_at_or_after(arrived);
  }
};

}  // namespace

HMASIM_REGISTER_WEIGHT_FETCH(BufferedWeightFetch, "buffered",
                             "decodes once a tile's encoded weights are all in");

}  // namespace hmasim
