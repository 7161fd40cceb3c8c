#include "hw/layer_sequencer.hpp"

#include <algorithm>
#include <cmath>
#include <deque>

#include "core/integer_math.hpp"
#include "hw/interconnect.hpp"

namespace hmasim {

namespace {

std::uint64_t memory_bytes(const MemoryTarget& m) {
  return m.stats().bytes_read + m.stats().bytes_written;
}
}  // namespace

LayerSequencer::LayerSequencer(const AcceleratorConfig& config, DmaEngine& dma,
                               std::vector<MemoryTarget*> memories, EnergyLedger& ledger)
    : config_(config),
      clock_(config.clock),
      dma_(dma),
      core_(config.mac),
      memories_(std::move(memories)),
      ledger_(ledger) {
  const auto mac = ledger.add_component("mac_array");
  const auto cbuf = ledger.add_component("cbuf");
  const auto post = ledger.add_component("post");
  mac_ = ledger.add_action(mac, "mac");
  cbuf_read_ = ledger.add_action(cbuf, "read_byte");
  cbuf_write_ = ledger.add_action(cbuf, "write_byte");
  post_ = ledger.add_action(post, "output");
  checks_.resize(memories_.size());
  ledger.set_static_power(mac, config.mac.leakage, Time(0));
  ledger.set_static_power(cbuf, config.cbuf.leakage, Time(0));
  ledger.set_static_power(post, config.post.leakage, Time(0));
}

std::uint64_t LayerSequencer::address(const Region& r, std::uint64_t offset) const {
  return Interconnect::address(r.memory, r.offset + offset);
}

LayerSequencer::TileTiming LayerSequencer::compute(const LayerProgram& p, const Tile& t) const {
  TileTiming tt;
  const ConvWork& w = p.work;
  const std::uint64_t opc = config_.post.outputs_per_cycle;
  const std::uint64_t positions = t.out_rows.size() * w.out_w;
  switch (p.unit) {
    case LayerProgram::Unit::conv: {
      const std::uint64_t channels = t.channels.empty() ? w.channels : t.channels.size();
      const ConvCore::Timing c = core_.compute(w, positions, t.kernels.size(), channels);
      // Partial sums of a channel slice stay in the accumulator: only the last slice emits.
      tt.outputs = t.writes ? positions * t.kernels.size() : 0;
      // The post-processor drains outputs at its own rate: the slower of the two sets the pace.
      tt.cycles = max(c.cycles, Cycles(ceil_div(tt.outputs, opc)));
      tt.atomic_ops = c.atomic_ops;
      tt.cbuf_read_bytes = c.feature_read_bytes + c.weight_read_bytes;
      tt.macs = positions * t.kernels.size() * p.macs_per_output * channels /
                std::max<std::uint64_t>(1, w.channels);
      break;
    }
    case LayerProgram::Unit::pool: {
      // The PDP reads every input element of the tile's window rows once.
      RowRange in;
      w.input_rows(t.out_rows.begin, t.out_rows.end, in.begin, in.end);
      tt.outputs = positions * w.kernels;
      tt.cycles = Cycles(std::max<std::uint64_t>(1, ceil_div(in.size() * w.in_w * w.in_c, opc)));
      break;
    }
    case LayerProgram::Unit::eltwise:
      tt.outputs = positions * w.kernels;
      tt.cycles = Cycles(std::max<std::uint64_t>(1, ceil_div(tt.outputs, opc)));
      break;
  }
  return tt;
}

void LayerSequencer::tile_reads(const LayerProgram& p, const Tile& t,
                                std::vector<DmaEngine::Request>& out, WeightBytes& weights) const {
  const ConvWork& w = p.work;
  if (!t.feature_rows.empty()) {
    for (std::size_t i = 0; i < p.input_regions.size(); ++i) {
      const Region& r = p.input_regions[i];
      const std::uint64_t row = w.in_row_bytes();
      const std::uint64_t first = t.feature_rows.begin * row;
      const std::uint64_t bytes =
          std::min(r.bytes, t.feature_rows.end * row) - std::min(r.bytes, first);
      dma_.split(address(r, first), bytes, out);
    }
  }
  if (t.load_kernels.empty() || !p.stored) return;
  // The tile's share of the layer's weights: its kernels, and of those its channel slice. Each
  // stored structure is fetched in proportion (exact for dense; for the sparse formats, which
  // are laid out kernel group by kernel group, the share of the group's bytes).
  const double k = static_cast<double>(w.kernels);
  const double c0 = t.channels.empty() ? 0.0 : static_cast<double>(t.channels.begin) / w.channels;
  const double c1 = t.channels.empty() ? 1.0 : static_cast<double>(t.channels.end) / w.channels;
  const double span = static_cast<double>(t.load_kernels.size());
  const double f0 = (t.load_kernels.begin + span * c0) / k;
  const double f1 = (t.load_kernels.begin + span * c1) / k;
  const StoredWeights& s = *p.stored;
  for (std::size_t i = 0; i < s.layout.structures.size(); ++i) {
    const EncodedStructure& st = s.layout.structures[i];
    const double size = static_cast<double>(st.bytes.size());
    const auto first = static_cast<std::uint64_t>(std::floor(size * f0));
    const auto end =
        std::min<std::uint64_t>(st.bytes.size(), static_cast<std::uint64_t>(std::ceil(size * f1)));
    if (end <= first) continue;
    dma_.split(address(p.weights, s.offsets[i] + first), end - first, out);
    (st.kind == StructureKind::mask ? weights.mask : weights.other) += end - first;
  }
}

Cycles LayerSequencer::decode_cycles(const WeightBytes& w) const {
  const WeightFetchConfig& f = config_.weight_fetch;
  return Cycles(std::max(ceil_div(8 * w.mask, f.mask_bits_per_cycle),
                         ceil_div(w.other, f.value_bytes_per_cycle)));
}

void LayerSequencer::check_weights(const LayerProgram& p) {
  const StoredWeights& s = *p.stored;
  EncodedLayer read = s.layout;
  for (std::size_t i = 0; i < read.structures.size(); ++i) {
    auto& bytes = read.structures[i].bytes;
    std::copy_n(weight_buffer_.begin() + static_cast<std::ptrdiff_t>(s.offsets[i]), bytes.size(),
                bytes.begin());
  }
  const DecodedLayer decoded = decode_layer(*p.layer, std::move(read));
  const WeightErrors e = compare_weights(decoded, *s.golden);
  WeightCheck& c = checks_[p.weights.memory];
  c.weights += e.weights;
  c.corrupted += e.corrupted;
  c.misplaced += e.misplaced;
  c.ecc_words += decoded.ecc_words;
  c.ecc_corrected += decoded.ecc_corrected;
  c.ecc_uncorrectable += decoded.ecc_uncorrectable;
  c.idxsync_realignments += decoded.idxsync_realignments;
}

void LayerSequencer::tile_writes(const LayerProgram& p, const Tile& t,
                                 std::vector<DmaEngine::Request>& out) const {
  const ConvWork& w = p.work;
  // Output rows x kernels of the tile, as one block: a row tile of all kernels is exactly its
  // rows of the HWC map; a kernel-group tile is written as a block of the same size.
  const std::uint64_t bytes = t.out_rows.size() * w.out_w * t.kernels.size() * w.bytes_per_element;
  const std::uint64_t offset = t.out_rows.begin * w.out_row_bytes(w.kernels) +
                               t.kernels.begin * t.out_rows.size() * w.out_w * w.bytes_per_element;
  dma_.split(address(p.output, std::min(offset, p.output.bytes)),
             std::min(bytes, p.output.bytes - std::min(offset, p.output.bytes)), out);
}

LayerRecord LayerSequencer::run(const LayerProgram& p, Time start, std::uint32_t frame,
                                std::size_t index) {
  LayerRecord rec;
  rec.frame = frame;
  rec.layer = index;
  rec.start = clock_.time_of(clock_.cycle_at_or_after(start));
  rec.tiles = p.plan.tiles.size();
  std::vector<std::uint64_t> bytes_before;
  for (const MemoryTarget* m : memories_) bytes_before.push_back(memory_bytes(*m));
  const Energy energy_before = ledger_.total();

  const std::size_t n = p.plan.tiles.size();
  std::vector<Time> compute_end(n, rec.start);
  struct PendingWrite {
    Time ready;
    std::vector<DmaEngine::Request> requests;
    std::size_t next = 0;
  };
  std::deque<PendingWrite> writes;
  std::vector<DmaEngine::Request> reads;
  WeightBytes weight_bytes;
  // Weight bytes are read into the layer's region image, so the decoder sees what the memory
  // returned (faults included).
  const bool check = p.stored && p.stored->golden;
  if (check) weight_buffer_.assign(p.stored->bytes, 0);
  const std::uint64_t weight_base = address(p.weights, 0);
  const auto destination = [&](const DmaEngine::Request& r) -> std::uint8_t* {
    if (!check || r.address < weight_base || r.address + r.length > weight_base + p.stored->bytes) {
      return nullptr;
    }
    return weight_buffer_.data() + (r.address - weight_base);
  };
  std::size_t tile = 0, next_read = 0;
  bool reads_built = false;
  Time data_ready = rec.start;
  Time core_free = rec.start;
  Time end = rec.start;
  Cycles busy(0);

  const auto read_ready = [&](std::size_t t) {
    return t >= 2 ? max(rec.start, compute_end[t - 2]) : rec.start;
  };
  // The tile's data is in: the compute unit starts when it is also done with the previous tile.
  const auto finish_tile = [&](std::size_t t) {
    const TileTiming tt = compute(p, p.plan.tiles[t]);
    Cycles cycles = tt.cycles;
    if (t == 0 && p.unit == LayerProgram::Unit::conv) cycles += config_.mac.pipeline_fill;
    // The weight fetch unit decodes as bytes arrive; its throughput and pipeline latency can
    // hold the tile back (a decode-bound layer).
    Time ready = data_ready;
    if (weight_bytes.mask + weight_bytes.other > 0) {
      const Cycles decode = decode_cycles(weight_bytes) + config_.weight_fetch.pipeline_latency;
      ready = max(ready, clock_.time_of(clock_.cycle_at_or_after(read_ready(t)) + decode));
    }
    const Time begin = max(ready, core_free);
    if (t == 0) rec.compute_start = clock_.time_of(clock_.cycle_at_or_after(begin));
    compute_end[t] = clock_.time_of(clock_.cycle_at_or_after(begin) + cycles);
    rec.compute_end = compute_end[t];
    core_free = compute_end[t];
    end = max(end, compute_end[t]);
    busy += cycles;
    rec.atomic_ops += tt.atomic_ops;
    ledger_.charge(mac_, config_.mac.energy_per_mac, tt.macs);
    ledger_.charge(cbuf_read_, config_.cbuf.read_energy_per_byte, tt.cbuf_read_bytes);
    ledger_.charge(post_, config_.post.energy_per_output, tt.outputs);
    PendingWrite w{compute_end[t], {}, 0};
    if (p.plan.tiles[t].writes) tile_writes(p, p.plan.tiles[t], w.requests);
    if (!w.requests.empty()) writes.push_back(std::move(w));
  };

  while (tile < n || !writes.empty()) {
    if (tile < n && !reads_built) {
      reads.clear();
      weight_bytes = WeightBytes{};
      tile_reads(p, p.plan.tiles[tile], reads, weight_bytes);
      next_read = 0;
      reads_built = true;
      data_ready = read_ready(tile);
      std::uint64_t fetched = 0;
      for (const auto& r : reads) fetched += r.length;
      ledger_.charge(cbuf_write_, config_.cbuf.write_energy_per_byte, fetched);
      if (reads.empty()) {  // everything resident: compute at once
        finish_tile(tile++);
        reads_built = false;
        continue;
      }
    }
    const bool can_read = tile < n;
    const bool can_write = !writes.empty();
    const Time t_read = can_read ? dma_.next_issue(DmaEngine::kRead, read_ready(tile)) : Time(0);
    const Time t_write =
        can_write ? dma_.next_issue(DmaEngine::kWrite, writes.front().ready) : Time(0);
    if (can_read && (!can_write || t_read <= t_write)) {
      const DmaEngine::Request& r = reads[next_read++];
      data_ready =
          max(data_ready, dma_.issue(DmaEngine::kRead, r, read_ready(tile), destination(r)));
      if (next_read == reads.size()) {
        finish_tile(tile++);
        reads_built = false;
      }
    } else {
      PendingWrite& w = writes.front();
      end = max(end, dma_.issue(DmaEngine::kWrite, w.requests[w.next++], w.ready));
      if (w.next == w.requests.size()) writes.pop_front();
    }
  }

  if (check) check_weights(p);
  rec.end = end;
  rec.cycles = clock_.cycle_at_or_after(end) - clock_.cycle_at_or_after(rec.start);
  rec.busy_cycles = busy;
  for (std::size_t m = 0; m < memories_.size(); ++m) {
    rec.bytes_per_memory.push_back(memory_bytes(*memories_[m]) - bytes_before[m]);
  }
  ledger_.close(end);
  rec.energy = ledger_.total() - energy_before;
  return rec;
}

}  // namespace hmasim
