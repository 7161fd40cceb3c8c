#include "hw/layer_program.hpp"

namespace hmasim {

namespace {

// Pooling and element-wise layers stream rows through the post-processors; their row geometry
// is a convolution's without weights.
ConvWork streaming_work(const Layer& l) {
  ConvWork w;
  const Shape& in = l.input();
  w.bytes_per_element = (l.precision + 7) / 8;
  w.in_h = in.h, w.in_w = in.w, w.in_c = in.c;
  w.out_h = l.out.h, w.out_w = l.out.w;
  w.kernels = l.out.c;
  w.channels = 0;
  if (l.type == LayerType::pool) {
    w.r = l.global_pool ? in.h : l.r;
    w.s = l.global_pool ? in.w : l.s;
    w.stride = l.global_pool ? 1 : l.stride;
    w.padding = l.global_pool ? 0 : l.padding;
  }
  return w;
}

}  // namespace

std::vector<LayerProgram> plan_layers(const std::vector<Layer>& layers, const CbufConfig& cbuf,
                                      std::uint32_t atomic_c, std::uint32_t atomic_k) {
  std::vector<LayerProgram> out;
  out.reserve(layers.size());
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const Layer& l = layers[i];
    LayerProgram p;
    p.layer = &l;
    const bool weighted = l.has_weights();
    if (l.type == LayerType::pool) {
      p.unit = LayerProgram::Unit::pool;
      p.work = streaming_work(l);
    } else if (l.type == LayerType::eltwise) {
      p.unit = LayerProgram::Unit::eltwise;
      p.work = streaming_work(l);
      p.inputs = static_cast<unsigned>(l.in.size());
    } else {
      p.work = conv_work(l);
      const std::uint64_t outputs = l.out.elements();
      p.macs_per_output = outputs ? l.macs / outputs : 0;
    }
    try {
      p.plan = plan_tiles(p.work, cbuf, atomic_c, atomic_k, p.inputs, weighted);
    } catch (const TilingError& e) {
      throw TilingError("layer '" + l.name + "' cannot be tiled into the CBUF: " + e.what());
    }
    out.push_back(std::move(p));
  }
  return out;
}

void assign_regions(std::vector<LayerProgram>& programs, const Placement& place) {
  for (std::size_t i = 0; i < programs.size(); ++i) {
    programs[i].weights = place.weights[i];
    programs[i].input_regions = place.inputs[i];
    programs[i].output = place.outputs[i];
  }
}

}  // namespace hmasim
