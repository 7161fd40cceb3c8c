// One LPDDR4 channel's controller back end: the JEDEC bank state machines, the command and data
// buses, all-bank refresh, power-down and self-refresh, and the energy of every command.
//
// Event-driven reservation, no per-cycle process: each request's bursts are scheduled when the
// request arrives, command by command, at the earliest cycle every constraint allows:
//  - per bank: earliest ACT (tRP after PRE, tRC after ACT, tRFC after REF), earliest RD/WR (tRCD
//    after ACT), earliest PRE (tRAS after ACT, tRTP after RD, tWR after the write data);
//  - per channel: tRRD and tFAW over ACTs (kept in time order), tCCD between column commands,
//    the JEDEC read-to-write and write-to-read distances (Lpddr4Distances: tDQSCK, tWPRE, tRPST,
//    tWTR), and a data bus served in request order;
//  - the command bus: PRE/ACT of a later request may go into free slots before the column
//    commands of earlier ones, so bank-interleaved streams hide their row switches.
// All constraints are lower bounds and commands of one bank are placed in order, so the greedy
// placement is legal by construction; the command log lets tests verify it.
//
// Refresh: all-bank REF on a fixed grid of due times k x tREFI, inserted lazily: before a column
// command would reach the next due time, open banks are closed (PREA) and REF issued; idle spans
// are refreshed in bulk. Power-down: when a channel stays idle past a threshold, the span counts as
// active/precharge power-down (a refresh due inside briefly wakes it); past a longer threshold it
// enters self-refresh (no REF needed); the next command waits tXP / tXSR after the exit.
//
// Traces: a 2-bit state signal per bank (Lpddr4BankState), changed at the issue cycle of each
// command as the command log has it. Commands are decided when requests are served and idle
// periods are accounted when the next request arrives (or at the end), so these reports, like
// the background and refresh energy, may lie before SystemC time but never before
// accounted_until().
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/energy_ledger.hpp"
#include "core/trace_sink.hpp"
#include "mem/lpddr4/lpddr4_background.hpp"
#include "mem/lpddr4/lpddr4_command.hpp"
#include "mem/lpddr4/lpddr4_command_bus.hpp"
#include "mem/lpddr4/lpddr4_config.hpp"
#include "mem/lpddr4/lpddr4_energy.hpp"

namespace hmasim {

// Where a channel charges its energy: the ledger component of the memory and its actions.
struct Lpddr4LedgerActions {
  EnergyLedger* ledger = nullptr;
  EnergyLedger::ComponentId component = 0;
  EnergyLedger::ActionId act{}, pre{}, rd{}, wr{}, ref{}, refpb{};
};

// The value of a bank's trace signal. A state starts at the issue cycle of its command: ACT
// (active), PRE, PREA and auto-precharge (precharged from the precharge command on, not from the
// end of tRP), REF (refreshing for tRFCab, then precharged), PDE and SRE (powered down, also in
// self-refresh), PDX (back to active or precharged), SRX (precharged). Power-off: precharged.
enum class Lpddr4BankState : std::uint8_t {
  precharged = 0,
  active = 1,
  refreshing = 2,
  powered_down = 3,  // power-down (active or precharge) or self-refresh
};

class Lpddr4Channel {
 public:
  // Command-bus occupancy of each command (LPDDR4 sends ACT as ACT-1 + ACT-2 and RD/WR as
  // RD-1/WR-1 + CAS-2, each part 2 clocks on the CA bus; PRE and REF are single 2-clock commands).
  static constexpr Cycles kActSlots{4};
  static constexpr Cycles kColumnSlots{4};
  static constexpr Cycles kPreSlots{2};
  static constexpr Cycles kRefSlots{2};

  // One burst of a request, mapped to this channel.
  struct Burst {
    std::uint32_t bank = 0;
    std::uint32_t row = 0;
    bool write = false;
    bool close_after = false;  // closed page: auto-precharge once the burst is done
  };
  struct BurstTiming {
    Cycles column{0};    // issue cycle of the RD/WR
    Cycles data_end{0};  // cycle after the last data beat
  };

  Lpddr4Channel(const Lpddr4Config& config, const Lpddr4Energy& energy,
                const Lpddr4LedgerActions& ledger, unsigned index);

  // Once per request that touches this channel, before its bursts: no command of the request
  // starts before `start`. Catches up refreshes and idle (power-down) periods up to `start`.
  void begin_request(Cycles start);
  // Schedules one burst; none of its commands before `start`.
  BurstTiming access(const Burst& burst, Cycles start);
  // End of run (or power-off): refreshes and idle time up to `end`, background integrated to it.
  void settle(Cycles end);
  void power_off(Cycles at);
  void power_on(Cycles at);

  // The log receives every command from now on (nullptr: off).
  void set_log(std::vector<Lpddr4CommandRecord>* log) { log_ = log; }
  // A second log, of this channel only, for the timing checker (nullptr: off).
  void set_check_log(std::vector<Lpddr4CommandRecord>* log) { check_log_ = log; }
  // No command logged from now on lies before this cycle (the last request's watermark).
  Cycles final_before() const { return watermark_; }
  // Bank state signals "bank0", "bank1" ... (2 bits, Lpddr4BankState) in `scope` (nullptr: off).
  void set_trace(TraceSink* sink, const std::string& scope);
  // Every later report of this channel that does not belong to a request yet to come (background
  // and refresh energy, commands and bank states of idle periods) lies at or after this time:
  // the start of the span not yet charged, the next refresh due time, the end of all scheduled
  // activity (where the lazily accounted idle period starts), whichever is earliest.
  Time accounted_until() const;

