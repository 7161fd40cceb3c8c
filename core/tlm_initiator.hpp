// The base of every TLM initiator (trace replayer, DMA): one socket, loosely-timed b_transport
// with temporal decoupling through tlm_quantumkeeper, kept in one place. Subclasses run an
// SC_THREAD and call transact(); local time only moves forward.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include <cstdint>
#include <systemc>
#include <tlm>

#include "core/timing_extension.hpp"
#include "core/units.hpp"

namespace hmasim {

class TlmInitiator : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<TlmInitiator> socket;

  struct Result {
    tlm::tlm_response_status status = tlm::TLM_INCOMPLETE_RESPONSE;
    Time issued{0};     // local time the request was sent
    Time accepted{0};   // when the target took it (= issued if the target does not say)
    Time completed{0};  // when the response arrived
  };

  // `quantum`: how far local time may run ahead of SystemC time before a sync.
  TlmInitiator(const sc_core::sc_module_name& name, Time quantum);
  // The payload would free its extensions on destruction; ours is a member, so detach it first.
  ~TlmInitiator() override { payload_.clear_extension(&timing_); }

  // Sends one request at the current local time and returns its timing. Does not advance local
  // time: the caller decides whether to wait for acceptance, completion, or nothing.
  Result transact(tlm::tlm_command command, std::uint64_t address, std::uint8_t* data,
                  std::uint32_t length);
  // Absolute local time (SystemC time + decoupled offset).
  Time local_time() const;
  // Moves local time forward to `t` (no effect if already later); syncs when the quantum is used.
  void advance_to(Time t);
  // Waits until SystemC time catches up with local time.
  void sync() { keeper_.sync(); }

 private:
  tlm_utils::tlm_quantumkeeper keeper_;
  tlm::tlm_generic_payload payload_;
  TimingExtension timing_;
};

}  // namespace hmasim
