// The DMA (NVDLA CDMA + MCIF): the accelerator's one TLM initiator into the interconnect. It
// moves byte ranges between the memories and the convolution buffer as NVDLA does, in requests
// of whole min_request units (32 B), at most max_request (256 B) long and never crossing a
// max_request boundary. Each channel (read, write) keeps up to max_outstanding requests in
// flight, tracked by their completion times (no thread per request), and issues at most one
// request per accelerator cycle.
//
// Memories must see their requests in time order, so the DMA arbitrates its two channels itself:
// writes are queued (post_writes) and issued interleaved with a tile's reads (fetch) in order of
// their issue times, the rest when the layer drains (drain_writes). The DMA never knows a
// layer's duration: a fetch returns when its data has arrived, a drain when its writes are done.
// Each read has a client (the feature fetch or the weight fetch unit) that may give the bytes a
// destination and sees every request's completion.
//
// Two ways to the memories (set_nonblocking): b_transport (the default; each request's completion
// comes back with the call, so a memory serves it before the DMA sends the next one), or TLM-2.0
// AT nb_transport in four phases, where the requests of a channel are really in flight together
// and a reordering memory controller (LPDDR4 FR-FCFS) may serve them in another order. The AT path
// issues by the same rules; where the blocking path read a completion from the call, it waits in
// SystemC time for the response (only when the next issue needs it: a full ring, the end of a
// fetch or a drain), and it sends no BEGIN_REQ before the previous request's END_REQ.
#pragma once

#include <array>
#include <deque>
#include <functional>
#include <memory>
#include <queue>
#include <vector>

#include "core/clock.hpp"
#include "core/slice_lanes.hpp"
#include "core/tlm_initiator.hpp"
#include "core/trace_sink.hpp"
#include "hw/accelerator_config.hpp"
#include "hw/layer_program.hpp"

namespace hmasim {

// One request of a transfer: global address (interconnect window) and length.
struct DmaRequest {
  std::uint64_t address;
  std::uint32_t length;
};

// Splits [address, address + length) into NVDLA requests (appended to `out`).
void split_requests(const DmaConfig& config, std::uint64_t address, std::uint64_t length,
                    std::vector<DmaRequest>& out);

// Who asked for a read: where its bytes go, and what it learns when they arrive.
class DmaClient {
 public:
  virtual ~DmaClient() = default;
  // Where the read's bytes go; nullptr: a scratch buffer (timing only).
  virtual std::uint8_t* destination(const DmaRequest&) { return nullptr; }
  // The read issued at `issued` completed at `completed`.
  virtual void arrived(const DmaRequest&, Time /*issued*/, Time /*completed*/) {}
};

struct DmaRead {
  DmaRequest request;
  DmaClient* client = nullptr;
};

class DmaEngine : public TlmInitiator {
 public:
  enum Channel { kRead = 0, kWrite = 1 };
  struct Stats {
    std::uint64_t requests = 0;
    std::uint64_t bytes = 0;  // bytes moved, including the rounding to whole min_request units
    std::uint64_t errors = 0;
  };

  DmaEngine(const sc_core::sc_module_name& name, const DmaConfig& config, Clock clock);

  const DmaConfig& config() const { return config_; }
  // Splits [address, address + length) into requests (appended to `out`).
  void split(std::uint64_t address, std::uint64_t length, std::vector<DmaRequest>& out) const {
    split_requests(config_, address, length, out);
  }
  // CDMA: the tile's feature rows of every input of the layer, and its output block.
  void feature_reads(const LayerProgram& p, const Tile& t, std::vector<DmaRequest>& out) const;
  void output_writes(const LayerProgram& p, const Tile& t, std::vector<DmaRequest>& out) const;
  // SDP (fused element-wise operation, hw/sdp_fusion.hpp): the other operand's block of a tile
  // that writes, at the output block's offsets in the operand's region (same shape and layout).
  void residual_reads(const LayerProgram& p, const Tile& t, std::vector<DmaRequest>& out) const;

  // Issues `reads` in order on the read channel, none before `ready`, interleaving the queued
  // writes that can issue earlier. Returns when the last read's data has arrived (`ready` if
  // there is none).
  Time fetch(const std::vector<DmaRead>& reads, Time ready);
  // Queues writes that may issue from `ready` on (first in, first out). With `data`, the bytes
  // of request k are at data + (writes[k].address - writes[0].address) and must stay valid until
  // the writes are drained; without it they carry no data of interest (a scratch buffer).
  void post_writes(const std::vector<DmaRequest>& writes, Time ready, std::uint8_t* data = nullptr);
  // Copies `bytes` of real data from global address `from` to `to`, reads no earlier than
  // `start`, in batches whose writes overlap the next batch's reads. Returns when the last
  // write is done. Outside layers only (between frames: reloads and task switches).
  Time copy(std::uint64_t from, std::uint64_t to, std::uint64_t bytes, Time start);
  // Issues every queued write; returns the latest completion of any write issued since
  // begin_layer (`since` if none).
  Time drain_writes(Time since);
  // The layer's transfers are over at `end`: syncs the decoupled time, then the idle event fires
  // at `end` (from an SC_THREAD).
  void end_layer(Time end);
  const sc_core::sc_event& idle_event() const { return idle_; }
  // A new layer: nothing of the previous one is still queued (drained).
  void begin_layer();

