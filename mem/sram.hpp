// `sram`: banked on-chip SRAM. Words of port_width bytes interleave over the banks
// (bank = (address / port_width) % banks); each bank is pipelined and starts one word every
// bank_cycle cycles. A request's words go to their banks in address order, each starting at
// max(previous word's start, its bank's next-free cycle), so words to different banks overlap and
// words to the same bank serialise. The request completes one read/write latency after its last
// word started. Power gating loses the contents and drops leakage to zero.
//
// Traces (besides the base's): wires memories.<instance>.bank<i>_busy, 1 while a word occupies
// the bank (bank_cycle per word; back-to-back words are one interval).
//
// Memory block keys:
//   model: sram
//   capacity, clock (default 1GHz), alignment, storage      (see memory_config.hpp)
//   banks            independent banks (default 1)
//   port_width       bytes per bank access, e.g. 8B
//   read_latency     cycles from a word's start to its data (integer)
//   write_latency    cycles from a word's start to its completion (integer)
//   bank_cycle       cycles a bank is busy per word (default 1: fully pipelined)
//   read_energy      energy per port-width read access
//   write_energy     energy per port-width write access
//   leakage_per_mib  leakage per MiB of capacity ...
//   leakage          ... or the instance's total, which takes precedence
//   area_per_mib     macro area in mm^2 per MiB (default 0: area not reported)
//   wakeup_time      time from power_on until the first access (default 0)
#pragma once

#include <map>
#include <string>
#include <vector>

#include "mem/bank_busy_trace.hpp"
#include "mem/memory_config.hpp"
#include "mem/memory_target.hpp"

namespace hmasim {

struct SramConfig : MemoryConfig {
  std::uint32_t banks = 1;
  Bytes port_width{8};
  Cycles read_latency{1};
  Cycles write_latency{1};
  Cycles bank_cycle{1};
  Energy read_energy{0.0};
  Energy write_energy{0.0};
  Power leakage{0.0};  // total of the instance
  double area_per_mib_mm2 = 0.0;
  Time wakeup_time{0};

  static SramConfig parse(const ConfigNode& node, const std::string& instance);
};

class Sram final : public MemoryTarget {
 public:
  Sram(const sc_core::sc_module_name& name, const SramConfig& config, EnergyLedger& ledger);

  // Every bank starting one port-width word per bank_cycle.
  Bandwidth peak_bandwidth() const override;
  double area_mm2() const override;
  std::map<std::string, std::uint64_t> command_counts() const override;
  const SramConfig& config() const { return config_; }

 protected:
  Outcome serve(const Request& request) override;
  bool retains_contents() const override { return false; }
  Time wakeup_time() const override { return config_.wakeup_time; }
  void on_power_off(Time at) override;
  void on_power_on(Time at) override { set_static_power(config_.leakage, at); }
  void on_trace(TraceSink* sink) override {
    busy_.attach(sink, trace_scope(), config_.banks, clock());
  }

 private:
  // The word loop, with or without busy reports (tracing off: no per-word branch).
  template <bool kTraced>
  Outcome serve_words(const Request& request);

  SramConfig config_;
  std::vector<Cycles> bank_free_;  // first cycle each bank can start a word
  EnergyLedger::ActionId read_, write_;
  std::uint64_t read_words_ = 0;
  std::uint64_t write_words_ = 0;
  BankBusyTrace busy_;
};

}  // namespace hmasim
