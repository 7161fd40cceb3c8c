// One LPDDR4 channel behind the buffered controller: request buffer, scheduler, bank machines,
// page, refresh policies, command arbitration and the energy of every command.
//
// Discrete events without a clock: the controller is told how far arrivals are known (the
// horizon: no request will arrive before it) and issues, in time order, every command that falls
// before it. At each step every bank with waiting bursts proposes its next command for the burst
// its scheduler picked (RD/WR on a row hit, else PRE or ACT), at the earliest cycle its bank and
// the channel allow: tRCD, tRAS, tRPpb/tRPab, tRCpb, tRFC of the bank; tRRD, tFAW, tCCD, tPPD,
// the JEDEC read/write turnarounds (Lpddr4Distances) and the command bus of the channel. The
// earliest proposal wins (the oldest request on ties). A due refresh competes the same way: from
// its due cycle on, the banks it takes accept no new command until it has been issued.
//
// Auto-precharges (page policies) take no bus slot; they are logged at the cycle the bank starts
// precharging, when the issue order reaches it, so the log is in time order.
//
// Power-down (PowerDownPolicyIf, channel_power_down.cpp): while no burst waits, the idle span is
// walked from event to event, never per cycle: PDE once the policy's idle threshold has passed,
// SRE after the longer one (PREA first if a bank is open), PDX before a due refresh (which then
// issues as usual, and power-down resumes after it), no refresh in self-refresh (the device
// refreshes itself; IDD6 covers it). The burst that ends the idle span wakes the channel: PDX
// (tCKE after PDE) or SRX (tSR after SRE), and no command before tXP / tXSR after the exit.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mem/lpddr4/checker/timing_checker.hpp"
#include "mem/lpddr4/controller/page_policy.hpp"
#include "mem/lpddr4/controller/power_down_policy.hpp"
#include "mem/lpddr4/controller/refresh_policy.hpp"
#include "mem/lpddr4/controller/request_buffer.hpp"
#include "mem/lpddr4/controller/scheduler.hpp"
#include "mem/lpddr4/lpddr4_background.hpp"
#include "mem/lpddr4/lpddr4_channel.hpp"
#include "mem/lpddr4/lpddr4_command.hpp"
#include "mem/lpddr4/lpddr4_energy.hpp"

namespace hmasim {

class Lpddr4ChannelController {
 public:
  static constexpr Cycles kNever = RefreshPolicyIf::kNever;
  static constexpr Cycles kUnknown{~std::uint64_t{0}};
  // A burst's data is on the bus until `data_end` (exclusive); it left the buffer at `issued`.
  struct Completion {
    // A constructor, so that emplace_back builds it in place (no copy read back from the stack).
    Completion(std::uint32_t r, Cycles i, Cycles d) : request(r), issued(i), data_end(d) {}
    std::uint32_t request;
    Cycles issued;
    Cycles data_end;
  };

  Lpddr4ChannelController(const Lpddr4Config& config, const Lpddr4Energy& energy,
                          const Lpddr4LedgerActions& ledger, unsigned index);

  bool has_room(unsigned bank, std::size_t bursts) const { return buffer_.has_room(bank, bursts); }
  // Adds `n` waiting bursts of one request to `bank`, consecutive and to one row: copies of `b`
  // of which the last is the request's last burst to the row (arrival >= every horizon given so
  // far, or they are served from there).
  void push(unsigned bank, const BufferedBurst& b, std::uint32_t n) {
    if (pd_active_ && buffer_.empty() && powered_) idle_until(b.arrival, /*wake=*/true);
    buffer_.push(bank, b, n);
    invalidate(bank);
    best_valid_ = false;
  }
  bool empty() const { return buffer_.empty(); }

  // Issues every command before `horizon`, at most `max_commands` of them, appending a
  // completion per column command. Returns the cycle of the next command it would issue
  // (kNever: no burst waits). Refreshes are issued only while bursts wait; settle() does the rest.
  Cycles advance(Cycles horizon, std::vector<Completion>& out,
                 std::uint64_t max_commands = ~std::uint64_t{0});
  // No burst waits: refreshes and background up to `end`.
  void settle(Cycles end);
  void power_off(Cycles at);
  void power_on(Cycles at);

