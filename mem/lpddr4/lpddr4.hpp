// `lpddr4`: a JEDEC LPDDR4 memory, one or more independent x16 channels, behind one of two
// controllers (controller.scheduler):
//  - in_order (default): requests are accepted into a queue of `queue_depth`, split into bursts
//    (BL16 x 2 B = 32 B), mapped to channel / bank / row / column and scheduled on arrival by the
//    channel's back end (Lpddr4Channel), with PRE/ACT lookahead; for b_transport initiators that
//    pipeline on acceptance times (the DMA).
//  - buffered (fcfs, fr_fcfs, fr_fcfs_grp): per-bank request buffers and a scheduler per channel
//    (controller/channel_controller.hpp) that reorders the requests in flight. Requests come by
//    TLM-2.0 AT nb_transport (4 phases: END_REQ when a buffer admits the request, BEGIN_RESP when
//    its last data beat is delivered, in order or out of order); b_transport is served blocking
//    (the request completes before the call returns, so nothing overtakes it).
// A request is done when its last data beat has crossed the data bus.
//
// Energy goes to the ledger as the actions ACT, PRE, RD, WR, REF (DRAMPower increments; PRE
// counts each bank a PREA closes and each auto-precharge) and the static share "background".
//
// Traces (besides the base's): per channel c and bank b, signal memories.<instance>.ch<c>.bank<b>
// of 2 bits, the bank's state (Lpddr4BankState: 0 precharged, 1 active, 2 refreshing, 3 powered
// down or in self-refresh) from the issue cycle of each command on. Idle periods are accounted
// lazily, so accounted_until() is the earliest over channels of where that accounting starts.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "mem/lpddr4/checker/timing_checker.hpp"
#include "mem/lpddr4/controller/channel_controller.hpp"
#include "mem/lpddr4/lpddr4_channel.hpp"
#include "mem/lpddr4/lpddr4_command.hpp"
#include "mem/lpddr4/lpddr4_config.hpp"
#include "mem/lpddr4/lpddr4_energy.hpp"
#include "mem/memory_target.hpp"

namespace hmasim {

class Lpddr4 final : public MemoryTarget {
 public:
  SC_HAS_PROCESS(Lpddr4);
  Lpddr4(const sc_core::sc_module_name& name, const Lpddr4Config& config, EnergyLedger& ledger);
  ~Lpddr4() override;

  // True with a buffered scheduler: initiators should use nb_transport to keep requests in
  // flight (b_transport is served blocking).
  bool accepts_nb_transport() const { return config_.controller.buffered(); }

  // Double data rate on every channel: channels x width/8 x 2 x f(tCK).
  Bandwidth peak_bandwidth() const override;
  // ACT, PRE, PREA, RD, WR, REF, and PDE, PDX, SRE, SRX when power-down is enabled.
  std::map<std::string, std::uint64_t> command_counts() const override;

  const Lpddr4Config& config() const { return config_; }
  const Lpddr4Energy& energy_model() const { return energy_; }
  std::uint64_t count(Lpddr4Command c) const;
  // Background cycles per state, summed over channels (accounted up to the last watermark, or
  // to the end of the run after finish()).
  Cycles background_cycles(BackgroundState s) const;

  // Inspection for tests and debugging: every command from now on goes to the log (in the order
  // they were scheduled, which is not time order). Off by default; costs nothing when off.
  void enable_command_log(bool on = true);
  const std::vector<Lpddr4CommandRecord>& command_log() const { return log_; }

  // Audits every command from now on with an independent Lpddr4TimingChecker per channel (off by
  // default). Commands are checked in issue order once final (at the latest at finish()).
  void enable_timing_check(bool on = true);
  bool timing_checked() const { return !checkers_.empty(); }
  std::uint64_t timing_violations() const;
  std::uint64_t commands_checked() const;
  // The checkers' reports, one line per violation (empty: none).
  std::string timing_report() const;

  // Process-wide: every Lpddr4 built from now on checks its timing (hmasim run/replay
  // --check-timing, and every DRAM test). Violations of all instances are also summed here,
  // with the report of each instance that had some, as their checks complete (at finish()).
  static void check_timing_by_default(bool on);
  static std::uint64_t violations_everywhere();
  static const std::string& violation_reports();

  // DRAMPower-style energy per class, split core (VDD1 + VDD2) and io (VDDQ); the classes'
  // totals equal the ledger's actions and background.
  Lpddr4RailReport energy_by_rail() const;

