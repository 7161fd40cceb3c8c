// The reference for integer inference: a network with real weights (weights_file.hpp) computed
// plainly, layer by layer, on int8 (or, for 9..16-bit layers, int16) activations. It shares no code
// with the accelerator's datapath (hw/): it is what a functional run is checked against (the
// fault-free logits) and what the digits networks' accuracy is measured with. Straight loops, no
// vectorisation: it is meant to be obviously right, not fast.
//
// Arithmetic (docs/weights.md, "Integer inference"), symmetric quantisation with zero point 0:
// - conv, dwconv, fc, matmul (weights operand): acc = bias + sum(weight x input), exact (64-bit);
//   zero padding; fc reads its input in [channel][row][column] order (the weights' order);
// - requantisation: y = floor((acc x multiplier + 2^(shift-1)) / 2^shift) (2^(shift-1) = 0 for
//   shift 0), saturated to [-128, 127], then to [0, 127] with the layer's ReLU; the layer's one
//   scale, or its output channel's; a 9..16-bit layer (int16 weights and activations) saturates
//   to [-32768, 32767] ([0, 32767] with ReLU), and so do its pooling and element-wise results;
// - max pool: the largest input in the window (padding takes no part); average pool:
//   floor((sum + n/2) / n) with n = r x s (padding counts as zeros, PyTorch's default), or n = H x
//   W for a global pool;
// - eltwise add / mul: the sum / product of the inputs (missing channels are 0 with pad_channels),
//   saturated to int8;
// - softmax over the channels of each position, input scale s = multiplier / 2^shift (the
//   layer's record, else default_softmax_scale): m = max x, e_i = round(2^15 exp((x_i - m) s)),
//   y_i = round(Q e_i / sum e), halves up, Q = 127 (int8) or 32767 (int16).
// Layers it cannot compute (matmul of two activations, types added later) are refused at
// construction with std::invalid_argument naming the layer.
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/network.hpp"
#include "workloads/weights_file.hpp"

namespace hmasim {

// One frame's feature map, int8, height x width x channels with channels fastest.
struct Int8Tensor {
  Shape shape;
  std::vector<std::int8_t> values;  // (y x w + x) x c + channel
  std::int8_t at(std::uint64_t y, std::uint64_t x, std::uint64_t c) const {
    return values[(y * shape.w + x) * shape.c + c];
  }
};

// Any frame's feature map, int8 or int16 values (held as int32), as Int8Tensor.
struct IntTensor {
  Shape shape;
  std::vector<std::int32_t> values;
  std::int32_t at(std::uint64_t y, std::uint64_t x, std::uint64_t c) const {
    return values[(y * shape.w + x) * shape.c + c];
  }
};

// floor(acc x multiplier / 2^shift + 1/2), saturated to int8 (ReLU: to 0..127).
std::int8_t reference_requantise(std::int64_t acc, const Requantisation& q, bool relu);
// The same saturated to int16 (ReLU: to 0..32767).
std::int16_t reference_requantise16(std::int64_t acc, const Requantisation& q, bool relu);

class ReferenceInference {
 public:
  // `network` validated, `weights` checked against it (check_weights_file, called here too);
  // both are copied.
  // Throws WeightsFileError for a mismatch, std::invalid_argument for a layer it cannot compute
  // or a weighted layer without a requantisation scale.
  ReferenceInference(const Network& network, const WeightsFile& weights);

  // Every layer's output for one input of the network's input shape (network order). The int8
  // forms throw std::invalid_argument for a network with a 9..16-bit layer.
  std::vector<Int8Tensor> run_all(const Int8Tensor& input) const;
  std::vector<IntTensor> run_all(const IntTensor& input) const;
  // The last layer's output: the logits.
  Int8Tensor run(const Int8Tensor& input) const;
  IntTensor run(const IntTensor& input) const;

 private:
  IntTensor weighted(const Layer& l, const LayerWeights& w, const IntTensor& in) const;

  // Own copies: the reference stays valid whatever happens to its arguments.
  Network network_;
  std::vector<LayerWeights> weights_;  // per layer; empty (no name) for layers without weights
};

// The predicted class: the index of the largest value (the first of equal ones).
std::size_t reference_top1(const Int8Tensor& logits);

}  // namespace hmasim
