// The loops of the functional datapath's kernels, for int8 and int16 maps alike: a convolution
// (conv, dwconv, fc, matmul), pooling and element-wise blocks over dense HWC input rows. The
// element type's dot product, requantisation and saturation are the caller's (int8_kernels.cpp,
// int16_kernels.cpp), so each width keeps the accumulator it needs (int32 chunks for int8, int64
// for int16) and its loops vectorise.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "hw/conv_work.hpp"
#include "hw/layer_tiling.hpp"
#include "workloads/layer.hpp"
#include "workloads/weights_file.hpp"

namespace hmasim {

// Bias, requantisation and ReLU of a weighted layer.
struct LayerArithmetic {
  std::vector<std::int32_t> bias;  // empty, or one per kernel
  bool relu = false;
  std::vector<Requantisation> scales;  // one for the layer, or one per kernel
};

// Dense HWC input rows [row0, row1) of the layer's input map (row0 x in_w x in_c elements in).
template <class T>
struct RowsOf {
  const T* values = nullptr;
  std::uint64_t row0 = 0;
  std::uint64_t row1 = 0;
};
using InputRows = RowsOf<std::int8_t>;
using InputRows16 = RowsOf<std::int16_t>;

namespace kernel_loops {

// floor(v / d) for d > 0.
inline std::int64_t floor_div(std::int64_t v, std::int64_t d) {
  return v >= 0 ? v / d : -((-v + d - 1) / d);
}

// floor((acc x multiplier + 2^(shift-1)) / 2^shift) saturated to [lo, hi] (ReLU: [0, hi]).
inline std::int64_t requantise(std::int64_t acc, const Requantisation& q, bool relu,
                               std::int64_t lo, std::int64_t hi) {
  // 128-bit: a 48-bit accumulator times a 31-bit multiplier.
  const __int128 rounding = q.shift > 0 ? static_cast<__int128>(1) << (q.shift - 1) : 0;
  const __int128 scaled = static_cast<__int128>(acc) * q.multiplier + rounding;
  // An arithmetic right shift is floor division by 2^shift.
  const __int128 y = scaled >> q.shift;
  const __int128 low = relu ? 0 : lo;
  return static_cast<std::int64_t>(y < low ? low : (y > hi ? hi : y));
}

template <class T>
std::vector<T> arrange(const ConvWork& w, const std::vector<T>& weights) {
  const std::uint64_t taps = w.r * w.s;
  const std::uint64_t per_kernel = w.channels * taps;
  std::vector<T> out(w.kernels * per_kernel, 0);
  for (std::uint64_t k = 0; k < w.kernels; ++k) {
    const T* src = weights.data() + k * per_kernel;  // [channel][r][s]
    T* dst = out.data() + k * per_kernel;            // [r][s][channel]
    for (std::uint64_t c = 0; c < w.channels; ++c) {
      for (std::uint64_t t = 0; t < taps; ++t) dst[t * w.channels + c] = src[c * taps + t];
    }
  }
  return out;
}

// `dot(a, b, n)`: the exact sum of products; outputs saturate to T.
template <class T, class Dot>
void conv(const ConvWork& w, const RowsOf<T>& in, const std::vector<T>& kernels,
          const LayerArithmetic& a, const RowRange& rows, const RowRange& kernel_range, T* out,
          Dot dot) {
  const std::uint64_t per_group = std::max<std::uint64_t>(1, w.kernels / w.groups);
  const std::uint64_t per_kernel = w.channels * w.r * w.s;
  const auto in_h = static_cast<std::int64_t>(w.in_h);
  const auto in_w = static_cast<std::int64_t>(w.in_w);
  constexpr std::int64_t lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  T* o = out;
  for (std::uint64_t oy = rows.begin; oy < rows.end; ++oy) {
    for (std::uint64_t ox = 0; ox < w.out_w; ++ox) {
      for (std::uint64_t k = kernel_range.begin; k < kernel_range.end; ++k) {
        const std::uint64_t channel0 = (k / per_group) * w.channels;
        const T* wk = kernels.data() + k * per_kernel;
        std::int64_t acc = a.bias.empty() ? 0 : a.bias[k];
        for (std::uint64_t r = 0; r < w.r; ++r) {
          const std::int64_t iy =
              static_cast<std::int64_t>(oy * w.stride + r) - static_cast<std::int64_t>(w.padding);
          if (iy < 0 || iy >= in_h) continue;  // zero padding
          const T* line = in.values + (static_cast<std::uint64_t>(iy) - in.row0) * w.in_w * w.in_c;
          for (std::uint64_t s = 0; s < w.s; ++s) {
            const std::int64_t ix =
                static_cast<std::int64_t>(ox * w.stride + s) - static_cast<std::int64_t>(w.padding);
            if (ix < 0 || ix >= in_w) continue;
            acc += dot(line + static_cast<std::uint64_t>(ix) * w.in_c + channel0,
                       wk + (r * w.s + s) * w.channels, w.channels);
          }
        }
        const Requantisation& q = a.scales.size() == 1 ? a.scales[0] : a.scales[k];
        *o++ = static_cast<T>(requantise(acc, q, a.relu, lo, hi));
      }
    }
  }
}

template <class T>
void pool(const ConvWork& w, PoolMode mode, const RowsOf<T>& in, const RowRange& rows,
          const RowRange& channels, T* out) {
  const auto in_h = static_cast<std::int64_t>(w.in_h);
  const auto in_w = static_cast<std::int64_t>(w.in_w);
  const auto window = static_cast<std::int64_t>(w.r * w.s);
  constexpr std::int64_t lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  T* o = out;
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
          *o++ = best == std::numeric_limits<std::int64_t>::min()
                     ? T{0}
                     : static_cast<T>(std::clamp(best, lo, hi));
        } else {
          // Padding counts as zeros: the divisor is the whole window.
          *o++ = static_cast<T>(std::clamp(floor_div(sum + window / 2, window), lo, hi));
        }
      }
    }
  }
}

template <class T>
void eltwise(EltwiseOp op, const std::vector<const T*>& in,
             const std::vector<std::uint64_t>& widths, std::uint64_t columns, const RowRange& rows,
             const RowRange& channels, T* out) {
  constexpr std::int64_t lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  T* o = out;
  for (std::uint64_t y = 0; y < rows.size(); ++y) {
    for (std::uint64_t x = 0; x < columns; ++x) {
      for (std::uint64_t c = channels.begin; c < channels.end; ++c) {
        std::int64_t acc = op == EltwiseOp::add ? 0 : 1;
        for (std::size_t i = 0; i < in.size(); ++i) {
          const std::int64_t v = c < widths[i] ? in[i][(y * columns + x) * widths[i] + c] : 0;
          acc = op == EltwiseOp::add ? acc + v : acc * v;
        }
        *o++ = static_cast<T>(std::clamp(acc, lo, hi));
      }
    }
  }
}

}  // namespace kernel_loops
}  // namespace hmasim
