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
//   -- read (one bank access senses up to cells_per_access cells, one bitline each):
//   cells_per_access     bitlines (cells) one bank access connects; bytes per access = cells
//                        sensed x bits_per_cell / 8 and must be whole. Without sense_amplifiers
//                        every connected cell is sensed, so an MLC access delivers b times the
//                        data of an SLC access for about the same energy.
//   sensing              parallel | sequential (default parallel): how a b-bit cell is resolved
//     parallel           flash-ADC-like (MaxNVM Sec. 2.3): 2^b - 1 sense amplifiers per sensed
//                        bitline, each against its own reference, decode the level in one step;
//                        read time does not grow with b
//     sequential         one sense amplifier per bitline, b binary-search conversion steps: each
//                        step after the first adds sense_time to the read latency and the bank
//                        occupancy
//   sense_amplifiers     sense amplifiers per bank (optional; default: as many as the connected
//                        cells need). Fixed, they limit the cells sensed per access (column
//                        multiplexing): parallel sensing senses floor(sense_amplifiers / (2^b - 1))
//                        cells, sequential floor(sense_amplifiers); at most cells_per_access, and
//                        rounded down to whole bytes per access (the rest of the amplifiers idle)
//   sense_time           one conversion step of sequential sensing (required with sequential,
//                        rejected with parallel)
//   read_latency         time from request to data of one access: a time, or a map
//                        bits-per-cell -> time for every mode 1..max (a characterised array per
//                        mode; modes above max are ignored). Sequential sensing adds
//                        (b - 1) x sense_time to it
//   read_cycle           bank occupancy per read, a time or a map like read_latency; reads are
//                        pipelined, so a bank starts a new read every read_cycle (default:
//                        read_latency, i.e. not pipelined). Sequential: + (b - 1) x sense_time
//                        => read latency(b) = read_latency[b] + steps(b) x sense_time
//                           bank occupancy(b) = read_cycle[b] + steps(b) x sense_time,
//                           steps(b) = b - 1 for sequential, 0 for parallel
//   read_bandwidth       characterised array read bandwidth, e.g. 9GB/s (optional): caps the
//                        read data rate of the whole memory below banks x bytes per access /
//                        read_cycle (the array's shared I/O: consecutive read accesses start at
//                        least bytes per access / read_bandwidth apart, over all banks)
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

  enum class Sensing { parallel, sequential };

  std::uint32_t cells_per_access = 0;
  Sensing sensing = Sensing::parallel;
  std::optional<std::uint32_t> sense_amplifiers;  // per bank; unset: not a limit
  Time sense_time{0};                             // sequential: per conversion step after the first
  // The scalar form of read_latency / read_cycle (with a map: its mode 1); per mode below.
  Time read_latency{0};
  Time read_cycle{0};
  std::array<Time, kMaxBitsPerCell + 1> read_latency_by_mode{};  // index = bits per cell
  std::array<Time, kMaxBitsPerCell + 1> read_cycle_by_mode{};
  std::optional<Bandwidth> read_bandwidth;  // characterised array read bandwidth (a cap)
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

  // Cells one bank access senses in mode `bits_per_cell` (see sense_amplifiers).
  std::uint32_t cells_sensed(int bits_per_cell) const;
  // Bits one bank access delivers in mode `bits_per_cell`.
  std::uint64_t bits_per_access(int bits_per_cell) const {
    return std::uint64_t{cells_sensed(bits_per_cell)} * static_cast<std::uint64_t>(bits_per_cell);
  }
  // Conversion steps of one read beyond the first: b - 1 for sequential sensing, 0 for parallel.
  int extra_sense_steps(int bits_per_cell) const {
    return sensing == Sensing::sequential ? bits_per_cell - 1 : 0;
  }
  // Read latency and bank occupancy of one access in mode `bits_per_cell`, sensing included.
  Time read_time(int bits_per_cell) const;
  Time read_occupancy(int bits_per_cell) const;
  // Program-and-verify time and energy of one write access in mode `bits_per_cell`.
  Time write_time(int bits_per_cell) const;
  Energy write_energy(int bits_per_cell) const;
  // Macro area of `capacity` bytes stored at `bits_per_cell`.
  double area_mm2(Bytes capacity, int bits_per_cell) const;
  // Leakage of a powered instance of `capacity` bytes.
  Power leakage_of(Bytes capacity) const;
};

}  // namespace hmasim
