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
//   fit_to_contents  true: area and leakage are those of the bytes the run places in the memory
//                    (fit_to()), rounded up to fit_granularity (default 1MiB), as if the array
//                    were sized to its contents; timing and addressing stay the capacity's
//                    (default false: the whole capacity)
//   faults           MLC read faults (optional; default off, reads return what was stored):
//     mode           off | program (persistent fault map from programming variation, drawn
//                    anew for a block each time it is reprogrammed) | read
//                    (new draws on every read access); see fault_injector.hpp
//     seed           seed of the fault draws: same seed, same faults (default: derived from the
//                    run's --seed and the memory name; 1 for a memory replayed on its own)
//     coding         gray | binary (default gray): how levels hold bits (level_coding.hpp)
//                    A fault mode needs the technology's level_distributions for bits_per_cell.
//
// Timing: the address space is cut into access units of cells sensed per access x bits_per_cell
// / 8 bytes (technology: cells_per_access, limited by sense_amplifiers), interleaved over the
// banks (bank = unit % banks). A request's units go to their banks in address order, each
// starting at max(previous unit's start, its bank's next-free cycle). A read occupies its bank
// for the technology's read occupancy at bits_per_cell (read_cycle, plus (b - 1) x sense_time
// with sequential sensing; reads pipeline) and delivers after its read latency (read_latency,
// the same way). With the technology's read_bandwidth, read units also take turns on the array's
// shared read port: consecutive units' slots open bytes per unit / read_bandwidth apart, kept
// in picoseconds so a long burst runs at the cap exactly; a unit starts in the cycle its slot
// opens in. A write holds its bank for the whole program-and-verify sequence, pulses[b] x
// (pulse_time + verify_time), which is also its latency. All times round up to whole controller
// cycles. peak_bandwidth() is the banks' rate, or read_bandwidth where that is lower
// (read_bandwidth_limits()).
// Energy: "read" per read access, "write" per write access (pulses x (pulse + verify) energy),
// leakage while powered. Writes are counted per endurance block. Power gating keeps the contents.
//
// Traces (besides the base's), in memories.<instance>: wires bank<i>_busy, 1 while a read
// (read_cycle) or a program-and-verify write (its whole sequence) occupies the bank, from the
// access's start; and fault_mode (2 bits, constant: 0 off, 1 program, 2 read).
//
// Faults: every read returns the stored bytes with the misreads of their cells (on_read_data),
// drawn by a FaultInjector from the technology's level distributions and sense_offset. By default
// the whole memory is one layout at the memory's bits_per_cell and faults.coding, cells numbered
// from address 0; set_region gives a byte range its own cell mode (e.g. a bitmask in SLC next to
// values in MLC3), cells numbered from the region's start. Each access unit of cells_per_access
// cells draws its faults independently (fault_injector.hpp). debug_read returns stored bytes.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mem/bank_busy_trace.hpp"
#include "mem/envm/envm_endurance.hpp"
#include "mem/envm/envm_technology.hpp"
#include "mem/faults/fault_injector.hpp"
#include "mem/memory_config.hpp"
#include "mem/memory_target.hpp"

namespace hmasim {

struct EnvmFaultConfig {
  FaultMode mode = FaultMode::off;
  // Unset: `hmasim run` derives it from the run's --seed and the memory's name; a memory built
  // on its own (replay, tests) uses kDefaultFaultSeed.
  std::optional<std::uint64_t> seed;
  LevelCoding coding = LevelCoding::gray;
};

constexpr std::uint64_t kDefaultFaultSeed = 1;

struct EnvmConfig : MemoryConfig {
  EnvmTechnology technology;
  int bits_per_cell = 1;
  std::uint32_t banks = 1;
  Bytes endurance_block{4096};
  Time wakeup_time{0};
  Power gated_power{0.0};
  bool fit_to_contents = false;
  Bytes fit_granularity{1024 * 1024};
  EnvmFaultConfig faults;

  // Bytes one bank access moves: cells_per_access x bits_per_cell / 8.
  Bytes access_bytes() const { return Bytes(technology.bits_per_access(bits_per_cell) / 8); }

  static EnvmConfig parse(const ConfigNode& node, const std::string& instance);
};

class Envm final : public MemoryTarget {
 public:
  Envm(const sc_core::sc_module_name& name, const EnvmConfig& config, EnergyLedger& ledger);

