// The SDP's integer softmax over the channels of each position (docs/functional.md,
// "Arithmetic"): for an input x of real scale s = multiplier / 2^shift and m = max x over the
// position's channels, e_i = round(2^15 x exp(-(m - x_i) x s)) (half up; the argument is exact in
// double), and y_i = floor((2 Q e_i + S) / (2 S)) with S = sum e and Q = 127 for an int8 output
// (32767 for int16): the nearest integer to Q e_i / S, half up, in [0, Q]. The e values come from
// a table over m - x_i (2^bits entries at most, built once with std::exp in double; it ends where
// they reach 0), so the result is deterministic and fast.
#pragma once

#include <cstdint>
#include <vector>

#include "hw/layer_tiling.hpp"
#include "workloads/weights_file.hpp"

namespace hmasim {

class SoftmaxTable {
 public:
  // `bits`: 8 or 16, the width of the input and output elements.
  SoftmaxTable(const Requantisation& scale, unsigned bits);
  // e for a distance d = m - x_i >= 0.
  std::int64_t e(std::uint64_t d) const { return d < table_.size() ? table_[d] : 0; }
  std::int64_t full_scale() const { return full_scale_; }  // Q

 private:
  std::vector<std::int64_t> table_;
  std::int64_t full_scale_ = 127;
};

// Softmax of `rows` x `columns` positions of `channels` channels each (dense HWC, `in` from the
// block's first row); writes output channels `range` of every position, kernels fastest.
void softmax_block(const SoftmaxTable& table, const std::int8_t* in, std::uint64_t columns,
                   std::uint64_t channels, const RowRange& rows, const RowRange& range,
                   std::int8_t* out);
void softmax_block(const SoftmaxTable& table, const std::int16_t* in, std::uint64_t columns,
                   std::uint64_t channels, const RowRange& rows, const RowRange& range,
                   std::int16_t* out);

}  // namespace hmasim
