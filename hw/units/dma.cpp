#include "hw/units/dma.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/sc_time_conversion.hpp"
#include "hw/interconnect.hpp"

namespace hmasim {

void split_requests(const DmaConfig& config, std::uint64_t address, std::uint64_t length,
                    std::vector<DmaRequest>& out) {
  if (length == 0) return;
  const std::uint64_t unit = config.min_request.value();
  const std::uint64_t max = config.max_request.value();
  std::uint64_t a = address / unit * unit;  // whole units: the rounding is real traffic
  const std::uint64_t end = (address + length + unit - 1) / unit * unit;
  while (a < end) {
    const std::uint64_t boundary = (a / max + 1) * max;
    const std::uint64_t n = std::min(end, boundary) - a;
    out.push_back({a, static_cast<std::uint32_t>(n)});
    a += n;
  }
}

DmaEngine::DmaEngine(const sc_core::sc_module_name& name, const DmaConfig& config, Clock clock)
    // The quantum bounds how far the DMA runs ahead of SystemC time between syncs.
    : TlmInitiator(name, Time(1'000'000)), config_(config), clock_(clock) {
  for (auto& c : channels_) c.completions.assign(config_.max_outstanding, Time(0));
  buffer_.assign(config_.max_request.value(), 0);
}

namespace {
std::uint64_t global(const Region& r, std::uint64_t offset) {
  return Interconnect::address(r.memory, r.offset + offset);
}
}  // namespace

void DmaEngine::feature_reads(const LayerProgram& p, const Tile& t,
                              std::vector<DmaRequest>& out) const {
  if (t.feature_rows.empty()) return;
  const std::uint64_t row = p.work.in_row_bytes();
  const std::uint64_t first = t.feature_rows.begin * row;
  for (const Region& r : p.input_regions) {
    const std::uint64_t bytes =
        std::min(r.bytes, t.feature_rows.end * row) - std::min(r.bytes, first);
    split(global(r, first), bytes, out);
  }
}

void DmaEngine::output_writes(const LayerProgram& p, const Tile& t,
                              std::vector<DmaRequest>& out) const {
  const ConvWork& w = p.work;
  // Output rows x kernels of the tile, as one block: a row tile of all kernels is exactly its
  // rows of the HWC map; a kernel-group tile is written as a block of the same size.
  const std::uint64_t bytes = t.out_rows.size() * w.out_w * t.kernels.size() * w.bytes_per_element;
  const std::uint64_t offset = t.out_rows.begin * w.out_row_bytes(w.kernels) +
                               t.kernels.begin * t.out_rows.size() * w.out_w * w.bytes_per_element;
  const Region& o = p.output;
  split(global(o, std::min(offset, o.bytes)), std::min(bytes, o.bytes - std::min(offset, o.bytes)),
        out);
}

Time DmaEngine::next_issue(Channel channel, Time ready) const {
  const ChannelState& c = channels_[channel];
  Time t = max(ready, c.completions[c.issued % c.completions.size()]);
  if (c.any) t = max(t, c.last_issue + clock_.period());
  // Issue on an accelerator clock edge.
  return clock_.time_of(clock_.cycle_at_or_after(t));
}

Time DmaEngine::issue(Channel channel, const DmaRequest& request, Time ready, std::uint8_t* data) {
  ChannelState& c = channels_[channel];
  const Time at = next_issue(channel, ready);
  advance_to(at);
  const Result r = transact(channel == kRead ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND,
                            request.address, data ? data : buffer_.data(), request.length);
  if (r.status != tlm::TLM_OK_RESPONSE) {
    ++stats_[channel].errors;
    const std::string what =
        r.status == tlm::TLM_ADDRESS_ERROR_RESPONSE ? "an address error" : "an error response";
    throw std::runtime_error(std::string(name()) + ": " + (channel == kRead ? "read" : "write") +
                             " of " + std::to_string(request.length) + " B failed with " + what);
  }
  c.completions[c.issued % c.completions.size()] = r.completed;
  ++c.issued;
  c.last_issue = at;
  c.any = true;
  ++stats_[channel].requests;
  stats_[channel].bytes += request.length;
  if (trace_) trace_issue(channel, request, at, r.completed);
  return r.completed;
}

void DmaEngine::begin_layer() {
  writes_.clear();
  wrote_ = false;
  write_end_ = Time(0);
}

void DmaEngine::post_writes(const std::vector<DmaRequest>& writes, Time ready, std::uint8_t* data) {
  if (!writes.empty()) writes_.push_back({ready, writes, 0, data});
}

namespace {
// A copy's reads land in its batch buffer.
class CopyClient : public DmaClient {
 public:
  CopyClient(std::uint8_t* buffer, std::uint64_t first) : buffer_(buffer), first_(first) {}
  std::uint8_t* destination(const DmaRequest& r) override { return buffer_ + (r.address - first_); }

