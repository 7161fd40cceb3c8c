#include "hw/functional/int16_kernels.hpp"

namespace hmasim {

namespace {

// sum(a[i] x b[i]) in 64 bits: two products of -32768 x -32768 already overflow int32.
std::int64_t dot16(const std::int16_t* a, const std::int16_t* b, std::uint64_t n) {
  std::int64_t sum = 0;
  for (std::uint64_t i = 0; i < n; ++i) sum += std::int32_t{a[i]} * std::int32_t{b[i]};
  return sum;
}

}  // namespace

std::vector<std::int16_t> arrange_kernels(const ConvWork& w,
                                          const std::vector<std::int16_t>& weights) {
  return kernel_loops::arrange(w, weights);
}

std::int16_t requantise16(std::int64_t acc, const Requantisation& q, bool relu) {
  return static_cast<std::int16_t>(kernel_loops::requantise(acc, q, relu, -32768, 32767));
}

void conv_block(const ConvWork& w, const InputRows16& in, const std::vector<std::int16_t>& kernels,
                const LayerArithmetic& a, const RowRange& rows, const RowRange& kernel_range,
                std::int16_t* out) {
  kernel_loops::conv(
      w, in, kernels, a, rows, kernel_range, out,
      [](const std::int16_t* x, const std::int16_t* y, std::uint64_t n) { return dot16(x, y, n); });
}

void pool_block(const ConvWork& w, PoolMode mode, const InputRows16& in, const RowRange& rows,
                const RowRange& channels, std::int16_t* out) {
  kernel_loops::pool(w, mode, in, rows, channels, out);
}

void eltwise_block(EltwiseOp op, const std::vector<const std::int16_t*>& in,
                   const std::vector<std::uint64_t>& widths, std::uint64_t columns,
                   const RowRange& rows, const RowRange& channels, std::int16_t* out) {
  kernel_loops::eltwise(op, in, widths, columns, rows, channels, out);
}

}  // namespace hmasim
