#include "workloads/reference_inference.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace hmasim {

namespace {

// The range of a layer's output values: int8 for 2..8 bits, int16 for 9..16.
struct Range {
  std::int64_t lo, hi;
};
Range output_range(const Layer& l) {
  return l.precision > 8 ? Range{-32768, 32767} : Range{-128, 127};
}

std::int32_t saturate_reference(std::int64_t v, const Range& r) {
  return static_cast<std::int32_t>(std::clamp<std::int64_t>(v, r.lo, r.hi));
}

// floor(a / 2^s) for any sign (>> of a negative value is implementation-defined before C++20).
__int128 floor_shift_reference(__int128 a, int s) {
  const __int128 d = static_cast<__int128>(1) << s;
  __int128 q = a / d;
  if (a % d != 0 && a < 0) --q;
  return q;
}

// floor(a / n) for n > 0.
std::int64_t floor_div_reference(std::int64_t a, std::int64_t n) {
  std::int64_t q = a / n;
  if (a % n != 0 && a < 0) --q;
  return q;
}

std::int64_t requantise_reference(std::int64_t acc, const Requantisation& q, bool relu,
                                  const Range& r) {
  const __int128 half = q.shift > 0 ? static_cast<__int128>(1) << (q.shift - 1) : 0;
  const __int128 y =
      floor_shift_reference(static_cast<__int128>(acc) * q.multiplier + half, q.shift);
  const __int128 lo = relu ? 0 : r.lo;
  return static_cast<std::int64_t>(y < lo ? lo : y > r.hi ? r.hi : y);
}

IntTensor pool_reference(const Layer& l, const IntTensor& in) {
  IntTensor out{l.out, std::vector<std::int32_t>(l.out.elements())};
  const Range range = output_range(l);
  const auto n = static_cast<std::int64_t>(l.r * l.s);
  for (std::uint64_t oy = 0; oy < l.out.h; ++oy) {
    for (std::uint64_t ox = 0; ox < l.out.w; ++ox) {
      for (std::uint64_t c = 0; c < l.out.c; ++c) {
        std::int64_t sum = 0;
        std::int64_t best = std::numeric_limits<std::int64_t>::min();
        for (std::uint64_t i = 0; i < l.r; ++i) {
          for (std::uint64_t j = 0; j < l.s; ++j) {
            // Input row oy*stride + i - padding, unsigned: a padded position wraps past h.
            const std::uint64_t y = oy * l.stride + i - l.padding;
            const std::uint64_t x = ox * l.stride + j - l.padding;
            if (y >= in.shape.h || x >= in.shape.w) continue;
            const std::int64_t v = in.at(y, x, c);
            sum += v;
            best = std::max(best, v);
          }
        }
        const std::int64_t v =
            l.pool_mode == PoolMode::max ? best : floor_div_reference(sum + n / 2, n);
        out.values[(oy * l.out.w + ox) * l.out.c + c] = saturate_reference(v, range);
      }
    }
  }
  return out;
}

IntTensor eltwise_reference(const Layer& l, const std::vector<const IntTensor*>& in) {
  IntTensor out{l.out, std::vector<std::int32_t>(l.out.elements())};
  const Range range = output_range(l);
  for (std::uint64_t p = 0; p < l.out.h * l.out.w; ++p) {
    for (std::uint64_t c = 0; c < l.out.c; ++c) {
      std::int64_t v = l.eltwise_op == EltwiseOp::add ? 0 : 1;
      for (const IntTensor* t : in) {
        const std::int64_t x = c < t->shape.c ? t->values[p * t->shape.c + c] : 0;
        v = l.eltwise_op == EltwiseOp::add ? v + x : v * x;
      }
      out.values[p * l.out.c + c] = saturate_reference(v, range);
    }
  }
  return out;
}

// Softmax over the channels of every position (reference_inference.hpp): std::exp of the exact
// real argument (x_i - m) x multiplier / 2^shift, no table.
IntTensor softmax_reference(const Layer& l, const Requantisation& scale, const IntTensor& in) {
  IntTensor out{l.out, std::vector<std::int32_t>(l.out.elements())};
  const std::int64_t q = output_range(l).hi;
  const double s = static_cast<double>(scale.multiplier) * std::ldexp(1.0, -scale.shift);
  const std::uint64_t channels = in.shape.c;
  std::vector<std::int64_t> e(channels);
  for (std::uint64_t p = 0; p < in.shape.h * in.shape.w; ++p) {
    std::int64_t m = std::numeric_limits<std::int64_t>::min();
    for (std::uint64_t c = 0; c < channels; ++c) {
      m = std::max<std::int64_t>(m, in.values[p * channels + c]);
    }
    std::int64_t sum = 0;
    for (std::uint64_t c = 0; c < channels; ++c) {
      const double x = static_cast<double>(in.values[p * channels + c] - m) * s;
      e[c] = std::llround(32768.0 * std::exp(x));  // x is exact: half up, as e > 0
      sum += e[c];
    }
    for (std::uint64_t c = 0; c < channels; ++c) {
      // round(q e / sum), halves up: floor((2 q e + sum) / (2 sum)).
      out.values[p * channels + c] =
          static_cast<std::int32_t>(std::min(q, floor_div_reference(2 * q * e[c] + sum, 2 * sum)));
    }
  }
  return out;
}

}  // namespace

