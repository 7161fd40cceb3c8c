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
  const ConvWork& w = p.work;
  const std::uint64_t row = w.in_row_bytes();
  const RowRange cols = t.out_cols.empty() ? RowRange{0, w.in_w} : input_columns(w, t.out_cols);
  if (cols.size() == w.in_w) {
    // Whole rows: one contiguous run of each input.
    const std::uint64_t first = t.feature_rows.begin * row;
    for (const Region& r : p.input_regions) {
      const std::uint64_t bytes =
          std::min(r.bytes, t.feature_rows.end * row) - std::min(r.bytes, first);
      split(global(r, first), bytes, out);
    }
    return;
  }
  // A W split's block: its input columns of each input row are not contiguous with the next
  // row's, so one run per row segment (NVDLA's DMA has no strided request).
  const std::uint64_t column = w.in_c * w.bytes_per_element;
  for (const Region& r : p.input_regions) {
    for (std::uint64_t y = t.feature_rows.begin; y < t.feature_rows.end; ++y) {
      const std::uint64_t from = std::min(r.bytes, y * row + cols.begin * column);
      const std::uint64_t to = std::min(r.bytes, y * row + cols.end * column);
      split(global(r, from), to - from, out);
    }
  }
}

void DmaEngine::output_writes(const LayerProgram& p, const Tile& t,
                              std::vector<DmaRequest>& out) const {
  const ConvWork& w = p.work;
  // Output rows x kernels of the tile, as one block: a row tile of all kernels is exactly its
  // rows of the HWC map; a kernel-group tile is written as a block of the same size.
  const std::uint64_t e = w.bytes_per_element;
  const std::uint64_t offset = t.out_rows.begin * w.out_row_bytes(w.kernels) +
                               t.kernels.begin * t.out_rows.size() * w.out_w * e;
  const Region& o = p.output;
  const auto write = [&](std::uint64_t at, std::uint64_t bytes) {
    split(global(o, std::min(at, o.bytes)), std::min(bytes, o.bytes - std::min(at, o.bytes)), out);
  };
  const RowRange cols = tile_columns(t, w);
  if (cols.size() == w.out_w) {
    write(offset, t.out_rows.size() * w.out_w * t.kernels.size() * e);
    return;
  }
  // A W split's tile writes its columns of each row of that block: one run per output row.
  const std::uint64_t line = w.out_w * t.kernels.size() * e;
  const std::uint64_t position = t.kernels.size() * e;
  for (std::uint64_t y = 0; y < t.out_rows.size(); ++y) {
    write(offset + y * line + cols.begin * position, cols.size() * position);
  }
}

void DmaEngine::residual_reads(const LayerProgram& p, const Tile& t,
                               std::vector<DmaRequest>& out) const {
  if (!p.fused_eltwise || !t.writes) return;
  std::vector<DmaRequest> block;
  output_writes(p, t, block);
  // Each contiguous run of the output block, moved to the operand's region and split anew (the
  // regions' offsets differ, and so do the request boundaries).
  const std::uint64_t base = global(p.output, 0);
  const Region& r = p.residual;
  std::size_t k = 0;
  while (k < block.size()) {
    const std::uint64_t begin = block[k].address - base;
    std::uint64_t end = begin + block[k].length;
    for (++k; k < block.size() && block[k].address - base == end; ++k) end += block[k].length;
    const std::uint64_t from = std::min(begin, r.bytes);
    split(global(r, from), std::min(end, r.bytes) - from, out);
  }
}

Time DmaEngine::next_issue(Channel channel, Time ready) const {
  const ChannelState& c = channels_[channel];
  Time t = max(ready, c.completions[c.issued % c.completions.size()]);
  if (c.any) t = max(t, c.last_issue + clock_.period());
  // Issue on an accelerator clock edge.
  return clock_.time_of(clock_.cycle_at_or_after(t));
}

Time DmaEngine::issue(Channel channel, const DmaRequest& request, Time ready, std::uint8_t* data) {
  if (nonblocking_) {
    InFlight& f = issue_nb(channel, request, ready, data);
    await(f);
    const Time completed = f.completed;
    retire(channel);
    return completed;
  }
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
  max_in_flight_[channel] = 1;
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
  std::uint8_t* data = w.data ? w.data + (r.address - w.requests.front().address) : nullptr;
  if (nonblocking_) {
    // The completion counts when the write retires (drain_writes waits for it).
    issue_nb(kWrite, r, w.ready, data);
    wrote_ = true;
  } else {
    const Time done = issue(kWrite, r, w.ready, data);
    write_end_ = wrote_ ? max(write_end_, done) : done;
    wrote_ = true;
  }
  if (w.next == w.requests.size()) writes_.pop_front();
}