  // Every bank starting one read per read occupancy, capped by the technology's read_bandwidth.
  Bandwidth peak_bandwidth() const override;
  // banks x bytes per access / read occupancy (whole controller cycles), before the cap.
  Bandwidth bank_bandwidth() const;
  // Whether the technology's read_bandwidth, not the banks, sets peak_bandwidth().
  bool read_bandwidth_limits() const;
  double area_mm2() const override;
  std::map<std::string, std::uint64_t> command_counts() const override;

  const EnvmConfig& config() const { return config_; }
  int bits_per_cell() const { return config_.bits_per_cell; }
  // With fit_to_contents: sizes the array's area and leakage to `used` bytes (before the
  // simulation starts); otherwise nothing. fitted_capacity(): the bytes they are charged for.
  void fit_to(Bytes used);
  Bytes fitted_capacity() const { return fitted_; }
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

  // Faults. Gives [address, address + length) its own cell mode; the range must lie in the
  // memory, must not overlap an earlier region, and with faults on needs the technology's level
  // distributions for `bits_per_cell` (std::invalid_argument otherwise). Without faults regions
  // are checked and kept, and change nothing.
  void set_region(std::uint64_t address, Bytes length, int bits_per_cell, LevelCoding coding);
  // Back to the memory's own mode everywhere (statistics are kept).
  void clear_regions();
  FaultMode fault_mode() const { return config_.faults.mode; }
  LevelCoding fault_coding() const { return config_.faults.coding; }
  std::uint64_t fault_seed() const { return config_.faults.seed.value_or(kDefaultFaultSeed); }
  // Totals over the whole memory since construction.
  FaultStats fault_stats() const;
  // The fault model of `bits_per_cell`; nullptr without level distributions for it.
  const MlcFaultModel* fault_model(int bits_per_cell) const;

 protected:
  Outcome serve(const Request& request) override;
  bool retains_contents() const override { return true; }
  Time wakeup_time() const override { return config_.wakeup_time; }
  void on_power_off(Time at) override { set_static_power(config_.gated_power, at); }
  Power state_power(PowerState s) const override {
    return s == PowerState::off ? config_.gated_power : MemoryTarget::state_power(s);
  }
  void on_power_on(Time at) override { set_static_power(leakage_, at); }
  void on_read_data(std::uint64_t address, std::uint8_t* data, std::uint32_t length) override;
  void on_trace(TraceSink* sink) override;

 private:
  // The access-unit loop, with or without busy reports (tracing off: no per-unit branch).
  template <bool kTraced>
  Outcome serve_units(const Request& request);
  // A byte range with one cell layout; no injector while faults are off.
  struct FaultRegion {
    std::uint64_t begin = 0, end = 0;
    std::unique_ptr<FaultInjector> injector;
    FaultInjector::StoredBytes stored;  // stored bytes of the region, by region offset
  };
  FaultRegion make_region(std::uint64_t begin, std::uint64_t end, int bits_per_cell,
                          LevelCoding coding);
  void inject(FaultRegion& region, std::uint64_t from, std::uint64_t to, std::uint8_t* data);

  EnvmConfig config_;
  Bytes access_bytes_;
  Cycles read_latency_;
  Cycles read_cycle_;
  Cycles write_cycles_;  // program-and-verify: bank occupancy and latency of a write access
  Energy write_energy_;  // per write access
  Power leakage_;
  Bytes fitted_;                   // the capacity area and leakage are charged for
  std::vector<Cycles> bank_free_;  // first cycle each bank can start an access
  Time port_interval_{0};          // read_bandwidth: time per read access unit (0: no cap)
  Time port_free_{0};              // read_bandwidth: when the next read unit's slot opens
  EnduranceCounter wear_;
  EnergyLedger::ActionId read_, write_;
  std::uint64_t read_accesses_ = 0;
  std::uint64_t write_accesses_ = 0;
  std::array<std::optional<MlcFaultModel>, EnvmTechnology::kMaxBitsPerCell + 1> fault_models_;
  FaultRegion whole_;                             // the memory's own mode, outside any region
  std::map<std::uint64_t, FaultRegion> regions_;  // by first address
  FaultStats cleared_stats_;                      // of regions dropped by clear_regions
  BankBusyTrace busy_;
};

}  // namespace hmasim
