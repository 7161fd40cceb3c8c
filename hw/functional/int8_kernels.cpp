#include "hw/functional/int8_kernels.hpp"

#include <algorithm>
#include <limits>

namespace hmasim {

namespace {

std::int8_t saturate8(std::int64_t v) {
  return static_cast<std::int8_t>(std::clamp<std::int64_t>(v, -128, 127));
}

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

// floor(v / d) for d > 0.
std::int64_t floor_div(std::int64_t v, std::int64_t d) {
  return v >= 0 ? v / d : -((-v + d - 1) / d);
}

}  // namespace

std::vector<std::int8_t> arrange_kernels(const ConvWork& w,
                                         const std::vector<std::int8_t>& weights) {
  const std::uint64_t taps = w.r * w.s;
  const std::uint64_t per_kernel = w.channels * taps;
  std::vector<std::int8_t> out(w.kernels * per_kernel, 0);
  for (std::uint64_t k = 0; k < w.kernels; ++k) {
    const std::int8_t* src = weights.data() + k * per_kernel;  // [channel][r][s]
    std::int8_t* dst = out.data() + k * per_kernel;            // [r][s][channel]
    for (std::uint64_t c = 0; c < w.channels; ++c) {
      for (std::uint64_t t = 0; t < taps; ++t) dst[t * w.channels + c] = src[c * taps + t];
    }
  }
  return out;
}

std::int8_t requantise(std::int64_t acc, const Requantisation& q, bool relu) {
  // 128-bit: a 40-bit accumulator times a 31-bit multiplier.
  const __int128 rounding = q.shift > 0 ? static_cast<__int128>(1) << (q.shift - 1) : 0;
  const __int128 scaled = static_cast<__int128>(acc) * q.multiplier + rounding;
  // An arithmetic right shift is floor division by 2^shift.
  const __int128 y = scaled >> q.shift;
  const __int128 lo = relu ? 0 : -128;
  return static_cast<std::int8_t>(y < lo ? lo : (y > 127 ? 127 : y));
}

void conv_block(const ConvWork& w, const InputRows& in, const std::vector<std::int8_t>& kernels,
                const LayerArithmetic& a, const RowRange& rows, const RowRange& kernel_range,
                std::int8_t* out) {
  const std::uint64_t per_group = std::max<std::uint64_t>(1, w.kernels / w.groups);
  const std::uint64_t per_kernel = w.channels * w.r * w.s;
  const auto in_h = static_cast<std::int64_t>(w.in_h);
  const auto in_w = static_cast<std::int64_t>(w.in_w);
  std::int8_t* o = out;
  for (std::uint64_t oy = rows.begin; oy < rows.end; ++oy) {
    for (std::uint64_t ox = 0; ox < w.out_w; ++ox) {
      for (std::uint64_t k = kernel_range.begin; k < kernel_range.end; ++k) {
        const std::uint64_t channel0 = (k / per_group) * w.channels;
        const std::int8_t* wk = kernels.data() + k * per_kernel;
        std::int64_t acc = a.bias.empty() ? 0 : a.bias[k];
        for (std::uint64_t r = 0; r < w.r; ++r) {
          const std::int64_t iy =
              static_cast<std::int64_t>(oy * w.stride + r) - static_cast<std::int64_t>(w.padding);
          if (iy < 0 || iy >= in_h) continue;  // zero padding
          const std::int8_t* line =
              in.values + (static_cast<std::uint64_t>(iy) - in.row0) * w.in_w * w.in_c;
          for (std::uint64_t s = 0; s < w.s; ++s) {
            const std::int64_t ix =
                static_cast<std::int64_t>(ox * w.stride + s) - static_cast<std::int64_t>(w.padding);
            if (ix < 0 || ix >= in_w) continue;
            acc += dot8(line + static_cast<std::uint64_t>(ix) * w.in_c + channel0,
                        wk + (r * w.s + s) * w.channels, w.channels);
          }
        }
        const Requantisation& q = a.scales.size() == 1 ? a.scales[0] : a.scales[k];
        *o++ = requantise(acc, q, a.relu);
      }
    }
  }
}

void pool_block(const ConvWork& w, PoolMode mode, const InputRows& in, const RowRange& rows,
                const RowRange& channels, std::int8_t* out) {
  const auto in_h = static_cast<std::int64_t>(w.in_h);
  const auto in_w = static_cast<std::int64_t>(w.in_w);
  const auto window = static_cast<std::int64_t>(w.r * w.s);
  std::int8_t* o = out;
  for (std::uint64_t oy = rows.begin; oy < rows.end; ++oy) {
    for (std::uint64_t ox = 0; ox < w.out_w; ++ox) {
      for (std::uint64_t c = channels.begin; c < channels.end; ++c) {
        std::int64_t sum = 0;
        std::int64_t best = std::numeric_limits<std::int64_t>::min();
        for (std::uint64_t r = 0; r < w.r; ++r) {
          const std::int64_t iy =
              static_cast<std::int64_t>(oy * w.stride + r) - static_cast<std::int64_t>(w.padding);
          if (iy < 0 || iy >= in_h) continue;
          for (std::uint64_t s = 0; s < w.s; ++s) {
            const std::int64_t ix =
                static_cast<std::int64_t>(ox * w.stride + s) - static_cast<std::int64_t>(w.padding);
            if (ix < 0 || ix >= in_w) continue;
            const std::int64_t v = in.values[((static_cast<std::uint64_t>(iy) - in.row0) * w.in_w +
                                              static_cast<std::uint64_t>(ix)) *
                                                 w.in_c +
                                             c];
            sum += v;
            best = std::max(best, v);
          }
        }
        if (mode == PoolMode::max) {
          *o++ = best == std::numeric_limits<std::int64_t>::min() ? 0 : saturate8(best);
        } else {
          // Padding counts as zeros: the divisor is the whole window.
          *o++ = saturate8(floor_div(sum + window / 2, window));
        }
      }
    }
  }
}

void eltwise_block(EltwiseOp op, const std::vector<const std::int8_t*>& in,
                   const std::vector<std::uint64_t>& widths, std::uint64_t columns,
                   const RowRange& rows, const RowRange& channels, std::int8_t* out) {
  std::int8_t* o = out;
  for (std::uint64_t y = 0; y < rows.size(); ++y) {
    for (std::uint64_t x = 0; x < columns; ++x) {
      for (std::uint64_t c = channels.begin; c < channels.end; ++c) {
        std::int64_t acc = op == EltwiseOp::add ? 0 : 1;
        for (std::size_t i = 0; i < in.size(); ++i) {
          const std::int64_t v = c < widths[i] ? in[i][(y * columns + x) * widths[i] + c] : 0;
          acc = op == EltwiseOp::add ? acc + v : acc * v;
        }
        *o++ = saturate8(acc);
      }
    }
  }
}

}  // namespace hmasim
