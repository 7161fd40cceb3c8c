// Drives one memory with a request trace: each request is issued at its trace cycle or as soon as
// the memory has accepted the previous one, whichever is later (requests stay in trace order).
// Stops at the first error response or malformed line and reports it with the line number.
//
// Simulated time is SystemC's: a 64-bit count of picoseconds (about 213 days). A request must
// start by kLatestStart (2^63 - 1 ps, about 106.75 days), which leaves the other half of the range
// for its latency and queueing, so no response time wraps; a trace cycle past it (at the memory's
// clock) stops the replay with the line number, as does a response time that would not fit.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

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
  TraceReplayer(const sc_core::sc_module_name& name, StlTraceReader& reader, Clock memory_clock);
  const Summary& summary() const { return summary_; }

 private:
  void run();
  StlTraceReader& reader_;
  Clock clock_;
  Summary summary_;
};

}  // namespace hmasim