Time DmaEngine::fetch(const std::vector<DmaRead>& reads, Time ready) {
  if (nonblocking_) return fetch_nb(reads, ready);
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
  while (!writes_.empty()) {
    if (nonblocking_) await_ring(kWrite);
    issue_next_write();
  }
  if (nonblocking_) {
    for (InFlight* f : in_flight_requests_[kWrite]) await(*f);
    retire(kWrite);
  }
  return wrote_ ? max(since, write_end_) : since;
}

void DmaEngine::end_layer(Time end) {
  sync();
  const Time now = from_sc_time(sc_core::sc_time_stamp());
  idle_.notify(end > now ? to_sc_time(end - now) : sc_core::SC_ZERO_TIME);
}

// ---------------------------------------------------------------------------------------------
// AT path

void DmaEngine::set_nonblocking(bool on) {
  if (on && !bw_registered_) {
    bw_registered_ = true;
    // The base's socket: the member function is ours, called on this object only.
    using Bw = tlm::tlm_sync_enum (TlmInitiator::*)(tlm::tlm_generic_payload&, tlm::tlm_phase&,
                                                    sc_core::sc_time&);
    socket.register_nb_transport_bw(this, static_cast<Bw>(&DmaEngine::nb_transport_bw));
    for (auto& r : ring_) r.assign(config_.max_outstanding, nullptr);
  }
  nonblocking_ = on;
}

void DmaEngine::await(const InFlight& f) {
  if (f.done) return;
  sync();  // SystemC time catches up: the memory works its requests off as time passes
  while (!f.done) sc_core::wait(response_event_);
}

void DmaEngine::await_ring(Channel channel) {
  const ChannelState& c = channels_[channel];
  if (InFlight* f = ring_[channel][c.issued % c.completions.size()]) await(*f);
}

DmaEngine::InFlight& DmaEngine::issue_nb(Channel channel, const DmaRequest& request, Time ready,
                                         std::uint8_t* data) {
  ChannelState& c = channels_[channel];
  await_ring(channel);
  if (awaiting_end_req_ != nullptr) {  // the target said TLM_ACCEPTED: END_REQ comes later
    sync();
    while (awaiting_end_req_ != nullptr) sc_core::wait(response_event_);
  }
  // As next_issue, and no BEGIN_REQ before the previous request's END_REQ (base protocol).
  Time at = next_issue(channel, ready);
  // Not in the past either: a wait for a response may have taken SystemC time past `at`.
  const Time earliest = max(request_free_, local_time());
  if (earliest > at) at = clock_.time_of(clock_.cycle_at_or_after(earliest));
  advance_to(at);
  if (free_payloads_.empty()) {
    payloads_.push_back(std::make_unique<InFlight>());
    free_payloads_.push_back(payloads_.back().get());
  }
  InFlight& f = *free_payloads_.back();
  free_payloads_.pop_back();
  f.set_command(channel == kRead ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND);
  f.set_address(request.address);
  f.set_data_ptr(data ? data : buffer_.data());
  f.set_data_length(request.length);
  f.set_streaming_width(request.length);
  f.set_byte_enable_ptr(nullptr);
  f.set_dmi_allowed(false);
  f.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  f.channel = channel;
  f.request = request;
  f.issued = at;
  f.completed = at;
  f.ring_index = c.issued % c.completions.size();
  f.done = false;
  ring_[channel][f.ring_index] = &f;
  in_flight_requests_[channel].push_back(&f);
  max_in_flight_[channel] = std::max(max_in_flight_[channel], ++outstanding_[channel]);
  ++c.issued;
  c.last_issue = at;
  c.any = true;
  ++stats_[channel].requests;
  stats_[channel].bytes += request.length;

  tlm::tlm_phase phase = tlm::BEGIN_REQ;
  sc_core::sc_time delay = to_sc_time(at) - sc_core::sc_time_stamp();
  request_free_ = at;
  const tlm::tlm_sync_enum r = socket->nb_transport_fw(f, phase, delay);
  const Time when = from_sc_time(sc_core::sc_time_stamp() + delay);
  if (r == tlm::TLM_COMPLETED || (r == tlm::TLM_UPDATED && phase == tlm::BEGIN_RESP)) {
    // Early completion (an error response) or done at once: the response is here.
    f.completed = max(at, when);
    f.done = true;
    --outstanding_[channel];
    c.completions[f.ring_index] = f.completed;
  } else if (r == tlm::TLM_UPDATED && phase == tlm::END_REQ) {
    request_free_ = max(at, when);
  } else {
    awaiting_end_req_ = &f;  // END_REQ (or BEGIN_RESP) comes on the backward path
  }
  return f;
}