  void set_log(std::vector<Lpddr4CommandRecord>* log) { log_ = log; }
  void set_checker(Lpddr4TimingChecker* checker) { checker_ = checker; }
  std::uint64_t count(Lpddr4Command c) const { return counts_[static_cast<std::size_t>(c)]; }
  Cycles background_cycles(BackgroundState s) const { return Cycles(bg_cycles_[idx(s)]); }
  const PowerDownPolicyIf& power_down_policy() const { return *power_down_; }
  // Reports of this channel are complete up to here.
  Cycles accounted_until() const { return charged_to_; }

 private:
  struct Bank {
    bool open = false;
    std::uint32_t row = 0;
    Cycles act_ok{0}, col_ok{0}, pre_ok{0};
  };
  struct Proposal {
    Cycles at = kNever;
    std::uint64_t seq = ~std::uint64_t{0};
    unsigned bank = 0;
    std::uint32_t entry = 0;  // index in the bank's queue
    Lpddr4Command command = Lpddr4Command::ACT;
    bool refresh = false;  // a step of the due refresh
  };
  struct AutoPrecharge {
    Cycles at;
    unsigned bank;
  };
  static std::size_t idx(BackgroundState s) { return static_cast<std::size_t>(s); }

  // The channel's earliest cycle per command kind: tRRD/tFAW, tPPD, tCCD and the turnarounds
  // (own_, kept up to date by issue()), and the command bus.
  struct ChannelMinimum {
    Cycles act{0}, pre{0}, rd{0}, wr{0};
  };
  ChannelMinimum channel_minimum() const {
    return {max(own_.act, bus_free_), max(own_.pre, bus_free_), max(own_.rd, bus_free_),
            max(own_.wr, bus_free_)};
  }
  // Computes keys_[b].
  void bank_proposal(unsigned b) const;
  // Bank b's key must be computed again (its queue, row or timing changed).
  void invalidate(unsigned b) {
    if (keys_[b].at == kUnknown) return;
    keys_[b].at = kUnknown;
    stale_.push_back(b);
  }
  void invalidate_all() {
    for (unsigned b = 0; b < keys_.size(); ++b) invalidate(b);
  }
  // The command to issue next: the earliest proposal over banks and the due refresh.
  const Proposal& select(Cycles horizon);
  // best_ = the earliest bank proposal (none: at == kNever); `due`: the due refresh. Written in
  // place: a Proposal copied right after its fields are written stalls store-to-load forwarding.
  void earliest_bank(Cycles due);
  Proposal propose_refresh() const;
  Cycles act_constraints(Cycles t) const;
  Cycles pre_constraints(Cycles t) const;
  void issue(const Proposal& p, std::vector<Completion>& out);
  // Counts a command; logs and checks it when asked to (inline: usually neither).
  void emit(Lpddr4Command c, Cycles at, std::uint16_t bank, std::uint32_t row = 0,
            bool automatic = false) {
    ++counts_[static_cast<std::size_t>(c)];
    if (log_ || checker_) record({at, c, index_, bank, row, automatic});
  }
  void record(const Lpddr4CommandRecord& r);
  // Logs the pending auto-precharges at or before `upto` (checked inline: usually none).
  void flush_auto_precharges(Cycles upto) {
    if (!auto_pre_.empty()) flush_pending_precharges(upto);
  }
  void flush_pending_precharges(Cycles upto);
  void integrate(Cycles to);
  // Charges the ledger with the background energy integrated since the last charge (inline: often
  // none, advance() calls it every time).
  void charge_background() {
    if (uncharged_ != 0) charge_uncharged();
    charged_to_ = max(charged_to_, bg_time_);
  }
  void charge_uncharged();

