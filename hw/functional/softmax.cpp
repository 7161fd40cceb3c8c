#include "hw/functional/softmax.hpp"

#include <algorithm>
#include <cmath>

namespace hmasim {

namespace {

constexpr double kEScale = 32768.0;  // 2^15: e of the largest input

template <class T>
void softmax_loop(const SoftmaxTable& table, const T* in, std::uint64_t columns,
                  std::uint64_t channels, const RowRange& rows, const RowRange& range, T* out) {
  std::vector<std::int64_t> e(channels);
  const std::int64_t q = table.full_scale();
  T* o = out;
  for (std::uint64_t p = 0; p < rows.size() * columns; ++p) {
    const T* x = in + p * channels;
    const std::int64_t m = channels ? *std::max_element(x, x + channels) : 0;
    std::int64_t sum = 0;
    for (std::uint64_t c = 0; c < channels; ++c) {
      e[c] = table.e(static_cast<std::uint64_t>(m - x[c]));
      sum += e[c];
    }
    for (std::uint64_t c = range.begin; c < range.end; ++c) {
      *o++ = static_cast<T>(std::min(q, (2 * q * e[c] + sum) / (2 * sum)));
    }
  }
}

}  // namespace

SoftmaxTable::SoftmaxTable(const Requantisation& scale, unsigned bits)
    : full_scale_(bits > 8 ? 32767 : 127) {
  const std::uint64_t size = std::uint64_t{1} << (bits > 8 ? 16 : 8);
  const double s = std::ldexp(static_cast<double>(scale.multiplier), -scale.shift);
  for (std::uint64_t d = 0; d < size; ++d) {
    // d x s is exact (16 x 31 significant bits), so std::exp sees the real argument.
    const auto e = static_cast<std::int64_t>(std::llround(kEScale * std::exp(-(d * s))));
    if (e == 0) break;  // e only falls with d
    table_.push_back(e);
  }
}

void softmax_block(const SoftmaxTable& table, const std::int8_t* in, std::uint64_t columns,
                   std::uint64_t channels, const RowRange& rows, const RowRange& range,
                   std::int8_t* out) {
  softmax_loop(table, in, columns, channels, rows, range, out);
}

void softmax_block(const SoftmaxTable& table, const std::int16_t* in, std::uint64_t columns,
                   std::uint64_t channels, const RowRange& rows, const RowRange& range,
                   std::int16_t* out) {
  softmax_loop(table, in, columns, channels, rows, range, out);
}

}  // namespace hmasim
