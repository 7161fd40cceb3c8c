#include "hw/sdp_fusion.hpp"

namespace hmasim {

namespace {

bool same_shape(const Shape& a, const Shape& b) {
  return a.h == b.h && a.w == b.w && a.c == b.c;
}

}  // namespace

std::vector<FusedEltwise> find_fusions(
    const Network& net, const std::vector<LayerProgram>& programs,
    const std::function<bool(std::size_t, std::size_t)>& allowed) {
  const std::vector<Layer>& layers = net.layers;
  // Readers of each layer's output (a source named twice counts twice).
  std::vector<unsigned> readers(layers.size(), 0);
  for (const Layer& l : layers) {
    for (const int s : l.sources) {
      if (s >= 0 && static_cast<std::size_t>(s) < readers.size()) ++readers[s];
    }
  }
  std::vector<FusedEltwise> pairs;
  for (std::size_t i = 0; i + 1 < layers.size() && i + 1 < programs.size(); ++i) {
    const std::size_t j = i + 1;
    const Layer& conv = layers[i];
    const Layer& add = layers[j];
    if (programs[i].unit != LayerProgram::Unit::conv || programs[i].fused) continue;
    if (add.type != LayerType::eltwise || add.sources.size() != 2 || readers[i] != 1) continue;
    const bool first = add.sources[0] == static_cast<int>(i);
    const bool second = add.sources[1] == static_cast<int>(i);
    if (first == second) continue;  // not an input, or both (x + x)
    const std::size_t operand = first ? 1 : 0;
    if (!same_shape(conv.out, add.out) || !same_shape(add.in[operand], add.out) ||
        conv.precision != add.precision) {
      continue;
    }
    if (allowed && !allowed(i, j)) continue;
    pairs.push_back({i, j, operand});
    ++i;  // the element-wise layer is taken; it cannot start a pair of its own
  }
  return pairs;
}

void apply_fusions(std::vector<LayerProgram>& programs, const std::vector<FusedEltwise>& pairs) {
  for (const FusedEltwise& f : pairs) {
    LayerProgram& conv = programs[f.conv];
    LayerProgram& add = programs[f.eltwise];
    conv.fused_eltwise = add.layer;
    conv.residual = add.input_regions.at(f.operand);
    conv.output = add.output;
    add.fused = true;
  }
}

}  // namespace hmasim