  // Power-down (channel_power_down.cpp). The idle span up to `t` (events before it); `wake`: a
  // burst arrives at `t`, leave power-down / self-refresh for it.
  enum class PowerState : std::uint8_t { awake, power_down, self_refresh };
  void idle_until(Cycles t, bool wake);
  // The end of everything issued: no power state change before it.
  Cycles busy_until() const;
  // A power state command at `at` (PDE, PDX, SRE, SRX), in time order.
  void power_command(Lpddr4Command c, Cycles at);
  // After a PDX / SRX: no command before `ready`.
  void exit_latency(Cycles ready);
  // PDX (or SRX) for something at `at`; returns the cycle from which commands may issue.
  Cycles wake_up(Cycles at);

  const Lpddr4Config& config_;
  const Lpddr4Timing& t_;
  const Lpddr4Energy& energy_;
  Lpddr4LedgerActions ledger_;
  std::uint16_t index_;
  Cycles bl2_, rd_to_wr_, wr_to_rd_, rd_to_pre_, wr_to_pre_, rd_end_, wr_end_;

  RequestBuffer buffer_;
  std::unique_ptr<Lpddr4Scheduler> scheduler_;
  bool uses_direction_;
  std::unique_ptr<PagePolicyIf> page_;
  std::unique_ptr<RefreshPolicyIf> refresh_;
  std::unique_ptr<PowerDownPolicyIf> power_down_;
  bool pd_active_;

  std::vector<Bank> banks_;
  // Per bank, its own part of the next proposal: command, burst and earliest cycle by the bank's
  // timing (at == kUnknown: compute again; kNever: no burst waits). It changes only when the
  // bank's queue, row or timing does (or, for a direction-aware scheduler, the channel's
  // direction). Packed for the scan.
  struct LocalKey {
    Cycles at = kNever;
    std::uint64_t seq = ~std::uint64_t{0};
    std::uint32_t entry = 0;  // index in the bank's queue
    Lpddr4Command command = Lpddr4Command::ACT;
  };
  mutable std::vector<LocalKey> keys_;
  // The banks whose key is kUnknown, so select() computes only those (usually one: the bank of
  // the latest command or burst).
  std::vector<unsigned> stale_;
  // select()'s answer, kept until a command issues, a burst arrives or power changes: a caller
  // that issues one command at a time (admission) otherwise computes every choice twice. Only
  // kept while bursts wait (then it does not depend on the horizon).
  Proposal best_;
  bool best_valid_ = false;
  unsigned open_banks_ = 0;
  std::vector<AutoPrecharge> auto_pre_;  // pending, in no particular order (few)
  Cycles bus_free_{0};
  Cycles acts_[4] = {};
  std::uint64_t act_count_ = 0;
  Cycles rrd_ok_{0};  // tRRD after the latest ACT or REFpb
  Cycles faw_ok_{0};  // tFAW after the fourth latest ACT
  Cycles last_pre_{0};
  bool any_pre_ = false;
  Cycles col_ok_{0};         // tCCD after the latest column command
  Cycles rd_after_wr_{0};    // write-to-read turnaround after the latest WR
  Cycles wr_after_rd_{0};    // read-to-write turnaround after the latest RD
  ChannelMinimum own_;       // the channel minimum without the command bus
  bool last_write_ = false;  // direction of the latest column command
  Cycles refreshing_until_{0};
  Cycles now_{0};  // the latest command issued

  Cycles bg_time_{0};
  std::array<std::uint64_t, kBackgroundStateCount> bg_cycles_{};
  std::array<std::uint64_t, kBackgroundStateCount> charged_cycles_{};
  unsigned uncharged_ = 0;  // bit s: bg_cycles_[s] has grown since the last charge
  Cycles charged_to_{0};
  bool powered_ = true;
  PowerState power_state_ = PowerState::awake;
  Cycles power_since_{0};        // cycle of the PDE / SRE of the current power state
  Cycles request_idle_from_{0};  // end of the latest request data on the bus (idle timers)

  std::array<std::uint64_t, kLpddr4CommandCount> counts_{};
  std::vector<Lpddr4CommandRecord>* log_ = nullptr;
  Lpddr4TimingChecker* checker_ = nullptr;
};

}  // namespace hmasim
