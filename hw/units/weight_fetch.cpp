#include "hw/units/weight_fetch.hpp"

#include <algorithm>
#include <cmath>

#include "core/integer_math.hpp"
#include "hw/interconnect.hpp"

namespace hmasim {

WeightFetchUnit::WeightFetchUnit(const sc_core::sc_module_name& name,
                                 const WeightFetchConfig& config, Clock clock, const DmaConfig& dma,
                                 std::size_t memories)
    : sc_core::sc_module(name), config_(config), clock_(clock), dma_(dma), checks_(memories) {}

void WeightFetchUnit::begin_layer(const LayerProgram& p, Time start) {
  layer_ = p.stored ? &p : nullptr;
  decoder_free_ = clock_.cycle_at_or_after(start);
  checked_ = layer_ && p.stored->checked;
  keep_ = layer_ && (checked_ || keep_all_);
  if (!layer_) return;
  base_ = Interconnect::address(p.weights.memory, p.weights.offset);
  // The region as the DMA reads it: what the decoder sees, faults included.
  if (keep_) region_.assign(p.stored->bytes, 0);
}

std::uint8_t* WeightFetchUnit::destination(const DmaRequest& r) {
  if (!keep_ || r.address < base_ || r.address + r.length > base_ + region_.size()) {
    return nullptr;
  }
  return region_.data() + (r.address - base_);
}

std::uint64_t WeightFetchUnit::tile_reads(const Tile& t, std::vector<DmaRead>& out) {
  tile_mask_bytes_ = tile_other_bytes_ = 0;
  if (!layer_ || t.load_kernels.empty()) return 0;
  const ConvWork& w = layer_->work;
  // The tile's share of the layer's weights: its kernels, and of those its channel slice. Each
  // stored structure is fetched in proportion (exact for dense; for the sparse formats, which
  // are laid out kernel group by kernel group, the share of the group's bytes).
  const double k = static_cast<double>(w.kernels);
  const double c0 = t.channels.empty() ? 0.0 : static_cast<double>(t.channels.begin) / w.channels;
  const double c1 = t.channels.empty() ? 1.0 : static_cast<double>(t.channels.end) / w.channels;
  const double span = static_cast<double>(t.load_kernels.size());
  const double f0 = (t.load_kernels.begin + span * c0) / k;
  const double f1 = (t.load_kernels.begin + span * c1) / k;
  const StoredWeights& s = *layer_->stored;
  std::vector<DmaRequest> requests;
  for (std::size_t i = 0; i < s.layout.structures.size(); ++i) {
    const EncodedStructure& st = s.layout.structures[i];
    const double size = static_cast<double>(st.bytes.size());
    const auto first = static_cast<std::uint64_t>(std::floor(size * f0));
    const auto end =
        std::min<std::uint64_t>(st.bytes.size(), static_cast<std::uint64_t>(std::ceil(size * f1)));
    if (end <= first) continue;
    requests.clear();
    split_requests(dma_, base_ + s.offsets[i] + first, end - first, requests);
    for (const DmaRequest& r : requests) out.push_back({r, this});
    (st.kind == StructureKind::mask ? tile_mask_bytes_ : tile_other_bytes_) += end - first;
  }
  const std::uint64_t channels = t.channels.empty() ? w.channels : t.channels.size();
  const std::uint64_t dense = t.load_kernels.size() * channels * w.r * w.s * w.bytes_per_element;
  ++stats_.tiles;
  stats_.bytes_fetched += tile_mask_bytes_ + tile_other_bytes_;
  stats_.dense_bytes += dense;
  return dense;
}

Time WeightFetchUnit::tile_ready(Time fetch_start, Time arrived) {
  if (tile_mask_bytes_ + tile_other_bytes_ == 0) return arrived;  // nothing fetched to decode
  // The slower of the mask and the other structures at their rates, plus the pipeline.
  const Cycles decode(std::max(ceil_div(8 * tile_mask_bytes_, config_.mask_bits_per_cycle),
                               ceil_div(tile_other_bytes_, config_.value_bytes_per_cycle)));
  stats_.decode_cycles += decode;
  // One decoder: a tile's bytes wait until it is done with the previous tile's; the pipeline
  // latency follows the last decoded byte without holding the decoder.
  const Cycles start = max(decode_start(fetch_start, arrived), decoder_free_);
  decoder_free_ = start + decode;
  const Time ready = clock_.time_of(decoder_free_ + config_.pipeline_latency);
  if (trace_) {
    const Time begin = clock_.time_of(start);
    trace_->set(busy_signal_, begin, 1);
    trace_->set(busy_signal_, clock_.time_of(decoder_free_), 0);
    if (trace_->shows(TraceDetail::tile)) trace_->slice(track_, begin, ready, "decode", "decode");
  }
  return ready;
}

void WeightFetchUnit::end_layer() {
  if (checked_) {
    const StoredWeights& s = *layer_->stored;
    checks_[layer_->weights.memory] += check_weights(*layer_->layer, s.layout, s.offsets, region_);
  }
  layer_ = nullptr;
  checked_ = keep_ = false;
}

void WeightFetchUnit::set_trace(TraceSink* sink) {
  trace_ = sink;
  if (!trace_) return;
  busy_signal_ = trace_->integer_signal("accelerator.weight_fetch", "busy", 1);
  track_ = trace_->track("accelerator", "weight fetch");
}

namespace {

// NVDLA decompresses in line: decoding starts with the fetch and keeps pace with the bytes.
class StreamingWeightFetch final : public WeightFetchUnit {
 public:
  using WeightFetchUnit::WeightFetchUnit;

 protected:
  Cycles decode_start(Time fetch_start, Time /*arrived*/) const override {
    return clock().cycle_at_or_after(fetch_start);
  }
};

}  // namespace

HMASIM_REGISTER_WEIGHT_FETCH(StreamingWeightFetch, "streaming",
                             "decodes as the bytes arrive (NVDLA's in-line decompression)");

}  // namespace hmasim
