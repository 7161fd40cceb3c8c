#include "hw/units/weight_check.hpp"

#include "workloads/weight_encoding.hpp"

namespace hmasim {

WeightCheck& WeightCheck::operator+=(const WeightCheck& o) {
  weights += o.weights;
  corrupted += o.corrupted;
  misplaced += o.misplaced;
  ecc_corrected += o.ecc_corrected;
  ecc_uncorrectable += o.ecc_uncorrectable;
  idxsync_realignments += o.idxsync_realignments;
  layers_decoded += o.layers_decoded;
  return *this;
}

WeightCheck check_weights(const Layer& layer, const EncodedLayer& stored,
                          const std::vector<std::uint64_t>& offsets,
                          const std::vector<std::uint8_t>& read) {
  WeightCheck c;
  std::optional<EncodedLayer> as_read = layer_as_read(stored, offsets, read);
  if (!as_read) {
    // A fault-free decode corrects and realigns nothing (tests/workloads/test_weight_encoding).
    c.weights = layer.weights;
    return c;
  }
  const DecodedLayer reference = decode_layer(layer, stored);
  const DecodedLayer decoded = decode_layer(layer, std::move(*as_read));
  const WeightErrors e = compare_weights(decoded, reference);
  c.weights = e.weights;
  c.corrupted = e.corrupted;
  c.misplaced = e.misplaced;
  c.ecc_corrected = decoded.ecc_corrected;
  c.ecc_uncorrectable = decoded.ecc_uncorrectable;
  c.idxsync_realignments = decoded.idxsync_realignments;
  c.layers_decoded = 1;
  return c;
}

}  // namespace hmasim
