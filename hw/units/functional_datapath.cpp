#include "hw/units/functional_datapath.hpp"

#include <algorithm>
#include <cstring>

#include "core/integer_math.hpp"
#include "hw/interconnect.hpp"
#include "workloads/weight_encoding.hpp"

namespace hmasim {

void check_functional_network(const Network& network) {
  if (!network.input) {
    throw FunctionalError("--functional: network '" + network.name +
                          "' has no input: its layers state their own shapes");
  }
  const auto bits = [](const Layer& l) {
    return std::string(functional_element_bytes(l) == 2 ? "int16" : "int8");
  };
  for (const Layer& l : network.layers) {
    const std::string where = "--functional: layer '" + l.name + "' (" + to_string(l.type) + ")";
    if (!integer_inference_defines(l) && l.type != LayerType::softmax) {
      throw FunctionalError(where +
                            " is not computed by the functional datapath (it computes conv, "
                            "dwconv, fc, matmul with stored weights, pool, eltwise and softmax "
                            "layers)");
    }
    if (l.precision > 16) {
      throw FunctionalError(where + " has " + std::to_string(l.precision) +
                            "-bit precision; the functional datapath computes int8 (2..8-bit) "
                            "and int16 (9..16-bit) layers");
    }
    if (l.sources.empty()) {
      throw FunctionalError(where +
                            " states its own input shape; a functional run computes a network "
                            "from its input");
    }
    for (const int s : l.sources) {
      // The network input's elements are those of the first layer (placement.cpp).
      const Layer& producer =
          s == kNetworkInput ? network.layers.front() : network.layers[static_cast<std::size_t>(s)];
      if (functional_element_bytes(producer) == functional_element_bytes(l)) continue;
      const std::string source =
          s == kNetworkInput
              ? "the network input (" + bits(producer) + ", as its first layer '" + producer.name +
                    "' is " + std::to_string(producer.precision) + "-bit)"
              : "layer '" + producer.name + "' (" + std::to_string(producer.precision) + "-bit, " +
                    bits(producer) + ")";
      throw FunctionalError(where + ", " + std::to_string(l.precision) + "-bit (" + bits(l) +
                            "), reads " + source +
                            ": the functional datapath does not convert between int8 and int16 "
                            "maps (give both layers the same precision class)");
    }
  }
}

FunctionalDatapath::FunctionalDatapath(const Network& network,
                                       const std::vector<LayerProgram>& programs,
                                       const Placement& placement, const WeightsFile* weights,
                                       std::vector<MemoryTarget*> memories,
                                       WeightFetchUnit& weight_fetch, FunctionalInputs inputs)
    : network_(network),
      placement_(placement),
      weights_(weights),
      memories_(std::move(memories)),
      weight_fetch_(weight_fetch),
      inputs_(std::move(inputs)),
      input_layout_(FeatureLayout::plain(
          network.input.value_or(Shape{}),
          network.layers.empty() ? 1 : functional_element_bytes(network.layers.front()))) {
  check_functional_network(network);
  if (inputs_.shape != *network.input || inputs_.count == 0 ||
      inputs_.values.size() != inputs_.count * network.input->elements()) {
    throw FunctionalError("--functional: the input images are " + to_string(inputs_.shape) +
                          ", the network '" + network.name + "' takes " +
                          to_string(*network.input));
  }
  if (inputs_.element_bytes != input_layout_.element_bytes()) {
    throw FunctionalError(std::string("--functional: the input images are ") +
                          (inputs_.element_bytes == 2 ? "int16" : "int8") + ", the network '" +
                          network.name + "' takes " +
                          (input_layout_.element_bytes() == 2 ? "int16" : "int8") + " images");
  }
  weight_fetch_.keep_bytes_read();
  read_by_another_.assign(network.layers.size(), false);
  for (const Layer& l : network.layers) {
    for (const int s : l.sources) {
      if (s != kNetworkInput) read_by_another_[static_cast<std::size_t>(s)] = true;
    }
  }
  for (const LayerProgram& p : programs) {
    // The kernels compute blocks of whole output rows; a W split's tile computes a block of
    // columns, which they do not (its outputs would be written wrong, not refused later).
    if (p.plan.splits_columns()) {
      throw FunctionalError("--functional: layer '" + p.layer->name +
                            "' is tiled along W (not even one output row's input fits its "
                            "share of the CBUF: '" + p.plan.strategy +
                            "'), which functional mode does not compute: give the CBUF room "
                            "for one output row (accelerator.cbuf.size)");
    }
    layouts_.push_back(FeatureLayout::written_by(p.plan, p.work.out_h, p.work.out_w, p.work.kernels,
                                                 functional_element_bytes(*p.layer)));
  }
}

void FunctionalDatapath::read_region(const Region& r, std::uint8_t* out) const {
  if (!memories_[r.memory]->debug_read(r.offset, out, r.bytes)) {
    throw FunctionalError("functional datapath: a region lies outside its memory");
  }
}

const LayerWeights* FunctionalDatapath::record_of(const Layer& l) const {
  if (!weights_) return nullptr;
  if (const LayerWeights* own = weights_->find(l.name)) return own;
  return l.owner ? weights_->find(network_.layers[*l.owner].name) : nullptr;
}

const PreparedWeights& FunctionalDatapath::prepared(const Layer& l, const ConvWork& w,
                                                    const StoredWeights& stored) {
  auto it = prepared_.find(&stored);
  if (it == prepared_.end()) {
    it = prepared_.emplace(&stored, prepare_weights(l, w, stored.layout)).first;
  }
  return it->second;
}

void FunctionalDatapath::begin_frame(std::uint32_t f) {
  const std::uint64_t image = f % inputs_.count;
  const std::uint64_t n = network_.input->elements();
  const std::uint64_t eb = inputs_.element_bytes;
  const Region& r = placement_.input;
  // The image's elements as stored: two's complement, little-endian.
  std::vector<std::uint8_t> bytes(n * eb);
  for (std::uint64_t i = 0; i < n; ++i) {
    const auto v = static_cast<std::uint16_t>(inputs_.values[image * n + i]);
    bytes[i * eb] = static_cast<std::uint8_t>(v & 0xff);
    if (eb == 2) bytes[i * eb + 1] = static_cast<std::uint8_t>(v >> 8);
  }
  if (r.bytes < n * eb || !memories_[r.memory]->debug_write(r.offset, bytes.data(), n * eb)) {
    throw FunctionalError("functional datapath: the input region cannot hold an image");
  }
}

void FunctionalDatapath::begin_layer(const LayerProgram& p) {
  layer_ = &p;
  const Layer& l = *p.layer;
  // What each input region holds now; the tiles' reads replace it with what they return.
  inputs_staged_.resize(p.input_regions.size());
  for (std::size_t i = 0; i < p.input_regions.size(); ++i) {
    const Region& r = p.input_regions[i];
    Staged& s = inputs_staged_[i];
    s.base = Interconnect::address(r.memory, r.offset);
    // Placement gives every region whole 256 B (DMA requests round out to whole units).
    Region padded = r;
    padded.bytes = round_up(r.bytes, kSurfaceAlignment);
    s.bytes.resize(padded.bytes);
    read_region(padded, s.bytes.data());
    const int source = i < l.sources.size() ? l.sources[i] : kNetworkInput;
    s.layout =
        source == kNetworkInput ? &input_layout_ : &layouts_[static_cast<std::size_t>(source)];
  }
  output_base_ = Interconnect::address(p.output.memory, p.output.offset);
  output_.assign(round_up(p.output.bytes, kSurfaceAlignment), 0);
  kernels_ = nullptr;
  kernels16_ = nullptr;
  kernels_valid_ = false;
  weights_read_ = nullptr;
  softmax_ = nullptr;
  if (l.type == LayerType::softmax) {
    auto it = softmax_tables_.find(l.index);
    if (it == softmax_tables_.end()) {
      it = softmax_tables_
               .emplace(l.index, SoftmaxTable(softmax_scale(l, record_of(l)),
                                              8 * functional_element_bytes(l)))
               .first;
    }
    softmax_ = &it->second;
  }
  if (p.stored) {
    const PreparedWeights& clean = prepared(l, p.work, *p.stored);
    kernels_ = &clean.arranged;
    kernels16_ = &clean.arranged16;
    kernels_valid_ = true;
    arithmetic_ = layer_arithmetic(l, record_of(l), clean, read_by_another_[l.index]);
    weights_read_ = weight_fetch_.region_as_read();
    if (weights_read_) {
      // Bytes not read yet hold what the memory stores (the reads replace them).
      Region r = p.weights;
      r.bytes = std::min<std::uint64_t>(r.bytes, weights_read_->size());
      read_region(r, weights_read_->data());
    }
  }
}

std::uint8_t* FunctionalDatapath::destination(const DmaRequest& r) {
  for (Staged& s : inputs_staged_) {
    if (r.address >= s.base && r.address + r.length <= s.base + s.bytes.size()) {
      return s.bytes.data() + (r.address - s.base);
    }
  }
  return nullptr;
}

template <class T>
RowsOf<T> FunctionalDatapath::gather(Staged& s, std::uint64_t row0, std::uint64_t row1,
                                     std::uint64_t row_elements) {
  const std::uint64_t count = (row1 - row0) * row_elements;
  s.rows.resize(count);
  s.layout->gather(s.bytes.data(), row0 * row_elements, count, s.rows.data());
  // int8 elements are read through their storage's bytes (a char type may alias it).
  return {reinterpret_cast<const T*>(s.rows.data()), row0, row1};
}

void FunctionalDatapath::compute_tile(const Tile& t) {
  const Layer& l = *layer_->layer;
  if (weights_read_ && !t.load_kernels.empty()) kernels_valid_ = false;  // new bytes: decode again
  if (!t.writes) return;
  const std::uint64_t offset = layouts_[l.index].block_offset(t.out_rows, t.kernels);
  if (functional_element_bytes(l) == 1) {
    compute(t, reinterpret_cast<std::int8_t*>(output_.data() + offset));
    return;
  }
  // int16: the block is stored little-endian (the host's order, checked below).
  static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "int16 maps are stored little-endian");
  block16_.resize(t.out_rows.size() * layer_->work.out_w * t.kernels.size());
  compute(t, block16_.data());
  std::memcpy(output_.data() + 2 * offset, block16_.data(), 2 * block16_.size());
}