  // When `channel` could issue its next request if it was ready at `ready`.
  Time next_issue(Channel channel, Time ready) const;
  // Issues one request at next_issue(channel, ready) and returns its completion time. `data`
  // receives (read) or supplies (write) request.length bytes; without it a scratch buffer is
  // used. Throws on an error response (a platform bug: only in-range requests are issued).
  Time issue(Channel channel, const DmaRequest& request, Time ready, std::uint8_t* data = nullptr);

  // AT nb_transport instead of b_transport from now on (before the simulation starts; the path
  // to the memories must speak nb_transport, e.g. straight to a buffered LPDDR4 controller).
  void set_nonblocking(bool on = true);
  bool nonblocking() const { return nonblocking_; }
  // The most requests of one channel in flight at once so far (AT path; 1 on the blocking one).
  std::uint64_t max_in_flight(Channel c) const { return max_in_flight_[c]; }

  const Stats& stats(Channel c) const { return stats_[c]; }
  // Reports requests in flight per channel (VCD) and, at burst detail, each request (timeline).
  void set_trace(TraceSink* sink);
  // Reports what remains of the in-flight counts (their completions) up to the end of the run.
  void flush_trace();

 private:
  struct PendingWrites {
    Time ready;
    std::vector<DmaRequest> requests;
    std::size_t next = 0;
    std::uint8_t* data = nullptr;
  };
  void issue_next_write();
  void trace_issue(Channel c, const DmaRequest& r, Time at, Time completed);

  // ---- AT path ----
  // One request in flight, with its own payload.
  struct InFlight : tlm::tlm_generic_payload {
    Channel channel = kRead;
    DmaRequest request{0, 0};
    Time issued{0};
    Time completed{0};
    std::size_t ring_index = 0;
    bool done = false;
  };
  Time fetch_nb(const std::vector<DmaRead>& reads, Time ready);
  // Sends a request at next_issue(channel, ready) (and not before the previous END_REQ); the
  // completion arrives later. Returns its record, valid until retired.
  InFlight& issue_nb(Channel channel, const DmaRequest& request, Time ready, std::uint8_t* data);
  // The completion the next issue of `channel` needs (its ring slot's) is known afterwards.
  void await_ring(Channel channel);
  // Waits in SystemC time until `f` has its response.
  void await(const InFlight& f);
  // Statistics, trace and error check of the channel's finished requests, in issue order.
  void retire(Channel channel);
  tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);
  bool nonblocking_ = false;
  bool bw_registered_ = false;
  std::vector<std::unique_ptr<InFlight>> payloads_;
  std::vector<InFlight*> free_payloads_;
  std::array<std::deque<InFlight*>, 2> in_flight_requests_{};  // per channel, in issue order
  std::array<std::vector<InFlight*>, 2> ring_{};  // per ring slot: the request that fills it
  std::array<std::uint64_t, 2> max_in_flight_{};
  std::array<std::uint64_t, 2> outstanding_{};  // sent, no response yet
  Time request_free_{0};                  // END_REQ of the latest request: no BEGIN_REQ before it
  InFlight* awaiting_end_req_ = nullptr;  // sent, END_REQ not yet received
  sc_core::sc_event response_event_;

  DmaConfig config_;
  Clock clock_;
  struct ChannelState {
    std::vector<Time> completions;  // ring of the last max_outstanding completions
    std::uint64_t issued = 0;
    Time last_issue{0};
    bool any = false;
  };
  std::array<ChannelState, 2> channels_;
  std::array<Stats, 2> stats_{};
  std::vector<std::uint8_t> buffer_;
  std::deque<PendingWrites> writes_;
  Time write_end_{0};
  bool wrote_ = false;
  sc_core::sc_event idle_;

  // Tracing (null sink: off).
  TraceSink* trace_ = nullptr;
  std::array<TraceSink::Id, 2> in_flight_signal_{};
  std::array<SliceLanes, 2> lanes_{};  // burst detail: one slice per request
  std::array<std::uint64_t, 2> in_flight_{};
  std::array<std::priority_queue<Time, std::vector<Time>, std::greater<Time>>, 2> pending_{};
};

}  // namespace hmasim
