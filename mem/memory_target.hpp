// The base of every memory model: all TLM-2.0 plumbing lives here, so a model implements only its
// timing and energy (`serve`) and, if it has them, power-state hooks.
//
// The base owns the target socket, checks each transaction (command, byte enables, streaming width,
// alignment, address range, power state) and answers protocol-legal bad requests with the matching
// TLM error response, never an abort. It converts the initiator's time (sc_time_stamp() + annotated
// delay) to the model's clock cycles, moves the real bytes through the backing storage, annotates
// the completion delay, keeps statistics and charges the energy ledger component of the instance.
//
// Traces (core/trace_sink.hpp), off unless set_trace() hands it a sink: the base reports what every
// memory has (bytes moved, power state, one timeline slice per request), a model adds its own
// signals in on_trace(), and accounted_until() tells the accelerator how far the memory's reports
// are complete (the trace watermark).
#pragma once

#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <systemc>
#include <tlm>
#include <vector>

#include "core/clock.hpp"
#include "core/energy_ledger.hpp"
#include "core/power_config.hpp"
#include "core/slice_lanes.hpp"
#include "core/trace_sink.hpp"
#include "core/units.hpp"
#include "mem/memory_config.hpp"
#include "mem/storage.hpp"

namespace hmasim {

struct MemoryStats {
  std::uint64_t reads = 0;
  std::uint64_t writes = 0;
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_written = 0;
  std::uint64_t errors = 0;          // transactions answered with an error response
  std::uint64_t busy_cycles = 0;     // cycles a model's resources were occupied (model-defined)
  std::uint64_t latency_cycles = 0;  // sum over transactions of (done - accepted)
  std::uint64_t max_latency_cycles = 0;
  Cycles last_done{0};  // completion cycle of the latest-finishing transaction
};

class MemoryTarget : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<MemoryTarget> socket;

  MemoryTarget(const sc_core::sc_module_name& name, const MemoryCommonConfig& common,
               EnergyLedger& ledger, const std::string& static_label = "leakage");
  ~MemoryTarget() override;

  const std::string& model_name() const { return common_.model; }
  // The name in the platform's `memories:` map (the module's name if the config has none): the
  // ledger component and the trace scope are named after it.
  const std::string& instance_name() const { return instance_; }
  Bytes capacity() const { return common_.capacity; }
  const Clock& clock() const { return clock_; }
  const MemoryStats& stats() const { return stats_; }
  EnergyLedger::ComponentId component() const { return component_; }
  EnergyLedger& ledger() const { return ledger_; }
  bool powered() const { return state_ == PowerState::on; }
  PowerState power_state() const { return state_; }
  Storage& storage() { return *storage_; }

  // Per-command counts (DRAM: ACT, PRE, RD ...), in a fixed order for reports.
  virtual std::map<std::string, std::uint64_t> command_counts() const { return {}; }
  // Silicon area of the instance; 0 for off-chip memories.
  virtual double area_mm2() const { return 0.0; }
  // Peak data bandwidth of the instance.
  virtual Bandwidth peak_bandwidth() const = 0;

  // Power gating. While off, accesses get TLM_GENERIC_ERROR_RESPONSE; after power_on the first
  // access waits for the model's wake-up time. Contents survive only if the model retains them.
  void power_off(Time at);
  void power_on(Time at);
  // Retention: contents kept, accesses refused as while off, the model's retention power drawn
  // (power.retention_power by default). power_on wakes it. Only if supports_retention().
  void enter_retention(Time at);
  virtual bool supports_retention() const { return common_.power.retention_power.has_value(); }
  // Whether power_off loses the contents.
  bool loses_contents_when_off() const { return !retains_contents(); }
  // Static power while on and idle (the power manager's break-even): the model's leakage or
  // standby power. Default: what it draws now.
  virtual Power idle_power() const { return ledger_.static_power(component_); }
  // Static power drawn in `s` (retention, off) by default: retention_power, or 0 when off.
  virtual Power state_power(PowerState s) const;
  const PowerConfig& power_config() const { return common_.power; }
  // Time from power_on until the first access can start.
  virtual Time wakeup_time() const { return common_.power.wake_latency.value_or(Time(0)); }

  // Closes model-specific accounting at the end of a run (e.g. DRAM background energy up to
  // `end`) and the instance's static power integration.
  void finish(Time end);