template <class T>
void FunctionalDatapath::compute(const Tile& t, T* out) {
  constexpr bool wide = sizeof(T) == 2;
  const LayerProgram& p = *layer_;
  const Layer& l = *p.layer;
  const ConvWork& w = p.work;
  if (l.type == LayerType::eltwise) {
    auto& in = [&]() -> std::vector<const T*>& {
      if constexpr (wide) {
        return eltwise_in16_;
      } else {
        return eltwise_in_;
      }
    }();
    in.clear();
    eltwise_widths_.clear();
    for (std::size_t i = 0; i < inputs_staged_.size(); ++i) {
      const std::uint64_t width = l.in[i].c;
      in.push_back(
          gather<T>(inputs_staged_[i], t.out_rows.begin, t.out_rows.end, l.in[i].w * width).values);
      eltwise_widths_.push_back(width);
    }
    eltwise_block(l.eltwise_op, in, eltwise_widths_, l.out.w, t.out_rows, t.kernels, out);
    return;
  }
  if (l.type == LayerType::softmax) {
    const RowsOf<T> in =
        gather<T>(inputs_staged_[0], t.out_rows.begin, t.out_rows.end, l.in[0].w * l.in[0].c);
    softmax_block(*softmax_, in.values, l.out.w, l.in[0].c, t.out_rows, t.kernels, out);
    return;
  }
  RowRange rows;
  w.input_rows(t.out_rows.begin, t.out_rows.end, rows.begin, rows.end);
  const RowsOf<T> in = gather<T>(inputs_staged_[0], rows.begin, rows.end, w.in_w * w.in_c);
  if (l.type == LayerType::pool) {
    pool_block(w, l.pool_mode, in, t.out_rows, t.kernels, out);
    return;
  }
  if (!kernels_valid_) {
    // The weights as the weight fetch unit read them (misreads included); bytes as stored
    // decode to the stored weights, so only differing ones are decoded anew.
    std::optional<EncodedLayer> read =
        layer_as_read(p.stored->layout, p.stored->offsets, *weights_read_);
    const PreparedWeights& now =
        read ? (read_weights_ = prepare_weights(l, w, *read)) : prepared(l, w, *p.stored);
    kernels_ = &now.arranged;
    kernels16_ = &now.arranged16;
    kernels_valid_ = true;
  }
  if constexpr (wide) {
    conv_block(w, in, *kernels16_, arithmetic_, t.out_rows, t.kernels, out);
  } else {
    conv_block(w, in, *kernels_, arithmetic_, t.out_rows, t.kernels, out);
  }
}