  std::uint64_t count(Lpddr4Command c) const { return counts_[static_cast<std::size_t>(c)]; }
  Cycles background_cycles(BackgroundState s) const { return meter_.cycles(s); }
  Cycles busy_cycles() const { return Cycles(busy_cycles_); }
  std::size_t bus_reservations() const { return bus_.size(); }

 private:
  static constexpr Cycles kNever{std::numeric_limits<std::uint64_t>::max() / 4};

  struct Bank {
    bool open = false;
    std::uint32_t row = 0;
    Cycles act_ok{0};  // earliest ACT
    Cycles col_ok{0};  // earliest RD/WR (row open)
    Cycles pre_ok{0};  // earliest PRE (row open)
  };
  // A tentative placement of one burst's commands, checked against refresh before committing.
  struct Plan {
    bool pre = false;
    bool act = false;
    Cycles pre_at{0};
    Cycles act_at{0};
    Cycles col_at{0};
  };

  Plan plan(const Bank& b, std::uint32_t row, bool write, Cycles t) const;
  Cycles find_pre(Cycles earliest) const;
  // One all-bank refresh at the next due time, between requests in flight.
  void refresh_in_flight();
  // Refreshes due while the channel was still busy, then the idle span up to `t`.
  void catch_up(Cycles t, bool wake);
  // The idle span from the end of all scheduled activity to `t`: standby, refreshes, power-down,
  // self-refresh. `wake`: a request arrives at `t` (exit power-down, set the exit latency).
  void idle_period(Cycles t, bool wake);
  void charge_background();
  void record(Lpddr4Command c, Cycles at, std::uint16_t bank = Lpddr4CommandRecord::kAllBanks,
              std::uint32_t row = 0) {
    ++counts_[static_cast<std::size_t>(c)];
    if (log_ || check_log_ || trace_) note(c, at, bank, row);
  }
  // The command to the log and the traces, without counting it.
  void note(Lpddr4Command c, Cycles at, std::uint16_t bank = Lpddr4CommandRecord::kAllBanks,
            std::uint32_t row = 0, bool automatic = false) {
    if (log_) log_->push_back({at, c, index_, bank, row, automatic});
    if (check_log_) check_log_->push_back({at, c, index_, bank, row, automatic});
    if (trace_) trace_command(c, at, bank);
  }
  // The bank state changes of command `c` (before the command changes the banks).
  void trace_command(Lpddr4Command c, Cycles at, std::uint16_t bank);
  void trace_bank(std::size_t bank, Cycles at, Lpddr4BankState s);
  Time time_of(Cycles c) const { return t_.tCK * c.value(); }
  bool refresh_enabled() const { return config_.refresh == RefreshPolicy::all_bank; }
  Cycles first_due_at_or_after(Cycles t) const;

  const Lpddr4Config& config_;
  const Lpddr4Timing& t_;
  const Lpddr4Energy& energy_;
  Lpddr4LedgerActions ledger_;
  std::uint16_t index_;
  Cycles burst_cycles_;
  // JEDEC distances (Lpddr4Distances), computed once.
  Cycles rd_to_wr_, wr_to_rd_, rd_to_pre_, wr_to_pre_;

  std::vector<Bank> banks_;
  unsigned open_banks_ = 0;
  CommandBus bus_;
  CommandBus pre_bus_;                  // explicit PREs, each held for tPPD (PRE-to-PRE distance)
  std::array<Cycles, 4> act_window_{};  // the last four ACTs, ring indexed by act_count_ % 4
  std::uint64_t act_count_ = 0;
  Cycles last_col_{0};
  bool any_col_ = false;
  Cycles last_rd_{0}, last_wr_{0};  // issue cycles of the latest RD and WR (turnarounds)
  bool any_rd_ = false, any_wr_ = false;
  Cycles data_free_{0};          // first free cycle of the data bus
  Cycles next_due_{0};           // next refresh due time (kNever without refresh)
  Cycles idle_from_{0};          // everything scheduled so far is over by this cycle
  Cycles request_idle_from_{0};  // same, counting request activity only (power-down timers)
  Cycles ready_{0};              // no command before this (power-down / self-refresh exit latency)
  bool powered_ = true;          // false between power_off and power_on: no background, no refresh

  BackgroundMeter meter_;
  std::array<std::uint64_t, kBackgroundStateCount> charged_cycles_{};
  Cycles charged_to_{0};  // the meter's time at the last background charge
  std::array<std::uint64_t, kLpddr4CommandCount> counts_{};
  std::uint64_t busy_cycles_ = 0;
  std::vector<Lpddr4CommandRecord>* log_ = nullptr;
  std::vector<Lpddr4CommandRecord>* check_log_ = nullptr;
  Cycles watermark_{0};
  TraceSink* trace_ = nullptr;
  std::vector<TraceSink::Id> bank_signals_;
};

}  // namespace hmasim