std::int8_t reference_requantise(std::int64_t acc, const Requantisation& q, bool relu) {
  return static_cast<std::int8_t>(requantise_reference(acc, q, relu, Range{-128, 127}));
}

std::int16_t reference_requantise16(std::int64_t acc, const Requantisation& q, bool relu) {
  return static_cast<std::int16_t>(requantise_reference(acc, q, relu, Range{-32768, 32767}));
}

ReferenceInference::ReferenceInference(const Network& network, const WeightsFile& weights)
    : network_(network) {
  check_weights_file(weights, network);
  for (const Layer& l : network.layers) {
    if (!integer_inference_defines(l) && l.type != LayerType::softmax) {
      throw std::invalid_argument(
          "layer '" + l.name + "': the reference inference cannot compute a " +
          std::string(to_string(l.type)) +
          (l.type == LayerType::matmul ? " of two activations" : "") + " layer");
    }
    if (l.sources.empty()) {
      throw std::invalid_argument("layer '" + l.name +
                                  "': the reference inference computes a network from its input, "
                                  "not a layer that states its own input shape");
    }
    if (l.precision > 16) {
      throw std::invalid_argument("layer '" + l.name +
                                  "': the reference inference computes "
                                  "int8 and int16 layers, not " +
                                  std::to_string(l.precision) + "-bit ones");
    }
    if (l.type == LayerType::softmax) {
      const LayerWeights* w = weights.find(l.name);
      LayerWeights own;
      own.name = l.name;
      own.scales.push_back(w && !w->scales.empty() ? w->scales.front()
                                                   : default_softmax_scale(l.precision));
      weights_.push_back(std::move(own));
      continue;
    }
    const LayerWeights* w = l.has_weights() ? weights.find(l.name) : nullptr;
    if (w && w->scales.empty()) {
      throw std::invalid_argument("layer '" + l.name + "': " + weights.file +
                                  " gives no requantisation scale, which integer inference needs");
    }
    weights_.push_back(w ? *w : LayerWeights{});
  }
}

namespace {

// A weighted layer's outputs with weights of type W (int8 or int16), in generator order.
template <class W>
IntTensor weighted_reference(const Layer& l, const LayerWeights& w, const std::vector<W>& weights,
                             const IntTensor& in) {
  const KernelGeometry g = kernel_geometry(l);
  const Range range = output_range(l);
  IntTensor out{l.out, std::vector<std::int32_t>(l.out.elements())};
  const auto scale = [&](std::uint64_t k) {
    return w.scales.size() == 1 ? w.scales[0] : w.scales[k];
  };
  const auto bias = [&](std::uint64_t k) -> std::int64_t { return w.bias.empty() ? 0 : w.bias[k]; };
  const auto output = [&](std::int64_t acc, std::uint64_t k) {
    return static_cast<std::int32_t>(requantise_reference(acc, scale(k), w.relu, range));
  };
  if (l.type == LayerType::fc) {
    // One kernel covers the whole input; weights [kernel][channel][row][column].
    for (std::uint64_t k = 0; k < g.kernels_per_group; ++k) {
      std::int64_t acc = bias(k);
      const W* wk = weights.data() + k * g.weights_per_kernel();
      for (std::uint64_t c = 0; c < in.shape.c; ++c) {
        for (std::uint64_t y = 0; y < in.shape.h; ++y) {
          for (std::uint64_t x = 0; x < in.shape.w; ++x) {
            acc += std::int64_t{wk[(c * in.shape.h + y) * in.shape.w + x]} * in.at(y, x, c);
          }
        }
      }
      out.values[k] = output(acc, k);
    }
    return out;
  }
  if (l.type == LayerType::matmul) {
    // Rows are the input's positions; column j of the weights is kernel j of k weights.
    for (std::uint64_t p = 0; p < in.shape.h * in.shape.w; ++p) {
      for (std::uint64_t j = 0; j < g.kernels_per_group; ++j) {
        std::int64_t acc = bias(j);
        for (std::uint64_t i = 0; i < g.channels; ++i) {
          acc += std::int64_t{weights[j * g.channels + i]} * in.values[p * in.shape.c + i];
        }
        out.values[p * l.out.c + j] = output(acc, j);
      }
    }
    return out;
  }
  // conv and dwconv: output channel g x kernels_per_group + k reads input channels
  // g x channels .. (g + 1) x channels - 1.
  for (std::uint64_t oy = 0; oy < l.out.h; ++oy) {
    for (std::uint64_t ox = 0; ox < l.out.w; ++ox) {
      for (std::uint64_t grp = 0; grp < g.groups; ++grp) {
        for (std::uint64_t k = 0; k < g.kernels_per_group; ++k) {
          const std::uint64_t oc = grp * g.kernels_per_group + k;
          const W* wk = weights.data() + oc * g.weights_per_kernel();
          std::int64_t acc = bias(oc);
          for (std::uint64_t c = 0; c < g.channels; ++c) {
            for (std::uint64_t i = 0; i < g.r; ++i) {
              for (std::uint64_t j = 0; j < g.s; ++j) {
                const std::uint64_t y = oy * l.stride + i - l.padding;  // wraps when padded
                const std::uint64_t x = ox * l.stride + j - l.padding;
                if (y >= in.shape.h || x >= in.shape.w) continue;
                acc +=
                    std::int64_t{wk[(c * g.r + i) * g.s + j]} * in.at(y, x, grp * g.channels + c);
              }
            }
          }
          out.values[(oy * l.out.w + ox) * l.out.c + oc] = output(acc, oc);
        }
      }
    }
  }
  return out;
}

}  // namespace

