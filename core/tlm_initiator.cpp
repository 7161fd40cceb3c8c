#include "core/tlm_initiator.hpp"

#include "core/sc_time_conversion.hpp"

namespace hmasim {

TlmInitiator::TlmInitiator(const sc_core::sc_module_name& name, Time quantum)
    : sc_core::sc_module(name), socket("socket") {
  require_picosecond_resolution();
  tlm_utils::tlm_quantumkeeper::set_global_quantum(to_sc_time(quantum));
  keeper_.reset();
  // The extension lives as long as the payload; it is detached before destruction.
  payload_.set_extension(&timing_);
}

TlmInitiator::Result TlmInitiator::transact(tlm::tlm_command command, std::uint64_t address,
                                            std::uint8_t* data, std::uint32_t length) {
  payload_.set_command(command);
  payload_.set_address(address);
  payload_.set_data_ptr(data);
  payload_.set_data_length(length);
  payload_.set_streaming_width(length);
  payload_.set_byte_enable_ptr(nullptr);
  payload_.set_dmi_allowed(false);
  payload_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  Result r;
  r.issued = local_time();
  timing_.accepted = r.issued;
  timing_.completed = r.issued;
  sc_core::sc_time delay = keeper_.get_local_time();
  socket->b_transport(payload_, delay);
  r.status = payload_.get_response_status();
  r.completed = from_sc_time(sc_core::sc_time_stamp() + delay);
  r.accepted = timing_.accepted < r.issued ? r.issued : timing_.accepted;
  return r;
}

Time TlmInitiator::local_time() const {
  return from_sc_time(sc_core::sc_time_stamp() + keeper_.get_local_time());
}

void TlmInitiator::advance_to(Time t) {
  const Time now = local_time();
  if (t <= now) return;
  keeper_.inc(to_sc_time(t - now));
  if (keeper_.need_sync()) keeper_.sync();
}

}  // namespace hmasim
