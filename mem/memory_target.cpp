#include "mem/memory_target.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "core/sc_time_conversion.hpp"
#include "core/timing_extension.hpp"

namespace hmasim {

MemoryTarget::MemoryTarget(const sc_core::sc_module_name& name, const MemoryCommonConfig& common,
                           EnergyLedger& ledger, const std::string& static_label)
    : sc_core::sc_module(name),
      socket("socket"),
      common_(common),
      clock_(common.clock),
      ledger_(ledger),
      instance_(common.instance.empty() ? std::string(basename()) : common.instance),
      component_(ledger.add_component(instance_, static_label)) {
  require_picosecond_resolution();
  if (common_.store_data) {
    storage_ = std::make_unique<SparseStorage>();
  } else {
    storage_ = std::make_unique<NoStorage>();
  }
  socket.register_b_transport(this, &MemoryTarget::b_transport);
  socket.register_transport_dbg(this, &MemoryTarget::transport_dbg);
}

MemoryTarget::~MemoryTarget() = default;

tlm::tlm_response_status MemoryTarget::check(const tlm::tlm_generic_payload& trans) const {
  const tlm::tlm_command cmd = trans.get_command();
  if (cmd != tlm::TLM_READ_COMMAND && cmd != tlm::TLM_WRITE_COMMAND) {
    return tlm::TLM_COMMAND_ERROR_RESPONSE;
  }
  if (trans.get_byte_enable_ptr() != nullptr) return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
  const std::uint64_t addr = trans.get_address();
  const std::uint64_t len = trans.get_data_length();
  if (len == 0 || trans.get_streaming_width() < len || trans.get_data_ptr() == nullptr) {
    return tlm::TLM_BURST_ERROR_RESPONSE;
  }
  if (addr >= common_.capacity.value() || len > common_.capacity.value() - addr) {
    return tlm::TLM_ADDRESS_ERROR_RESPONSE;
  }
  if (addr % common_.alignment.value() != 0) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
  if (state_ != PowerState::on) return tlm::TLM_GENERIC_ERROR_RESPONSE;
  return tlm::TLM_OK_RESPONSE;
}

void MemoryTarget::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  // The initiator must hand over a fresh transaction; anything else is its bug, answered as such.
  tlm::tlm_response_status status = trans.get_response_status() == tlm::TLM_INCOMPLETE_RESPONSE
                                        ? check(trans)
                                        : tlm::TLM_GENERIC_ERROR_RESPONSE;
  if (trans.get_command() == tlm::TLM_IGNORE_COMMAND && status == tlm::TLM_COMMAND_ERROR_RESPONSE) {
    status = tlm::TLM_OK_RESPONSE;  // TLM-2.0: a target may treat IGNORE as a no-op
    trans.set_response_status(status);
    return;
  }
  const Time now = from_sc_time(sc_core::sc_time_stamp() + delay);
  if (status == tlm::TLM_OK_RESPONSE) {
    Request req{trans.get_command(), trans.get_address(),
                static_cast<std::uint32_t>(trans.get_data_length()),
                max(clock_.cycle_at_or_after(now), ready_at_)};
    // The model's charges during serve are spent over the request's span, known once served.
    ledger_.open_span();
    const Outcome out = serve(req);
    ledger_.close_span(clock_.time_of(req.arrival), clock_.time_of(max(out.done, req.arrival)));
    status = out.status;
    if (status == tlm::TLM_OK_RESPONSE) {
      unsigned char* data = trans.get_data_ptr();
      if (req.command == tlm::TLM_READ_COMMAND) {
        storage_->read(req.address, data, req.length);
        on_read_data(req.address, data, req.length);
        ++stats_.reads;
        stats_.bytes_read += req.length;
      } else {
        storage_->write(req.address, data, req.length);
        ++stats_.writes;
        stats_.bytes_written += req.length;
      }
      const std::uint64_t latency = out.done.value() - out.accepted.value();
      stats_.latency_cycles += latency;
      stats_.max_latency_cycles = std::max(stats_.max_latency_cycles, latency);
      stats_.last_done = max(stats_.last_done, out.done);
      const Time done_time = clock_.time_of(out.done);
      delay = to_sc_time(done_time) - sc_core::sc_time_stamp();
      if (auto* ext = trans.get_extension<TimingExtension>()) {
        ext->accepted = clock_.time_of(out.accepted);
        ext->completed = done_time;
      }
      if (trace_) trace_request(req, out);
    }
  }
  if (status != tlm::TLM_OK_RESPONSE) ++stats_.errors;
  trans.set_response_status(status);
}