IntTensor ReferenceInference::weighted(const Layer& l, const LayerWeights& w,
                                       const IntTensor& in) const {
  if (l.precision > 8) return weighted_reference(l, w, w.weights16, in);
  return weighted_reference(l, w, w.weights, in);
}

std::vector<IntTensor> ReferenceInference::run_all(const IntTensor& input) const {
  if (!network_.input || input.shape != *network_.input ||
      input.values.size() != input.shape.elements()) {
    throw std::invalid_argument(
        "reference inference: the input is " + to_string(input.shape) + ", the network takes " +
        (network_.input ? to_string(*network_.input) : std::string("none")));
  }
  std::vector<IntTensor> outputs;
  outputs.reserve(network_.layers.size());
  for (std::size_t i = 0; i < network_.layers.size(); ++i) {
    const Layer& l = network_.layers[i];
    std::vector<const IntTensor*> in;
    for (int s : l.sources)
      in.push_back(s == kNetworkInput ? &input : &outputs[static_cast<std::size_t>(s)]);
    if (l.has_weights()) {
      outputs.push_back(weighted(l, weights_[i], *in.front()));
    } else if (l.type == LayerType::pool) {
      outputs.push_back(pool_reference(l, *in.front()));
    } else if (l.type == LayerType::softmax) {
      outputs.push_back(softmax_reference(l, weights_[i].scales.front(), *in.front()));
    } else {
      outputs.push_back(eltwise_reference(l, in));
    }
  }
  return outputs;
}

std::vector<Int8Tensor> ReferenceInference::run_all(const Int8Tensor& input) const {
  for (const Layer& l : network_.layers) {
    if (l.precision > 8) {
      throw std::invalid_argument("reference inference: layer '" + l.name + "' is " +
                                  std::to_string(l.precision) +
                                  "-bit: its maps are int16 (run it on an IntTensor)");
    }
  }
  const std::vector<IntTensor> wide = run_all(
      IntTensor{input.shape, std::vector<std::int32_t>(input.values.begin(), input.values.end())});
  std::vector<Int8Tensor> out;
  out.reserve(wide.size());
  for (const IntTensor& t : wide) {
    out.push_back(Int8Tensor{t.shape, std::vector<std::int8_t>(t.values.size())});
    for (std::size_t k = 0; k < t.values.size(); ++k) {
      out.back().values[k] = static_cast<std::int8_t>(t.values[k]);
    }
  }
  return out;
}

Int8Tensor ReferenceInference::run(const Int8Tensor& input) const {
  std::vector<Int8Tensor> all = run_all(input);
  return std::move(all.back());
}

IntTensor ReferenceInference::run(const IntTensor& input) const {
  std::vector<IntTensor> all = run_all(input);
  return std::move(all.back());
}

std::size_t reference_top1(const Int8Tensor& logits) {
  return static_cast<std::size_t>(std::max_element(logits.values.begin(), logits.values.end()) -
                                  logits.values.begin());
}

}  // namespace hmasim
