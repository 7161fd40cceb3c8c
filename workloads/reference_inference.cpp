#include "workloads/reference_inference.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace hmasim {

namespace {

std::int8_t saturate_reference(std::int64_t v) {
  return static_cast<std::int8_t>(std::clamp<std::int64_t>(v, -128, 127));
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

Int8Tensor pool_reference(const Layer& l, const Int8Tensor& in) {
  Int8Tensor out{l.out, std::vector<std::int8_t>(l.out.elements())};
  const auto n = static_cast<std::int64_t>(l.r * l.s);
  for (std::uint64_t oy = 0; oy < l.out.h; ++oy) {
    for (std::uint64_t ox = 0; ox < l.out.w; ++ox) {
      for (std::uint64_t c = 0; c < l.out.c; ++c) {
        std::int64_t sum = 0;
        int best = std::numeric_limits<int>::min();
        for (std::uint64_t i = 0; i < l.r; ++i) {
          for (std::uint64_t j = 0; j < l.s; ++j) {
            // Input row oy*stride + i - padding, unsigned: a padded position wraps past h.
            const std::uint64_t y = oy * l.stride + i - l.padding;
            const std::uint64_t x = ox * l.stride + j - l.padding;
            if (y >= in.shape.h || x >= in.shape.w) continue;
            const int v = in.at(y, x, c);
            sum += v;
            best = std::max(best, v);
          }
        }
        const std::int64_t v =
            l.pool_mode == PoolMode::max ? best : floor_div_reference(sum + n / 2, n);
        out.values[(oy * l.out.w + ox) * l.out.c + c] = saturate_reference(v);
      }
    }
  }
  return out;
}

Int8Tensor eltwise_reference(const Layer& l, const std::vector<const Int8Tensor*>& in) {
  Int8Tensor out{l.out, std::vector<std::int8_t>(l.out.elements())};
  for (std::uint64_t p = 0; p < l.out.h * l.out.w; ++p) {
    for (std::uint64_t c = 0; c < l.out.c; ++c) {
      std::int64_t v = l.eltwise_op == EltwiseOp::add ? 0 : 1;
      for (const Int8Tensor* t : in) {
        const std::int64_t x = c < t->shape.c ? t->values[p * t->shape.c + c] : 0;
        v = l.eltwise_op == EltwiseOp::add ? v + x : v * x;
      }
      out.values[p * l.out.c + c] = saturate_reference(v);
    }
  }
  return out;
}

}  // namespace

std::int8_t reference_requantise(std::int64_t acc, const Requantisation& q, bool relu) {
  const __int128 half = q.shift > 0 ? static_cast<__int128>(1) << (q.shift - 1) : 0;
  const __int128 y =
      floor_shift_reference(static_cast<__int128>(acc) * q.multiplier + half, q.shift);
  const __int128 lo = relu ? 0 : -128;
  return static_cast<std::int8_t>(y < lo ? lo : y > 127 ? 127 : y);
}

ReferenceInference::ReferenceInference(const Network& network, const WeightsFile& weights)
    : network_(network) {
  check_weights_file(weights, network);
  for (const Layer& l : network.layers) {
    if (!integer_inference_defines(l)) {
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
    const LayerWeights* w = l.has_weights() ? weights.find(l.name) : nullptr;
    if (w && w->scales.empty()) {
      throw std::invalid_argument("layer '" + l.name + "': " + weights.file +
                                  " gives no requantisation scale, which integer inference needs");
    }
    weights_.push_back(w ? *w : LayerWeights{});
  }
}

Int8Tensor ReferenceInference::weighted(const Layer& l, const LayerWeights& w,
                                        const Int8Tensor& in) const {
  const KernelGeometry g = kernel_geometry(l);
  Int8Tensor out{l.out, std::vector<std::int8_t>(l.out.elements())};
  const auto scale = [&](std::uint64_t k) {
    return w.scales.size() == 1 ? w.scales[0] : w.scales[k];
  };
  const auto bias = [&](std::uint64_t k) -> std::int64_t { return w.bias.empty() ? 0 : w.bias[k]; };
  if (l.type == LayerType::fc) {
    // One kernel covers the whole input; weights [kernel][channel][row][column].
    for (std::uint64_t k = 0; k < g.kernels_per_group; ++k) {
      std::int64_t acc = bias(k);
      const std::int8_t* wk = w.weights.data() + k * g.weights_per_kernel();
      for (std::uint64_t c = 0; c < in.shape.c; ++c) {
        for (std::uint64_t y = 0; y < in.shape.h; ++y) {
          for (std::uint64_t x = 0; x < in.shape.w; ++x) {
            acc += std::int64_t{wk[(c * in.shape.h + y) * in.shape.w + x]} * in.at(y, x, c);
          }
        }
      }
      out.values[k] = reference_requantise(acc, scale(k), w.relu);
    }
    return out;
  }
  if (l.type == LayerType::matmul) {
    // Rows are the input's positions; column j of the weights is kernel j of k weights.
    for (std::uint64_t p = 0; p < in.shape.h * in.shape.w; ++p) {
      for (std::uint64_t j = 0; j < g.kernels_per_group; ++j) {
        std::int64_t acc = bias(j);
        for (std::uint64_t i = 0; i < g.channels; ++i) {
          acc += std::int64_t{w.weights[j * g.channels + i]} * in.values[p * in.shape.c + i];
        }
        out.values[p * l.out.c + j] = reference_requantise(acc, scale(j), w.relu);
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
          const std::int8_t* wk = w.weights.data() + oc * g.weights_per_kernel();
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
          out.values[(oy * l.out.w + ox) * l.out.c + oc] =
              reference_requantise(acc, scale(oc), w.relu);
        }
      }
    }
  }
  return out;
}

std::vector<Int8Tensor> ReferenceInference::run_all(const Int8Tensor& input) const {
  if (!network_.input || input.shape != *network_.input ||
      input.values.size() != input.shape.elements()) {
    throw std::invalid_argument(
        "reference inference: the input is " + to_string(input.shape) + ", the network takes " +
        (network_.input ? to_string(*network_.input) : std::string("none")));
  }
  std::vector<Int8Tensor> outputs;
  outputs.reserve(network_.layers.size());
  for (std::size_t i = 0; i < network_.layers.size(); ++i) {
    const Layer& l = network_.layers[i];
    std::vector<const Int8Tensor*> in;
    for (int s : l.sources)
      in.push_back(s == kNetworkInput ? &input : &outputs[static_cast<std::size_t>(s)]);
    if (l.has_weights()) {
      outputs.push_back(weighted(l, weights_[i], *in.front()));
    } else if (l.type == LayerType::pool) {
      outputs.push_back(pool_reference(l, *in.front()));
    } else {
      outputs.push_back(eltwise_reference(l, in));
    }
  }
  return outputs;
}

Int8Tensor ReferenceInference::run(const Int8Tensor& input) const {
  std::vector<Int8Tensor> all = run_all(input);
  return std::move(all.back());
}

std::size_t reference_top1(const Int8Tensor& logits) {
  return static_cast<std::size_t>(std::max_element(logits.values.begin(), logits.values.end()) -
                                  logits.values.begin());
}

}  // namespace hmasim
