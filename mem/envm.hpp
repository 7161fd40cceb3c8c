// `envm`: one generic embedded non-volatile memory model for RRAM, CTT, PCM, STT-MRAM and FeFET,
// selected by a technology block (envm_technology.hpp) and a bits-per-cell mode.
//
// Memory block keys:
//   model: envm
//   capacity, clock (controller clock, default 1GHz), alignment, storage   (see memory_config.hpp)
//   technology       the technology block, usually {preset: rram} plus overrides
//   bits_per_cell    MLC mode 1..4 (default 1), at most the technology's max_bits_per_cell
//   banks            independent banks (default 1)
//   endurance_block  block size for write counting (default 4KiB)
//   wakeup_time      time from power_on until the first access (default 0)
//   gated_power      static power while power-gated, e.g. retention bias (default 0: the cells
//                    hold their data unpowered)
//
// Timing: the address space is cut into access units of cells_per_access x bits_per_cell / 8
// bytes, interleaved over the banks (bank = unit % banks). A request's units go to their banks in
// address order, each starting at max(previous unit's start, its bank's next-free cycle). A read
// occupies its bank for read_cycle (reads pipeline) and delivers after read_latency; a write
// holds its bank for the whole program-and-verify sequence, pulses[b] x (pulse_time +
// verify_time), which is also its latency. All times round up to whole controller cycles.
// Energy: "read" per read access, "write" per write access (pulses x (pulse + verify) energy),
// leakage while powered. Writes are counted per endurance block. Power gating keeps the contents.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "mem/envm_endurance.hpp"
#include "mem/envm_technology.hpp"
#include "mem/memory_config.hpp"
#include "mem/memory_target.hpp"

namespace hmasim {

struct EnvmConfig : MemoryConfig {
  EnvmTechnology technology;
  int bits_per_cell = 1;
  std::uint32_t banks = 1;
  Bytes endurance_block{4096};
  Time wakeup_time{0};
  Power gated_power{0.0};

  // Bytes one bank access moves: cells_per_access x bits_per_cell / 8.
  Bytes access_bytes() const { return Bytes(technology.bits_per_access(bits_per_cell) / 8); }

  static EnvmConfig parse(const ConfigNode& node, const std::string& instance);
};

class Envm final : public MemoryTarget {
 public:
  Envm(const sc_core::sc_module_name& name, const EnvmConfig& config, EnergyLedger& ledger);

  // Every bank starting one read per read_cycle.
  Bandwidth peak_bandwidth() const override;
  double area_mm2() const override;
  std::map<std::string, std::uint64_t> command_counts() const override;

  const EnvmConfig& config() const { return config_; }
  int bits_per_cell() const { return config_.bits_per_cell; }
  Bytes access_bytes() const { return access_bytes_; }

  // Endurance: program operations per block, and the technology's limit per cell.
  const EnduranceCounter& endurance_counter() const { return wear_; }
  std::uint64_t block_writes(std::size_t block) const { return wear_.writes(block); }
  std::uint64_t max_block_writes() const { return wear_.max_writes(); }
  double endurance() const { return config_.technology.endurance; }
  // Fraction of the endurance used by the most-written block.
  double wear_fraction() const {
    return static_cast<double>(wear_.max_writes()) / config_.technology.endurance;
  }

 protected:
  Outcome serve(const Request& request) override;
  bool retains_contents() const override { return true; }
  Time wakeup_time() const override { return config_.wakeup_time; }
  void on_power_off(Time at) override { set_static_power(config_.gated_power, at); }
  void on_power_on(Time at) override { set_static_power(leakage_, at); }

 private:
  EnvmConfig config_;
  Bytes access_bytes_;
  Cycles read_latency_;
  Cycles read_cycle_;
  Cycles write_cycles_;  // program-and-verify: bank occupancy and latency of a write access
  Energy write_energy_;  // per write access
  Power leakage_;
  std::vector<Cycles> bank_free_;  // first cycle each bank can start an access
  EnduranceCounter wear_;
  EnergyLedger::ActionId read_, write_;
  std::uint64_t read_accesses_ = 0;
  std::uint64_t write_accesses_ = 0;
};

}  // namespace hmasim
