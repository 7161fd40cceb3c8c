#include "mem/trace_replayer.hpp"

#include <cstdio>
#include <vector>

namespace hmasim {

namespace {
// The last cycle of `clock` that starts by `limit`: floor(limit * f / 1 THz), so that
// clock.time_of (round to nearest) of it is at most `limit` too.
std::uint64_t last_cycle_by(const Clock& clock, Time limit) {
  const unsigned __int128 c = static_cast<unsigned __int128>(limit.value()) *
                              clock.frequency().value() / 1'000'000'000'000ULL;
  return c > std::numeric_limits<std::uint64_t>::max() ? std::numeric_limits<std::uint64_t>::max()
                                                       : static_cast<std::uint64_t>(c);
}

std::string seconds(long double s) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.6Lg s", s);
  return buf;
}

const char* status_name(tlm::tlm_response_status s) {
  switch (s) {
    case tlm::TLM_ADDRESS_ERROR_RESPONSE:
      return "TLM_ADDRESS_ERROR_RESPONSE (address out of range or unaligned)";
    case tlm::TLM_BURST_ERROR_RESPONSE:
      return "TLM_BURST_ERROR_RESPONSE";
    case tlm::TLM_COMMAND_ERROR_RESPONSE:
      return "TLM_COMMAND_ERROR_RESPONSE";
    case tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE:
      return "TLM_BYTE_ENABLE_ERROR_RESPONSE";
    case tlm::TLM_GENERIC_ERROR_RESPONSE:
      return "TLM_GENERIC_ERROR_RESPONSE (memory powered off?)";
    case tlm::TLM_INCOMPLETE_RESPONSE:
      return "TLM_INCOMPLETE_RESPONSE (target did not answer)";
    default:
      return "TLM_OK_RESPONSE";
  }
}
}  // namespace

TraceReplayer::TraceReplayer(const sc_core::sc_module_name& name, StlTraceReader& reader,
                             Clock memory_clock)
    // A large quantum: nothing else runs beside the replayer, so syncing often only costs time.
    : TlmInitiator(name, Time(1'000'000'000)), reader_(reader), clock_(memory_clock) {
  SC_THREAD(run);
}

void TraceReplayer::run() {
  TraceRequest req;
  std::vector<std::uint8_t> buffer;
  Time accepted_prev{0};
  const std::uint64_t last_cycle = last_cycle_by(clock_, kLatestStart);
  const std::string limit = "the latest a request may start is 2^63 - 1 ps (" +
                            seconds(to_seconds(kLatestStart)) +
                            "): simulated time is a 64-bit count of picoseconds";
  try {
    while (reader_.next(req)) {
      // Built only for an error: the happy path stays allocation-free.
      auto where = [&] { return reader_.name() + ":" + std::to_string(req.line) + ": "; };
      if (req.cycle > last_cycle) {
        summary_.error = where() + "cycle " + std::to_string(req.cycle) + " starts at " +
                         seconds(static_cast<long double>(req.cycle) /
                                 static_cast<long double>(clock_.frequency().value())) +
                         " at the memory's clock of " + to_string(clock_.frequency()) + "; " +
                         limit;
        break;
      }
      const Time issue = max(clock_.time_of(Cycles(req.cycle)), accepted_prev);
      if (issue > kLatestStart) {
        summary_.error = where() + "the memory accepts this request only at " +
                         seconds(to_seconds(issue)) + "; " + limit;
        break;
      }
      advance_to(issue);
      buffer.assign(req.length, 0);
      if (req.write && !req.data.empty()) buffer = req.data;
      const Result r = transact(req.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND,
                                req.address, buffer.data(), req.length);
      if (r.status != tlm::TLM_OK_RESPONSE) {
        char addr[32];
        std::snprintf(addr, sizeof addr, "0x%llx", static_cast<unsigned long long>(req.address));
        summary_.error = where() + (req.write ? "write" : "read") + " of " +
                         std::to_string(req.length) + " B at " + addr +
                         " failed: " + status_name(r.status);
        break;
      }
      // Issue times are bounded, so only a latency beyond 2^63 ps could wrap the response time.
      if (r.completed < r.issued) {
        summary_.error = where() + "the response time does not fit simulated time (" + limit + ")";
        break;
      }
      accepted_prev = r.accepted;
      ++summary_.transactions;
      ++(req.write ? summary_.writes : summary_.reads);
      summary_.bytes += req.length;
      summary_.end_time = max(summary_.end_time, r.completed);
      summary_.latency_sum_s += static_cast<long double>(to_seconds(r.completed - r.issued));
    }
  } catch (const TraceError& e) {
    summary_.error = e.what();
  }
  sync();
}

}  // namespace hmasim