  // Direct storage access without timing or energy (loading weights, test inspection). Returns
  // false if the range is outside the memory.
  bool debug_write(std::uint64_t address, const std::uint8_t* data, std::size_t length);
  bool debug_read(std::uint64_t address, std::uint8_t* data, std::size_t length);

  // ---- traces ----
  // Reports to `sink` from now on (nullptr: off, the default; then a request costs one branch).
  // Call once, after construction and before simulation. Registers in scope trace_scope():
  //   data      byte counter: each request's length, at its completion (bandwidth.csv)
  //   powered   wire: 1 while powered, 0 between power_off and power_on
  // and, at burst detail, timeline tracks "<instance>", "<instance> #2" ... (group "memories",
  // as many as requests in flight need: core/slice_lanes.hpp) with one slice per request
  // [arrival, done), named "read" or "write", category "memory"; then the model's own signals
  // (on_trace).
  void set_trace(TraceSink* sink);
  TraceSink* trace() const { return trace_; }
  std::string trace_scope() const { return "memories." + instance_; }

  // Watermark support: every report of this memory made from now on (energy spans, value
  // changes, slices, bytes) lies at or after this time, or at or after the arrival of the request
  // being served. The accelerator advances the trace to the minimum of its own boundary and every
  // memory's accounted_until(). kAllAccounted: the model reports everything when it serves a
  // request (the default); a model that accounts idle periods lazily (LPDDR4) says from where.
  static constexpr Time kAllAccounted{std::numeric_limits<std::uint64_t>::max()};
  virtual Time accounted_until() const { return kAllAccounted; }

 protected:
  struct Request {
    tlm::tlm_command command;
    std::uint64_t address;
    std::uint32_t length;
    Cycles arrival;  // first cycle of the model's clock at or after the initiator's time
  };
  struct Outcome {
    tlm::tlm_response_status status = tlm::TLM_OK_RESPONSE;
    Cycles accepted{0};  // when the model took the request (>= arrival)
    Cycles done{0};      // when the last data beat is delivered (>= accepted)
  };

  // Timing and energy of one checked, in-range request. Data movement is the base's job.
  virtual Outcome serve(const Request& request) = 0;
  // Called with the bytes a read returns, after they came out of the backing storage: a model
  // whose cells can be misread (MLC eNVM faults) corrupts them here. Not called by debug_read.
  virtual void on_read_data(std::uint64_t /*address*/, std::uint8_t* /*data*/,
                            std::uint32_t /*length*/) {}
  // Model hooks for power gating and end of run. Called with the time of the event.
  virtual void on_power_off(Time /*at*/) {}
  virtual void on_power_on(Time /*at*/) {}
  // Default: the retention power from power.retention_power.
  virtual void on_retention(Time at);
  virtual void on_finish(Time /*end*/) {}
  // Called by set_trace after the base's registrations: a model registers its own signals under
  // trace_scope() and keeps `sink` (nullptr: tracing is off again, drop it).
  virtual void on_trace(TraceSink* /*sink*/) {}
  // Whether the model keeps its contents while powered off (eNVM yes, SRAM no).
  virtual bool retains_contents() const = 0;

  const MemoryCommonConfig& common() const { return common_; }
  MemoryStats& mutable_stats() { return stats_; }
  // Static power from now on (leakage while on, retention while gated).
  void set_static_power(Power p, Time at) { ledger_.set_static_power(component_, p, at); }
  // The checks every request gets (command, byte enables, streaming width, range, alignment,
  // power state), in order: the first failing one's response, else TLM_OK_RESPONSE. A model
  // with its own transport (nb_transport) applies the same.
  tlm::tlm_response_status check(const tlm::tlm_generic_payload& trans) const;

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned transport_dbg(tlm::tlm_generic_payload& trans);
  void trace_request(const Request& request, const Outcome& outcome);

  MemoryCommonConfig common_;
  Clock clock_;
  EnergyLedger& ledger_;
  std::string instance_;
  EnergyLedger::ComponentId component_;
  std::unique_ptr<Storage> storage_;
  MemoryStats stats_;
  PowerState state_ = PowerState::on;
  Cycles ready_at_{0};  // after a wake-up, no access starts before this cycle

  TraceSink* trace_ = nullptr;
  TraceSink::Id bytes_counter_ = 0;
  TraceSink::Id powered_signal_ = 0;
  std::unique_ptr<SliceLanes> lanes_;  // burst detail only
};

}  // namespace hmasim
