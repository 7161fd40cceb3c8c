#include "mem/trace_replayer.hpp"

#include <cstdio>
#include <vector>

#include "core/sc_time_conversion.hpp"

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
                             Clock memory_clock, bool nonblocking)
    // A large quantum: nothing else runs beside the replayer, so syncing often only costs time.
    : TlmInitiator(name, Time(1'000'000'000)),
      reader_(reader),
      clock_(memory_clock),
      nonblocking_(nonblocking) {
  if (nonblocking_) {
    // The base's socket: the member function is ours, called on this object only.
    using Bw = tlm::tlm_sync_enum (TlmInitiator::*)(tlm::tlm_generic_payload&, tlm::tlm_phase&,
                                                    sc_core::sc_time&);
    socket.register_nb_transport_bw(this, static_cast<Bw>(&TraceReplayer::nb_transport_bw));
  }
  SC_THREAD(run);
}

TraceReplayer::~TraceReplayer() = default;

TraceReplayer::Slot& TraceReplayer::take_slot() {
  if (free_.empty()) {
    slots_.push_back(std::make_unique<Slot>());
    free_.push_back(slots_.back().get());
  }
  Slot* s = free_.back();
  free_.pop_back();
  return *s;
}

void TraceReplayer::responded(Slot& s, Time at) {
  --in_flight_;
  if (s.get_response_status() != tlm::TLM_OK_RESPONSE && summary_.error.empty()) {
    char addr[32];
    std::snprintf(addr, sizeof addr, "0x%llx", static_cast<unsigned long long>(s.get_address()));
    summary_.error = reader_.name() + ":" + std::to_string(s.line) + ": " +
                     (s.write ? "write" : "read") + " of " + std::to_string(s.get_data_length()) +
                     " B at " + addr + " failed: " + status_name(s.get_response_status());
  } else {
    ++summary_.transactions;
    ++(s.write ? summary_.writes : summary_.reads);
    summary_.bytes += s.get_data_length();
    summary_.end_time = max(summary_.end_time, at);
    summary_.latency_sum_s += static_cast<long double>(to_seconds(at - s.issued));
  }
  free_.push_back(&s);
  response_event_.notify(sc_core::SC_ZERO_TIME);
}

tlm::tlm_sync_enum TraceReplayer::nb_transport_bw(tlm::tlm_generic_payload& trans,
                                                  tlm::tlm_phase& phase, sc_core::sc_time& delay) {
  Slot& s = static_cast<Slot&>(trans);  // every payload we send is a Slot
  const Time at = from_sc_time(sc_core::sc_time_stamp() + delay);
  if (phase == tlm::END_REQ) {
    end_req_at_ = at;
    waiting_end_req_ = nullptr;
    end_req_event_.notify(sc_core::SC_ZERO_TIME);
    return tlm::TLM_ACCEPTED;
  }
  if (phase == tlm::BEGIN_RESP) {
    if (waiting_end_req_ == &s) {  // BEGIN_RESP implies END_REQ
      end_req_at_ = at;
      waiting_end_req_ = nullptr;
      end_req_event_.notify(sc_core::SC_ZERO_TIME);
    }
    responded(s, at);
    phase = tlm::END_RESP;
    return tlm::TLM_COMPLETED;
  }
  return tlm::TLM_ACCEPTED;
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
      if (nonblocking_) {
        Slot& slot = take_slot();
        slot.data.assign(req.length, 0);
        if (req.write && !req.data.empty()) slot.data = req.data;
        slot.set_command(req.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        slot.set_address(req.address);
        slot.set_data_ptr(slot.data.data());
        slot.set_data_length(req.length);
        slot.set_streaming_width(req.length);
        slot.set_byte_enable_ptr(nullptr);
        slot.set_dmi_allowed(false);
        slot.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        slot.issued = local_time();
        slot.write = req.write;
        slot.line = req.line;
        ++in_flight_;
        tlm::tlm_phase phase = tlm::BEGIN_REQ;
        sc_core::sc_time delay = to_sc_time(local_time()) - sc_core::sc_time_stamp();
        waiting_end_req_ = &slot;
        const tlm::tlm_sync_enum r = socket->nb_transport_fw(slot, phase, delay);
        const Time at = from_sc_time(sc_core::sc_time_stamp() + delay);
        if (r == tlm::TLM_COMPLETED) {  // early completion (an error response, or done at once)
          waiting_end_req_ = nullptr;
          responded(slot, at);
          if (!summary_.error.empty()) break;
          accepted_prev = at;
        } else if (r == tlm::TLM_UPDATED && (phase == tlm::END_REQ || phase == tlm::BEGIN_RESP)) {
          waiting_end_req_ = nullptr;
          if (phase == tlm::BEGIN_RESP) responded(slot, at);
          accepted_prev = at;
        } else {
          // END_REQ comes later on the backward path.
          sync();
          while (waiting_end_req_ != nullptr) wait(end_req_event_);
          accepted_prev = end_req_at_;
        }
        continue;
      }
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
  // The responses still in flight arrive as the memory works them off.
  while (in_flight_ > 0) wait(response_event_);
}

}  // namespace hmasim
