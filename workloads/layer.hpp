// One layer of a network: what the YAML declares (stage one, plain values with defaults applied)
// and what validation derives from it (stage two: shapes, MACs, weight and parameter counts).
// Consumers (the platform builder, the weight generator, the reports) read only these structs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hmasim {

// linear: a weight matrix applied to every token (row) of the input; softmax, layernorm, gelu:
// element-wise nonlinear functions run on the SDP; embedding: a gather of table rows.
enum class LayerType {
  conv,
  dwconv,
  fc,
  pool,
  eltwise,
  matmul,
  linear,
  softmax,
  layernorm,
  gelu,
  embedding
};
enum class PoolMode { max, avg };
enum class EltwiseOp { add, mul };

// The YAML spelling of a type ("conv", ...).
const char* to_string(LayerType t);
const char* to_string(PoolMode m);
const char* to_string(EltwiseOp op);

// A feature map of one frame: height x width x channels. A matmul's M x K operand is h*w x c.
struct Shape {
  std::uint64_t h = 0;
  std::uint64_t w = 0;
  std::uint64_t c = 0;
  std::uint64_t elements() const { return h * w * c; }
  friend bool operator==(const Shape& a, const Shape& b) {
    return a.h == b.h && a.w == b.w && a.c == b.c;
  }
  friend bool operator!=(const Shape& a, const Shape& b) { return !(a == b); }
};
std::string to_string(const Shape& s);  // "56x56x256"

// How a layer's weights are arranged as independent kernels. The weight generator produces, and
// every encoding consumes, weights in the order [group][kernel][channel][r][s] (PyTorch's OIHW
// with groups outermost, which is what PyTorch stores for grouped convolutions too).
struct KernelGeometry {
  std::uint64_t groups = 1;
  std::uint64_t kernels_per_group = 0;  // output channels (or GEMM columns) per group
  std::uint64_t channels = 0;           // input channels each kernel sees
  std::uint64_t r = 1;                  // kernel height (for fc: the input height)
  std::uint64_t s = 1;                  // kernel width (for fc: the input width)
  std::uint64_t weights_per_kernel() const { return channels * r * s; }
  std::uint64_t weights() const { return groups * kernels_per_group * weights_per_kernel(); }
};

// Bounds on what a workload may describe, far above any real network, so that every size, count
// and MAC total is computed exactly (no 64-bit wrap) and absurd values are errors, not runs:
// one dimension (h, w, c, k, r, s, m, n, stride, padding, groups), one feature map's elements,
// one layer's weights and MACs, and a frame's MACs over all layers.
constexpr std::uint64_t kMaxDimension = std::uint64_t{1} << 24;
constexpr std::uint64_t kMaxMapElements = std::uint64_t{1} << 40;
constexpr std::uint64_t kMaxLayerWeights = std::uint64_t{1} << 36;
constexpr std::uint64_t kMaxLayerMacs = std::uint64_t{1} << 50;
constexpr std::uint64_t kMaxNetworkMacs = std::uint64_t{1} << 56;

// Index of the network input among a layer's resolved sources.
constexpr int kNetworkInput = -1;

struct Layer {
  // ---- declared (parse stage; defaults already applied) ----
  std::string name;
  LayerType type = LayerType::conv;
  // Producers by name, as written (`input:` gives one, `inputs:` several). Empty: the previous
  // layer, or the network input for the first layer. "input" names the network input.
  std::vector<std::string> inputs;
  // Input shape stated on the layer (`h`, `w`, `c`; for matmul also `m` x `k`): the layer does not
  // take its shape from a producer (imported SCALE-Sim layers are independent of each other).
  std::optional<Shape> declared_input;

