#include "hw/layer_program.hpp"

#include <algorithm>

#include "hw/conv_core.hpp"
#include "workloads/dense_encoding.hpp"

namespace hmasim {

namespace {

// Pooling, element-wise and nonlinear layers stream rows through the post-processors; their row
// geometry is a convolution's without weights.
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

// An embedding as the DMA sees it: the table is the feature map (vocab rows of k elements, row
// after row) and each token's output row is one table row.
ConvWork gather_work(const Layer& l) {
  ConvWork w;
  w.bytes_per_element = (l.precision + 7) / 8;
  w.in_h = l.vocab, w.in_w = 1, w.in_c = l.k;
  w.out_h = l.out.h * l.out.w, w.out_w = 1;
  w.kernels = l.k;
  w.channels = 0;
  return w;
}

// One tile per token: it fetches the token's table row (and nothing else) and writes it as the
// token's output row.
TilePlan gather_plan(const Layer& l, const ConvWork& w, const CbufConfig& cbuf) {
  TilePlan plan;
  plan.strategy = "embedding: one gathered table row per token";
  plan.feature_share = cbuf.size;
  plan.weight_share = Bytes(0);
  if (w.in_row_bytes() > cbuf.size.value() / 2) {
    throw TilingError("one table row (" + std::to_string(w.in_row_bytes()) +
                      " B) is larger than half the CBUF (" + std::to_string(cbuf.size.value() / 2) +
                      " B)");
  }
  for (std::uint64_t t = 0; t < w.out_h; ++t) {
    const std::uint64_t row = embedding_row(l, t);
    plan.tiles.push_back(
        {{row, row + 1}, RowRange{}, {t, t + 1}, {0, w.kernels}, RowRange{}, true});
  }
  return plan;
}

// The second operand of a matmul of two activations, as the weight fetch unit streams it.
std::shared_ptr<const StoredWeights> activation_operand(const Layer& l) {
  auto s = std::make_shared<StoredWeights>();
  EncodedStructure values;
  values.kind = StructureKind::values;
  values.element_bits = 8 * static_cast<unsigned>((l.precision + 7) / 8);
  values.elements = l.in[1].elements();
  values.bytes.assign(map_bytes(l.in[1], l.precision), 0);
  s->layout.structures.push_back(std::move(values));
  s->offsets.push_back(0);
  s->bytes = map_bytes(l.in[1], l.precision);
  s->checked = false;
  return s;
}

}  // namespace

std::uint64_t embedding_row(const Layer& layer, std::uint64_t position) {
  // splitmix64 of (layer index, position).
  std::uint64_t z = (static_cast<std::uint64_t>(layer.index) << 32) ^ position;
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return layer.vocab ? z % layer.vocab : 0;
}

std::vector<LayerProgram> plan_layers(const std::vector<Layer>& layers, const CbufConfig& cbuf,
                                      const MacArrayConfig& mac) {
  const std::uint32_t atomic_c = mac.atomic_c;
  const std::uint32_t atomic_k = mac.atomic_k;
  std::vector<LayerProgram> out;
  out.reserve(layers.size());
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const Layer& l = layers[i];
    LayerProgram p;
    p.layer = &l;
    // The second operand of a two-activation matmul comes through the weight path.
    const bool weighted = l.uses_weights() || l.two_operand_matmul();
    try {
      if (l.type == LayerType::embedding) {
        p.unit = LayerProgram::Unit::eltwise;
        p.work = gather_work(l);
        p.plan = gather_plan(l, p.work, cbuf);
        out.push_back(std::move(p));
        continue;
      }
      if (l.type == LayerType::pool) {
        p.unit = LayerProgram::Unit::pool;
        p.work = streaming_work(l);
      } else if (l.type == LayerType::eltwise || is_nonlinear(l.type)) {
        p.unit = LayerProgram::Unit::eltwise;
        p.work = streaming_work(l);
        p.inputs = static_cast<unsigned>(l.in.size());
      } else {
        p.work = conv_work(l);
        // Winograd's stored kernels are 4x4: the CBUF holds 16/9 of the weight bytes.
        if (conv_mode(p.work, mac) == ConvMode::winograd) p.work.stored_kernel_positions = 16;
        const std::uint64_t outputs = l.out.elements();
        p.macs_per_output = outputs ? l.macs / outputs : 0;
        if (l.two_operand_matmul()) p.operand = activation_operand(l);
      }
      // Kernel groups of 16-bit layers hold half the kernels (atoms_for_element); CBUF space is
      // counted in bytes, so a 16-bit element takes two.
      const NvdlaAtoms atoms = atoms_for_element({atomic_c, atomic_k}, p.work.bytes_per_element);
      p.plan = plan_tiles(p.work, cbuf, atomic_c, static_cast<std::uint32_t>(atoms.atomic_k),
                          p.inputs, weighted);
    } catch (const TilingError& e) {
      throw TilingError("layer '" + l.name + "' cannot be tiled into the CBUF: " + e.what());
    }
    out.push_back(std::move(p));
  }
  return out;
}

void assign_regions(std::vector<LayerProgram>& programs, const Placement& place) {
  for (std::size_t i = 0; i < programs.size(); ++i) {
    LayerProgram& p = programs[i];
    p.weights = place.weights[i];
    p.input_regions = place.inputs[i];
    p.output = place.outputs[i];
    const Layer* l = p.layer;
    if (!l) continue;
    if (l->two_operand_matmul() && p.input_regions.size() == 2) {
      // b is read where its producer wrote it, through the weight path; a as features.
      p.weights = p.input_regions[1];
      p.input_regions.resize(1);
    } else if (l->type == LayerType::embedding) {
      // The gathered rows are read from the table (the token ids are not fetched). A row costs
      // what the table stores per row: k elements dense, fewer bytes when the storage encoding
      // compressed the table (its rows are then not addressable one by one: row r is read at r
      // times that size, within the region).
      p.input_regions.assign(1, place.weights[i]);
      const std::uint64_t stored_row =
          place.weights[i].bytes / std::max<std::uint64_t>(1, l->vocab);
      p.work.in_c = std::clamp<std::uint64_t>(stored_row / p.work.bytes_per_element, 1, l->k);
    }
  }
}

void attach_weights(std::vector<LayerProgram>& programs, const std::vector<StoredWeights>& stored) {
  for (std::size_t i = 0; i < programs.size(); ++i) {
    LayerProgram& p = programs[i];
    p.stored = nullptr;
    if (p.operand) {
      p.stored = p.operand.get();
      continue;
    }
    if (p.layer && p.layer->type == LayerType::embedding) continue;
    const std::size_t owner = p.layer && p.layer->owner ? *p.layer->owner : i;
    if (owner < stored.size() && stored[owner].bytes > 0) p.stored = &stored[owner];
  }
}

}  // namespace hmasim
