// The technology block of an eNVM memory: what a cell technology costs in area, time and energy,
// independent of how large the memory is or how many banks it has. One generic eNVM model covers
// RRAM, CTT, PCM, STT-MRAM and FeFET; a new technology is a new block of numbers (usually a preset
// file in platforms/presets/), not new code.
//
// Keys (`technology:` inside an `envm` memory block; `preset: NAME` loads NAME.yaml underneath,
// keys written in the block override it; any map may carry `source:`, any scalar may be written
// {value: X, source: "..."}):
//
//   name                 display name (optional)
//   max_bits_per_cell    highest MLC mode the technology supports, 1..4 (default 1)
//   -- area: either the cell form ...
//   cell_area_f2         cell area in F^2 (feature size squared)
//   node                 feature size F, e.g. 22nm
//   array_efficiency     cell area / macro area, 0 < e <= 1 (default 1: bare cells, no periphery;
//                        presets derive it from a characterised macro)
//   -- ... or the macro form, which takes precedence when present:
//   area_per_mib         macro area in mm^2 per MiB stored in SLC mode; an MLC memory with b bits
//                        per cell needs 1/b of it
//   -- read (one bank access senses cells_per_access cells in parallel):
//   cells_per_access     cells per bank access; bytes per access = cells x bits_per_cell / 8 and
//                        must be whole. An MLC access delivers b times the data of an SLC access
//                        for about the same energy (the sense amplifiers resolve b bits per cell).
//   read_latency         time from request to data of one access
//   read_cycle           bank occupancy per read; reads are pipelined, so a bank starts a new
//                        read every read_cycle (default: read_latency, i.e. not pipelined)
//   read_energy          energy per access
//   -- write (program-and-verify: each pulse is followed by a verify read; more levels per cell
//      need finer steps, hence more pulses):
//   pulses               map bits-per-cell -> pulses per write access, for every mode 1..max;
//                        must not decrease with bits per cell (modes above max are ignored, so
//                        a block can lower a preset's max_bits_per_cell)
//   pulse_time           duration of one program pulse
//   verify_time          duration of one verify read (default 0)
//   energy_per_pulse     energy of one program pulse over all cells of the access
//   verify_energy        energy of one verify read of the access (default 0)
//                        => write time   = pulses[b] x (pulse_time + verify_time)
//                           write energy = pulses[b] x (energy_per_pulse + verify_energy)
//   -- static power (while powered; gating drops it to the memory's gated_power):
//   leakage_per_mib      leakage per MiB of capacity
//   leakage              total leakage of the instance; takes precedence over leakage_per_mib
//   -- reliability:
//   endurance            program cycles a cell survives (e.g. 1e6)
//   retention            data retention, e.g. 10years, 30days, 3600s (optional; for reports)
//   level_distributions  per bits-per-cell mode, the 2^b level Gaussians (see envm_levels.hpp)
//   sense_offset         input-referred offset of the sense amplifiers on the normalised read axis
//                        (default 0): the amplifier sees read value + offset, so a positive offset
//                        moves every read threshold down and favours up-misreads
//                        (mlc_fault_model.hpp); |offset| < 1
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "core/config_node.hpp"
#include "core/units.hpp"
#include "mem/envm/envm_levels.hpp"

namespace hmasim {

struct EnvmTechnology {
  static constexpr int kMaxBitsPerCell = LevelDistributions::kMaxBitsPerCell;

  std::string name;
  int max_bits_per_cell = 1;

  std::optional<double> area_per_mib_mm2;  // macro form; wins over the cell form when set
  double cell_area_f2 = 0.0;
  double node_nm = 0.0;
  double array_efficiency = 1.0;

  std::uint32_t cells_per_access = 0;
  Time read_latency{0};
  Time read_cycle{0};
  Energy read_energy{0.0};

  std::array<std::uint32_t, kMaxBitsPerCell + 1> pulses{};  // index = bits per cell; 0 unused
  Time pulse_time{0};
  Time verify_time{0};
  Energy energy_per_pulse{0.0};
  Energy verify_energy{0.0};

  std::optional<Power> leakage;  // total; wins over leakage_per_mib when set
  Power leakage_per_mib{0.0};

  double endurance = 0.0;
  std::optional<double> retention_s;
  LevelDistributions levels;
  double sense_offset = 0.0;  // on the normalised read axis; shifts every threshold by -offset

  // Reads and validates a technology block; problems become diagnostics of its document.
  static EnvmTechnology parse(const ConfigNode& node);

  // Bits one bank access delivers in mode `bits_per_cell`.
  std::uint64_t bits_per_access(int bits_per_cell) const {
    return std::uint64_t{cells_per_access} * static_cast<std::uint64_t>(bits_per_cell);
  }
  // Program-and-verify time and energy of one write access in mode `bits_per_cell`.
  Time write_time(int bits_per_cell) const;
  Energy write_energy(int bits_per_cell) const;
  // Macro area of `capacity` bytes stored at `bits_per_cell`.
  double area_mm2(Bytes capacity, int bits_per_cell) const;
  // Leakage of a powered instance of `capacity` bytes.
  Power leakage_of(Bytes capacity) const;
};

}  // namespace hmasim