 private:
  std::uint8_t* buffer_;
  std::uint64_t first_;
};
}  // namespace

Time DmaEngine::copy(std::uint64_t from, std::uint64_t to, std::uint64_t bytes, Time start) {
  // 8 KiB batches: enough requests in flight to keep the source busy, and a short tail of
  // writes after the last read.
  constexpr std::uint64_t kBatch = 8 * 1024;
  begin_layer();
  std::vector<std::vector<std::uint8_t>> buffers;
  std::vector<DmaRequest> requests;
  std::vector<DmaRead> reads;
  for (std::uint64_t off = 0; off < bytes; off += kBatch) {
    const std::uint64_t n = std::min(kBatch, bytes - off);
    buffers.emplace_back(n);
    CopyClient client(buffers.back().data(), from + off);
    requests.clear();
    split(from + off, n, requests);
    reads.clear();
    for (const DmaRequest& r : requests) reads.push_back({r, &client});
    const Time arrived = fetch(reads, start);
    requests.clear();
    split(to + off, n, requests);
    post_writes(requests, arrived, buffers.back().data());
  }
  return drain_writes(start);
}

void DmaEngine::issue_next_write() {
  PendingWrites& w = writes_.front();
  const DmaRequest& r = w.requests[w.next++];
  const Time done = issue(kWrite, r, w.ready,
                          w.data ? w.data + (r.address - w.requests.front().address) : nullptr);
  write_end_ = wrote_ ? max(write_end_, done) : done;
  wrote_ = true;
  if (w.next == w.requests.size()) writes_.pop_front();
}

Time DmaEngine::fetch(const std::vector<DmaRead>& reads, Time ready) {
  Time arrived = ready;
  std::size_t next = 0;
  while (next < reads.size()) {
    const Time read_at = next_issue(kRead, ready);
    // A queued write that can go out strictly earlier goes first (reads win ties).
    if (!writes_.empty() && next_issue(kWrite, writes_.front().ready) < read_at) {
      issue_next_write();
      continue;
    }
    const DmaRead& r = reads[next++];
    std::uint8_t* to = r.client ? r.client->destination(r.request) : nullptr;
    const Time done = issue(kRead, r.request, ready, to);
    if (r.client) r.client->arrived(r.request, read_at, done);
    arrived = max(arrived, done);
  }
  return arrived;
}

Time DmaEngine::drain_writes(Time since) {
  while (!writes_.empty()) issue_next_write();
  return wrote_ ? max(since, write_end_) : since;
}

void DmaEngine::end_layer(Time end) {
  sync();
  const Time now = from_sc_time(sc_core::sc_time_stamp());
  idle_.notify(end > now ? to_sc_time(end - now) : sc_core::SC_ZERO_TIME);
}

// ---------------------------------------------------------------------------------------------
// Tracing

void DmaEngine::set_trace(TraceSink* sink) {
  trace_ = sink;
  if (!trace_) return;
  const std::string scope = "accelerator.dma";
  const char* names[2] = {"read_in_flight", "write_in_flight"};
  unsigned bits = 1;
  while ((std::uint64_t{1} << bits) <= config_.max_outstanding) ++bits;
  for (int c = 0; c < 2; ++c) {
    in_flight_signal_[c] = trace_->integer_signal(scope, names[c], bits);
    if (trace_->shows(TraceDetail::burst)) {
      lanes_[c] = SliceLanes(trace_, "accelerator", c == kRead ? "dma read" : "dma write");
    }
  }
}

void DmaEngine::trace_issue(Channel c, const DmaRequest& r, Time at, Time completed) {
  // Issues come in time order per channel: completions up to `at` are reported first, so the
  // count is right at every time it changes.
  auto& pending = pending_[c];
  while (!pending.empty() && pending.top() <= at) {
    trace_->set(in_flight_signal_[c], pending.top(), --in_flight_[c]);
    pending.pop();
  }
  trace_->set(in_flight_signal_[c], at, ++in_flight_[c]);
  pending.push(completed);
  if (trace_->shows(TraceDetail::burst)) {
    lanes_[c].slice(at, completed, std::to_string(r.length) + " B",
                    c == kRead ? "dma read" : "dma write");
  }
}

void DmaEngine::flush_trace() {
  if (!trace_) return;
  for (int c = 0; c < 2; ++c) {
    auto& pending = pending_[c];
    while (!pending.empty()) {
      trace_->set(in_flight_signal_[c], pending.top(), --in_flight_[c]);
      pending.pop();
    }
  }
}

}  // namespace hmasim