tlm::tlm_sync_enum DmaEngine::nb_transport_bw(tlm::tlm_generic_payload& trans,
                                              tlm::tlm_phase& phase, sc_core::sc_time& delay) {
  InFlight& f = static_cast<InFlight&>(trans);  // every payload this path sends is an InFlight
  const Time at = from_sc_time(sc_core::sc_time_stamp() + delay);
  if (phase == tlm::END_REQ) {
    request_free_ = max(request_free_, at);
    if (awaiting_end_req_ == &f) awaiting_end_req_ = nullptr;
    response_event_.notify(sc_core::SC_ZERO_TIME);
    return tlm::TLM_ACCEPTED;
  }
  if (phase == tlm::BEGIN_RESP) {
    if (awaiting_end_req_ == &f) {  // BEGIN_RESP implies END_REQ
      request_free_ = max(request_free_, at);
      awaiting_end_req_ = nullptr;
    }
    f.completed = at;
    f.done = true;
    --outstanding_[f.channel];
    channels_[f.channel].completions[f.ring_index] = at;
    response_event_.notify(sc_core::SC_ZERO_TIME);
    phase = tlm::END_RESP;
    return tlm::TLM_COMPLETED;
  }
  return tlm::TLM_ACCEPTED;
}

void DmaEngine::retire(Channel channel) {
  auto& q = in_flight_requests_[channel];
  while (!q.empty() && q.front()->done) {
    InFlight& f = *q.front();
    q.pop_front();
    if (ring_[channel][f.ring_index] == &f) ring_[channel][f.ring_index] = nullptr;
    free_payloads_.push_back(&f);
    if (f.get_response_status() != tlm::TLM_OK_RESPONSE) {
      ++stats_[channel].errors;
      const std::string what = f.get_response_status() == tlm::TLM_ADDRESS_ERROR_RESPONSE
                                   ? "an address error"
                                   : "an error response";
      throw std::runtime_error(std::string(name()) + ": " + (channel == kRead ? "read" : "write") +
                               " of " + std::to_string(f.request.length) + " B failed with " +
                               what);
    }
    if (channel == kWrite) write_end_ = max(write_end_, f.completed);
    if (trace_) trace_issue(channel, f.request, f.issued, f.completed);
  }
}

Time DmaEngine::fetch_nb(const std::vector<DmaRead>& reads, Time ready) {
  // As fetch(), with the reads in flight together: each read's completion is known only when its
  // response comes, so the clients hear of them once the last one is in (in issue order, with the
  // same times the blocking path reports).
  Time arrived = ready;
  std::size_t next = 0;
  std::size_t first = in_flight_requests_[kRead].size();
  while (next < reads.size()) {
    await_ring(kRead);
    const Time read_at = next_issue(kRead, ready);
    if (!writes_.empty()) {
      await_ring(kWrite);
      // A queued write that can go out strictly earlier goes first (reads win ties).
      if (next_issue(kWrite, writes_.front().ready) < read_at) {
        issue_next_write();
        continue;
      }
    }
    const DmaRead& r = reads[next++];
    std::uint8_t* to = r.client ? r.client->destination(r.request) : nullptr;
    issue_nb(kRead, r.request, ready, to);
  }
  auto& q = in_flight_requests_[kRead];
  for (std::size_t k = first; k < q.size(); ++k) await(*q[k]);
  // Every read of this fetch is done; earlier ones (none: fetches retire whole) too.
  std::size_t k = 0;
  for (const InFlight* f : q) {
    if (k++ < first) continue;
    const DmaRead& r = reads[k - 1 - first];
    if (r.client) r.client->arrived(r.request, f->issued, f->completed);
    arrived = max(arrived, f->completed);
  }
  retire(kRead);
  retire(kWrite);
  return arrived;
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
