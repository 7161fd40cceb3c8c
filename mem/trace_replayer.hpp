// Drives one memory with a request trace: each request is issued at its trace cycle or as soon as
// the memory has accepted the previous one, whichever is later (requests stay in trace order).
// Stops at the first error response or malformed line and reports it with the line number.
//
// Two ways to talk to the memory: b_transport (loosely timed; the memory answers each request
// with its acceptance and completion times), or, with `nonblocking`, TLM-2.0 AT nb_transport in
// four phases: BEGIN_REQ at the issue time, END_REQ when the memory's buffers admit it (the next
// request waits for that), BEGIN_RESP when its data is delivered. The replayer reads ahead: it
// keeps sending while the memory accepts, so a reordering controller's buffers fill as behind a
// real master, and every transaction in flight has its own payload.
//
// Simulated time is SystemC's: a 64-bit count of picoseconds (about 213 days). A request must
// start by kLatestStart (2^63 - 1 ps, about 106.75 days), which leaves the other half of the range
// for its latency and queueing, so no response time wraps; a trace cycle past it (at the memory's
// clock) stops the replay with the line number, as does a response time that would not fit.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/tlm_initiator.hpp"
#include "mem/stl_trace.hpp"

namespace hmasim {

class TraceReplayer : public TlmInitiator {
 public:
  struct Summary {
    std::uint64_t transactions = 0;
    std::uint64_t reads = 0;
    std::uint64_t writes = 0;
    std::uint64_t bytes = 0;
    Time end_time{0};               // last response
    long double latency_sum_s = 0;  // sum of (response - issue)
    std::string error;              // empty on success
  };

  static constexpr Time kLatestStart{std::numeric_limits<std::uint64_t>::max() / 2};

  SC_HAS_PROCESS(TraceReplayer);
  TraceReplayer(const sc_core::sc_module_name& name, StlTraceReader& reader, Clock memory_clock,
                bool nonblocking = false);
  ~TraceReplayer() override;
  const Summary& summary() const { return summary_; }

 private:
  // A transaction in flight (nb_transport), with its own data.
  struct Slot : tlm::tlm_generic_payload {
    std::vector<std::uint8_t> data;
    Time issued{0};
    bool write = false;
    std::uint64_t line = 0;
  };
  void run();
  tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);
  void responded(Slot& s, Time at);
  Slot& take_slot();

  StlTraceReader& reader_;
  Clock clock_;
  bool nonblocking_;
  Summary summary_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<Slot*> free_;
  std::uint64_t in_flight_ = 0;
  sc_core::sc_event response_event_;
  sc_core::sc_event end_req_event_;
  Slot* waiting_end_req_ = nullptr;
  Time end_req_at_{0};
};

}  // namespace hmasim
