#include "hw/functional/int8_kernels.hpp"

#include <algorithm>

namespace hmasim {

namespace {

// sum(a[i] x b[i]): in 32 bits over chunks small enough never to overflow (127^2 x 2^17 < 2^31),
// so that the loop vectorises.
std::int64_t dot8(const std::int8_t* a, const std::int8_t* b, std::uint64_t n) {
  constexpr std::uint64_t kChunk = std::uint64_t{1} << 17;
  std::int64_t total = 0;
  for (std::uint64_t at = 0; at < n; at += kChunk) {
    const std::uint64_t end = std::min(n, at + kChunk);
    std::int32_t sum = 0;
    for (std::uint64_t i = at; i < end; ++i) sum += std::int32_t{a[i]} * std::int32_t{b[i]};
    total += sum;
  }
  return total;
}

}  // namespace

std::vector<std::int8_t> arrange_kernels(const ConvWork& w,
                                         const std::vector<std::int8_t>& weights) {
  return kernel_loops::arrange(w, weights);
}

std::int8_t requantise(std::int64_t acc, const Requantisation& q, bool relu) {
  return static_cast<std::int8_t>(kernel_loops::requantise(acc, q, relu, -128, 127));
}

void conv_block(const ConvWork& w, const InputRows& in, const std::vector<std::int8_t>& kernels,
                const LayerArithmetic& a, const RowRange& rows, const RowRange& kernel_range,
                std::int8_t* out) {
  kernel_loops::conv(
      w, in, kernels, a, rows, kernel_range, out,
      [](const std::int8_t* x, const std::int8_t* y, std::uint64_t n) { return dot8(x, y, n); });
}

void pool_block(const ConvWork& w, PoolMode mode, const InputRows& in, const RowRange& rows,
                const RowRange& channels, std::int8_t* out) {
  kernel_loops::pool(w, mode, in, rows, channels, out);
}

void eltwise_block(EltwiseOp op, const std::vector<const std::int8_t*>& in,
                   const std::vector<std::uint64_t>& widths, std::uint64_t columns,
                   const RowRange& rows, const RowRange& channels, std::int8_t* out) {
  kernel_loops::eltwise(op, in, widths, columns, rows, channels, out);
}

}  // namespace hmasim