unsigned MemoryTarget::transport_dbg(tlm::tlm_generic_payload& trans) {
  // The checks of b_transport (command, byte enables, length and data pointer, range, alignment,
  // power), so that a debugger and the datapath get one answer for one request. A refused request
  // moves no byte: 0 bytes and the error response. IGNORE is a no-op, as in b_transport.
  tlm::tlm_response_status status = check(trans);
  if (trans.get_command() == tlm::TLM_IGNORE_COMMAND && status == tlm::TLM_COMMAND_ERROR_RESPONSE) {
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return 0;
  }
  trans.set_response_status(status);
  if (status != tlm::TLM_OK_RESPONSE) return 0;
  const std::uint64_t addr = trans.get_address();
  const unsigned len = trans.get_data_length();
  if (trans.get_command() == tlm::TLM_READ_COMMAND) {
    storage_->read(addr, trans.get_data_ptr(), len);
  } else {
    storage_->write(addr, trans.get_data_ptr(), len);
  }
  return len;
}

bool MemoryTarget::debug_write(std::uint64_t address, const std::uint8_t* data,
                               std::size_t length) {
  if (address > common_.capacity.value() || length > common_.capacity.value() - address) {
    return false;
  }
  storage_->write(address, data, length);
  return true;
}

bool MemoryTarget::debug_read(std::uint64_t address, std::uint8_t* data, std::size_t length) {
  if (address > common_.capacity.value() || length > common_.capacity.value() - address) {
    return false;
  }
  storage_->read(address, data, length);
  return true;
}

void MemoryTarget::power_off(Time at) {
  if (state_ == PowerState::off) return;
  state_ = PowerState::off;
  if (!retains_contents()) storage_->clear();
  on_power_off(at);
  if (trace_) trace_->set(powered_signal_, at, 0);
}

void MemoryTarget::enter_retention(Time at) {
  if (state_ != PowerState::on) return;
  if (!supports_retention()) {
    throw std::logic_error(instance_ + ": retention requested but not supported");
  }
  state_ = PowerState::retention;
  on_retention(at);
  if (trace_) trace_->set(powered_signal_, at, 0);
}

void MemoryTarget::on_retention(Time at) {
  set_static_power(common_.power.retention_power.value_or(Power(0.0)), at);
}

Power MemoryTarget::state_power(PowerState s) const {
  if (s == PowerState::retention) return common_.power.retention_power.value_or(Power(0.0));
  if (s == PowerState::off) return Power(0.0);
  return idle_power();
}

void MemoryTarget::power_on(Time at) {
  if (state_ == PowerState::on) return;
  state_ = PowerState::on;
  ready_at_ = clock_.cycle_at_or_after(at + wakeup_time());
  on_power_on(at);
  if (trace_) trace_->set(powered_signal_, at, 1);
}

void MemoryTarget::set_trace(TraceSink* sink) {
  trace_ = sink;
  lanes_.reset();
  if (sink) {
    const std::string scope = trace_scope();
    bytes_counter_ = sink->byte_counter(scope, "data");
    powered_signal_ = sink->integer_signal(scope, "powered", 1);
    // Signals start at 0; a memory starts powered.
    sink->set(powered_signal_, from_sc_time(sc_core::sc_time_stamp()), powered() ? 1 : 0);
    if (sink->shows(TraceDetail::burst)) {
      lanes_ = std::make_unique<SliceLanes>(sink, "memories", instance_);
    }
  }
  on_trace(sink);
}

void MemoryTarget::trace_request(const Request& req, const Outcome& out) {
  const Time begin = clock_.time_of(req.arrival);
  const Time end = clock_.time_of(max(out.done, req.arrival));
  trace_->add_bytes(bytes_counter_, end, req.length);
  if (lanes_) {
    lanes_->slice(begin, end, req.command == tlm::TLM_READ_COMMAND ? "read" : "write", "memory");
  }
}

void MemoryTarget::finish(Time end) {
  // What a model closes at the end (refreshes, power-down) was spent after its last request.
  ledger_.open_span();
  on_finish(end);
  ledger_.close_span(clock_.time_of(stats_.last_done), max(end, clock_.time_of(stats_.last_done)));
  ledger_.close(component_, end);
}

}  // namespace hmasim
