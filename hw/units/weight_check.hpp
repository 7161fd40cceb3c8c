// What faults did to a layer's weights, as the weight fetch unit finds when it decodes them: the
// bytes of every stored structure as the memory returned them, decoded and compared with the
// fault-free decode. Pure (no timing). Bytes identical to the stored ones decode to the stored
// weights, so they are counted without decoding, and the fault-free decode is made only for a
// layer whose bytes differ (nothing is kept per weight between layers).
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/encoded_layer.hpp"
#include "workloads/layer.hpp"

namespace hmasim {

struct WeightCheck {
  std::uint64_t weights = 0;    // decoded and compared with the fault-free decode
  std::uint64_t corrupted = 0;  // differing value
  // Placed at the wrong index by index drift (mask, indices, counters).
  std::uint64_t misplaced = 0;
  std::uint64_t ecc_corrected = 0;
  std::uint64_t ecc_uncorrectable = 0;
  std::uint64_t idxsync_realignments = 0;
  std::uint64_t layers_decoded = 0;  // layers whose bytes differed from the stored ones

  WeightCheck& operator+=(const WeightCheck& o);
};

// `stored`: the structures as programmed; `read`: the layer's weight region as the DMA read it,
// each structure at its offset in `offsets`.
WeightCheck check_weights(const Layer& layer, const EncodedLayer& stored,
                          const std::vector<std::uint64_t>& offsets,
                          const std::vector<std::uint8_t>& read);

}  // namespace hmasim