std::uint8_t* FunctionalDatapath::write_data(const std::vector<DmaRequest>& writes) {
  if (writes.empty()) return nullptr;
  // Requests are whole DMA units: the first may start before the block, the last end after it
  // (neighbouring blocks' bytes, as computed so far, or the region's padding).
  const std::uint64_t first = writes.front().address;
  const std::uint64_t end = writes.back().address + writes.back().length;
  if (first < output_base_ || end - output_base_ > output_.size()) {
    throw FunctionalError("functional datapath: a write lies outside the output region");
  }
  const std::uint64_t at = first - output_base_;
  return output_.data() + at;
}

void FunctionalDatapath::end_layer() {
  layer_ = nullptr;
}

void FunctionalDatapath::finish_inference(const LayerProgram& last, std::uint32_t frame,
                                          std::size_t task) {
  InferenceResult r;
  r.frame = frame;
  r.image = frame % inputs_.count;
  r.task = task;
  std::vector<std::uint8_t> bytes(last.output.bytes);
  read_region(last.output, bytes.data());
  const FeatureLayout& layout = layouts_[last.layer->index];
  std::vector<std::int16_t> values(layout.elements());
  layout.gather(bytes.data(), 0, layout.elements(), values.data());
  r.logits.resize(layout.elements());
  for (std::size_t i = 0; i < r.logits.size(); ++i) {
    r.logits[i] = layout.element_bytes() == 2
                      ? values[i]
                      : reinterpret_cast<const std::int8_t*>(values.data())[i];
  }
  results_.push_back(std::move(r));
}

WeightsFile FunctionalDatapath::stored_network(const std::vector<const StoredWeights*>& stored) {
  WeightsFile f;
  f.file = "(the weights as stored)";
  for (std::size_t i = 0; i < network_.layers.size() && i < stored.size(); ++i) {
    const Layer& l = network_.layers[i];
    if (l.type == LayerType::softmax) {
      LayerWeights rec;
      rec.name = l.name;
      rec.scales.push_back(softmax_scale(l, record_of(l)));
      f.layers.push_back(std::move(rec));
      continue;
    }
    if (!l.has_weights() || !stored[i] || stored[i]->bytes == 0) continue;
    const PreparedWeights& w = prepared(l, conv_work(l), *stored[i]);
    const LayerArithmetic a = layer_arithmetic(l, record_of(l), w, read_by_another_[i]);
    LayerWeights rec;
    rec.name = l.name;
    rec.weights = w.decoded;
    rec.weights16 = w.decoded16;
    rec.bias = a.bias;
    rec.relu = a.relu;
    rec.scales = a.scales;
    f.layers.push_back(std::move(rec));
  }
  return f;
}

}  // namespace hmasim
