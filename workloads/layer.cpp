#include "workloads/layer.hpp"

namespace hmasim {

const char* to_string(LayerType t) {
  switch (t) {
    case LayerType::conv:
      return "conv";
    case LayerType::dwconv:
      return "dwconv";
    case LayerType::fc:
      return "fc";
    case LayerType::pool:
      return "pool";
    case LayerType::eltwise:
      return "eltwise";
    case LayerType::matmul:
      return "matmul";
    case LayerType::linear:
      return "linear";
    case LayerType::softmax:
      return "softmax";
    case LayerType::layernorm:
      return "layernorm";
    case LayerType::gelu:
      return "gelu";
    case LayerType::embedding:
      return "embedding";
  }
  return "?";
}

const char* to_string(PoolMode m) {
  return m == PoolMode::max ? "max" : "avg";
}
const char* to_string(EltwiseOp op) {
  return op == EltwiseOp::add ? "add" : "mul";
}

std::string to_string(const Shape& s) {
  return std::to_string(s.h) + "x" + std::to_string(s.w) + "x" + std::to_string(s.c);
}

bool type_has_weights(LayerType t) {
  return t == LayerType::conv || t == LayerType::dwconv || t == LayerType::fc ||
         t == LayerType::matmul || t == LayerType::linear || t == LayerType::embedding;
}

bool is_nonlinear(LayerType t) {
  return t == LayerType::softmax || t == LayerType::layernorm || t == LayerType::gelu;
}

bool integer_inference_defines(const Layer& l) {
  switch (l.type) {
    case LayerType::conv:
    case LayerType::dwconv:
    case LayerType::fc:
    case LayerType::pool:
    case LayerType::eltwise:
      return true;
    case LayerType::matmul:
      return l.rhs_weights;
    default:
      return false;
  }
}

KernelGeometry kernel_geometry(const Layer& l) {
  KernelGeometry g;
  if (l.weights == 0 || l.in.empty()) return g;
  const Shape& in = l.input();
  switch (l.type) {
    case LayerType::conv:
      g.groups = l.groups;
      g.kernels_per_group = l.k / l.groups;
      g.channels = in.c / l.groups;
      g.r = l.r;
      g.s = l.s;
      break;
    case LayerType::dwconv:
      g.groups = in.c;
      g.kernels_per_group = l.k / in.c;
      g.channels = 1;
      g.r = l.r;
      g.s = l.s;
      break;
    case LayerType::fc:
      // NVDLA runs a fully-connected layer as a convolution whose kernel covers the whole input.
      g.kernels_per_group = l.k;
      g.channels = in.c;
      g.r = in.h;
      g.s = in.w;
      break;
    case LayerType::matmul:
      // [m x k] * [k x n]: n kernels of k weights each (a 1x1 convolution over m positions).
      g.kernels_per_group = l.n;
      g.channels = l.k;
      break;
    case LayerType::linear:
      // tokens x in_features times in_features x k: k kernels of in_features weights (a matmul).
      g.kernels_per_group = l.k;
      g.channels = in.c;
      break;
    case LayerType::embedding:
      // The vocab x k table: one row per token id, a "kernel" of k weights each.
      g.kernels_per_group = l.vocab;
      g.channels = l.k;
      break;
    case LayerType::pool:
    case LayerType::eltwise:
    case LayerType::softmax:
    case LayerType::layernorm:
    case LayerType::gelu:
      break;
  }
  return g;
}

}  // namespace hmasim
