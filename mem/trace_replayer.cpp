#include "mem/trace_replayer.hpp"

#include <vector>

namespace hmasim {

namespace {
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
  try {
    while (reader_.next(req)) {
      advance_to(max(clock_.time_of(Cycles(req.cycle)), accepted_prev));
      buffer.assign(req.length, 0);
      if (req.write && !req.data.empty()) buffer = req.data;
      const Result r = transact(req.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND,
                                req.address, buffer.data(), req.length);
      if (r.status != tlm::TLM_OK_RESPONSE) {
        char addr[32];
        std::snprintf(addr, sizeof addr, "0x%llx", static_cast<unsigned long long>(req.address));
        summary_.error = reader_.name() + ":" + std::to_string(req.line) + ": " +
                         (req.write ? "write" : "read") + " of " + std::to_string(req.length) +
                         " B at " + addr + " failed: " + status_name(r.status);
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