  // The earliest over channels of Lpddr4Channel::accounted_until().
  Time accounted_until() const override;

 protected:
  Outcome serve(const Request& request) override;
  // Power gating a DRAM removes its supply: contents are lost. (Self-refresh, which keeps them,
  // is a low-power state inside the model, not power_off.)
  bool retains_contents() const override { return false; }
  void on_power_off(Time at) override;
  void on_power_on(Time at) override;
  void on_finish(Time end) override;
  void on_trace(TraceSink* sink) override;

 private:
  // ---- buffered controller ----
  struct InFlight {
    tlm::tlm_generic_payload* trans = nullptr;  // nullptr: a blocking b_transport request
    Cycles arrival{0}, accepted{0}, done{0};
    std::uint32_t bursts_left = 0;
    std::uint64_t seq = 0;
    bool finished = false;
  };
  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);
  tlm::tlm_response_status check_nb(const tlm::tlm_generic_payload& trans) const;
  // Admits a request arriving at `arrival` (waiting for room first); returns its slot.
  std::uint32_t admit(tlm::tlm_generic_payload* trans, tlm::tlm_command command,
                      std::uint64_t address, std::uint32_t length, Cycles arrival);
  // Every channel issues its commands before `horizon`; completions are collected.
  void advance_all(Cycles horizon);
  void collect(std::uint32_t channel);
  void finish_request(std::uint32_t slot);
  void deliver_responses();
  void progress();  // SC_METHOD: the controller's own progress as SystemC time passes
  void schedule_wake();
  Outcome serve_buffered(const Request& request);
  // ---- timing check ----
  void check_final(unsigned channel, Cycles before);

  struct Location {
    std::uint32_t channel;
    std::uint32_t bank;
    std::uint32_t row;
  };
  Location locate(std::uint64_t address) const {
    return {static_cast<std::uint32_t>(config_.mapping.extract(address, Lpddr4Config::kChannel)),
            static_cast<std::uint32_t>(config_.mapping.extract(address, Lpddr4Config::kBank)),
            static_cast<std::uint32_t>(config_.mapping.extract(address, Lpddr4Config::kRow))};
  }

  Lpddr4Config config_;
  Lpddr4Energy energy_;
  struct Touched {
    std::uint32_t channel, bank, index;  // index: into channel_bursts_
  };
  std::vector<Touched> touched_;  // scratch: the channel/bank pairs a request touches
  // Consecutive bursts of a request to one channel, bank and row.
  struct Run {
    Location where;
    std::uint32_t bursts;
  };
  std::vector<Run> runs_;  // scratch: where the bursts of a request go
  // The address bits that choose channel, bank or row: bursts that differ in none of them go to
  // the same place.
  std::uint64_t placement_bits_ = 0;
  std::vector<Lpddr4Channel> channels_;
  // Per channel: the last request that called begin_request on it.
  std::vector<std::uint64_t> channel_request_;
  // Queue: when each of the last queue_depth requests left it (issue of its last column
  // command, retired in order); request k enters when request k - queue_depth has left.
  std::vector<Cycles> leave_ring_;
  std::uint64_t requests_ = 0;
  Cycles last_arrival_{0};
  Cycles last_leave_{0};
  std::vector<Lpddr4CommandRecord> log_;

  // Buffered controller (controller.scheduler != in_order).
  std::vector<std::unique_ptr<Lpddr4ChannelController>> controllers_;
  std::vector<Lpddr4ChannelController::Completion> completions_;
  std::vector<InFlight> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::deque<std::uint32_t> response_queue_;  // requests with a payload, in arrival order
  std::vector<std::uint32_t> done_out_of_order_;
  std::vector<std::uint32_t> channel_bursts_;  // scratch: bursts of one request per channel/bank
  std::vector<Cycles> next_command_;           // per channel
  Cycles response_floor_{0};                   // in-order responses: the latest one sent
  bool response_busy_ = false;                 // a BEGIN_RESP waits for END_RESP
  std::uint64_t sequence_ = 0;
  sc_core::sc_event wake_;

  // Timing check: per channel a checker and the commands not yet final.
  std::vector<std::unique_ptr<Lpddr4TimingChecker>> checkers_;
  std::vector<std::vector<Lpddr4CommandRecord>> unchecked_;
  std::uint64_t reported_violations_ = 0;  // already added to violations_everywhere()
};

}  // namespace hmasim