  // conv / dwconv / pool / fc (k) and matmul (m, n, k: [m x k] * [k x n]).
  std::uint64_t k = 0;  // conv/dwconv/fc: output channels; matmul: the reduction dimension
  std::uint64_t r = 0, s = 0;
  std::uint64_t stride = 1;
  std::uint64_t padding = 0;
  std::uint64_t groups = 1;  // conv only; dwconv's groups are its input channels
  std::uint64_t m = 0, n = 0;
  bool rhs_weights = true;  // matmul: the k x n operand is stored weights (false: activations)
  // matmul with rhs: activations and inputs [a, b]: b is stored n x k (its rows are the columns
  // of the product: Q.K^T reads K as it was written); false: b is k x n (softmax.V).
  bool transpose = false;
  // matmul with rhs: activations: independent products over equal channel slices of a and b
  // (attention heads); each head's slices are a.c / heads and b.c / heads wide.
  std::uint64_t heads = 1;
  std::uint64_t vocab = 0;  // embedding: rows of the table (k: its width)
  PoolMode pool_mode = PoolMode::max;
  bool global_pool = false;
  EltwiseOp eltwise_op = EltwiseOp::add;
  bool pad_channels = false;  // eltwise: zero-extend inputs with fewer channels than the first

  // Data and weight properties.
  std::uint32_t precision = 8;  // bits of weights and activations
  bool bias = false;            // one parameter per output channel
  bool batchnorm = false;       // a folded batch norm: scale and shift per output channel
  double sparsity = 0.0;        // fraction of zero weights, 0..1
  std::optional<std::uint32_t> cluster_bits;  // weights take at most 2^cluster_bits values
  std::string memory;  // platform memory holding the weights ("" = the placement policy decides)
  bool shared = true;  // false: task-specific parameters (residual adapters, classifier, BN)
  // Name of an earlier layer whose weights this one uses (ALBERT's cross-layer sharing): one
  // stored copy, fetched at every use. Empty: the layer has weights of its own.
  std::string shares;
  // The task head this layer belongs to (it runs only when that task runs); empty: every task.
  std::string task;

  // ---- derived (validation stage) ----
  std::size_t index = 0;     // position in the network (seeds this layer's weights)
  std::vector<int> sources;  // producer layer indices, kNetworkInput for the network input
  std::vector<Shape> in;     // shape of each input
  Shape out;
  std::uint64_t macs = 0;     // multiply-accumulates per frame
  std::uint64_t weights = 0;  // stored kernel / matrix weights (what the generator produces)
  std::uint64_t params = 0;   // weights + biases + batch-norm scale and shift (+ layer norm's)
  // Index of the layer whose stored weights this one uses (`shares`, followed to the layer that
  // owns them); absent: its own. A sharing layer's weights and params are counted once, on the
  // owner (network_stats), but `weights` still describes the kernels it computes with.
  std::optional<std::size_t> owner;

  // Whether weights are stored for this layer (generated, encoded and placed for it): false for
  // a layer that computes with another's through `shares`.
  bool has_weights() const { return weights > 0 && !owner; }
  // Whether the layer computes with stored weights, its own or (`shares`) another layer's.
  bool uses_weights() const { return weights > 0; }
  // Two activation operands, both read from their producers' output regions (attention).
  bool two_operand_matmul() const {
    return type == LayerType::matmul && !rhs_weights && in.size() == 2;
  }
  // Input shape of the (first) input.
  const Shape& input() const { return in.front(); }
};

// Layer types that own weights (and so accept sparsity, cluster_bits, memory, shares).
bool type_has_weights(LayerType t);
// softmax, layernorm, gelu: element-wise functions the SDP evaluates at its nonlinear rate.
bool is_nonlinear(LayerType t);
// Whether integer inference (docs/weights.md) defines the layer: conv, dwconv, fc, pool, eltwise
// and matmul with stored weights. What the reference and the functional datapath both compute.
bool integer_inference_defines(const Layer& layer);

// The weight arrangement of a validated layer (groups = 0 kernels for layers without weights).
KernelGeometry kernel_geometry(const Layer& layer);

}  // namespace hmasim
