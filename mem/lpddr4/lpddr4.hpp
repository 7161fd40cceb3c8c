// `lpddr4`: a JEDEC LPDDR4 memory behind an in-order (FCFS) controller, one or more independent
// x16 channels. The front end (this class) accepts requests into a queue of `queue_depth`, splits
// each into bursts (BL16 x 2 B = 32 B), maps every burst to channel / bank / row / column and hands
// it to the channel's back end (Lpddr4Channel: bank state machines, buses, refresh, power-down,
// energy). A request is accepted when it enters the queue and done when its last data beat has
// crossed the data bus.
//
// Energy goes to the ledger as the actions ACT, PRE, RD, WR, REF (DRAMPower increments; PRE
// counts each bank a PREA closes and each auto-precharge) and the static share "background".
//
// Traces (besides the base's): per channel c and bank b, signal memories.<instance>.ch<c>.bank<b>
// of 2 bits, the bank's state (Lpddr4BankState: 0 precharged, 1 active, 2 refreshing, 3 powered
// down or in self-refresh) from the issue cycle of each command on. Idle periods are accounted
// lazily, so accounted_until() is the earliest over channels of where that accounting starts.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "mem/lpddr4/lpddr4_channel.hpp"
#include "mem/lpddr4/lpddr4_command.hpp"
#include "mem/lpddr4/lpddr4_config.hpp"
#include "mem/lpddr4/lpddr4_energy.hpp"
#include "mem/memory_target.hpp"

namespace hmasim {

class Lpddr4 final : public MemoryTarget {
 public:
  Lpddr4(const sc_core::sc_module_name& name, const Lpddr4Config& config, EnergyLedger& ledger);

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
};

}  // namespace hmasim
