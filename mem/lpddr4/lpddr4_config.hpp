// The validated runtime configuration of the `lpddr4` model: geometry, JEDEC timing in clock
// cycles, IDD currents per supply rail, address mapping and controller policies.
//
// YAML block (under `memories: <name>:`), every key checked, unknown keys are errors:
//
//   model: lpddr4
//   preset: lpddr4-3200          # optional: inherit geometry, timing and currents from
//                                # platforms/presets/lpddr4-3200.yaml; any key below overrides
//   capacity: 1GiB               # = channels x banks x rows x columns x width_bits/8
//   channels: 1                  # independent x16 channels: own banks, command and data bus
//   width_bits: 16               # data bus width of one channel
//   burst_length: 16             # BL16 or BL32; one burst moves width_bits/8 x BL bytes
//   banks: 8
//   rows: 65536
//   columns: 1024
//   controller:                  # optional; see docs/lpddr4.md
//     scheduler: in_order        # in_order (today's lookahead FCFS, for b_transport
//                                # initiators such as the DMA) | fcfs | fr_fcfs | fr_fcfs_grp
//                                # (request buffers, nb_transport AT 4-phase)
//     buffer: per_bank           # per_bank | global (buffered schedulers only)
//     buffer_depth: 8            # requests per bank (per_bank) or in all (global)
//     responses: in_order        # in_order | out_of_order (per initiator)
//   page_policy: open            # open | closed | open_adaptive | closed_adaptive
//   refresh: all_bank            # all_bank | per_bank (buffered) | none
//   queue_depth: 32              # in_order only: requests held before the initiator waits
//   power_down:                  # optional; off by default
//     enabled: true
//     idle_cycles: 64            # idle tCK before power-down entry (precharge or active PD)
//     self_refresh_idle_cycles: 100000   # optional: idle tCK before self-refresh entry
//   address_mapping: {byte: [0], column: ["1-10"], row: ["11-26"], bank: ["27-29"], channel: []}
//   timing:                      # cycles of tCK, tCK itself a time
//     tCK: 0.625ns
//     RL: 28  WL: 14  RCD: 29  RPpb: 29  RPab: 34  RAS: 68  RCpb: 97  WR: 29  WTR: 16
//     RTP: 12  RRD: 16  FAW: 64  CCD: 8  REFI: 6246  RFCab: 448  XP: 12  CKE: 12  SR: 24
//     XSR: 460  REFIpb: 780  RFCpb: 224  PPD: 4
//     DQSCK: 6  DQSS: 1  DQS2DQ: 2  WPRE: 2  RPST: 0   (optional, 0 if absent)
//   currents:                    # supply voltages, and each IDD per rail
//     VDD1: 1.8V  VDD2: 1.1V  VDDQ: 1.1V
//     IDD0: {VDD1: 3.5mA, VDD2: 45mA, VDDQ: 0.75mA}
//     ... IDD2N IDD2P IDD3N IDD3P IDD4R IDD4W IDD5 IDD6, and IDD5PB (per-bank refresh)
//   memspec: file.json           # instead of preset (not both): geometry, capacity, timing and
//                                # currents from a DRAMSys LPDDR4 memspec JSON, relative to the
//                                # platform file; keys above override it (memspec_json.hpp)
//
// Currents and voltages are written with units (A, mA, uA; V, mV).
#pragma once

#include <cstdint>
#include <string>

#include "core/units.hpp"
#include "mem/lpddr4/address_mapping.hpp"
#include "mem/memory_config.hpp"

namespace hmasim {

namespace dram {
// One value per LPDDR4 supply rail.
template <class T>
struct Rails {
  T vdd1{};
  T vdd2{};
  T vddq{};
};

// Power drawn by `current` on every rail: sum of V x I.
inline Power power_of(const Rails<Voltage>& v, const Rails<Current>& i) {
  return v.vdd1 * i.vdd1 + v.vdd2 * i.vdd2 + v.vddq * i.vddq;
}
// Power of the difference of two currents, rail by rail (the DRAMPower command increments).
inline Power power_of_difference(const Rails<Voltage>& v, const Rails<Current>& a,
                                 const Rails<Current>& b) {
  return v.vdd1 * (a.vdd1 - b.vdd1) + v.vdd2 * (a.vdd2 - b.vdd2) + v.vddq * (a.vddq - b.vddq);
}
}  // namespace dram

// JEDEC timing parameters, in cycles of tCK (the names of the LPDDR4 standard without the 't').
struct Lpddr4Timing {
  Time tCK{0};
  Cycles RL{0}, WL{0}, RCD{0}, RPpb{0}, RPab{0}, RAS{0}, RCpb{0}, WR{0}, WTR{0}, RTP{0}, RRD{0},
      FAW{0}, CCD{0}, REFI{0}, RFCab{0}, XP{0}, CKE{0}, SR{0}, XSR{0};
  // Per-bank refresh (refresh: per_bank) and the minimum PRE-to-PRE distance.
  Cycles REFIpb{0}, RFCpb{0}, PPD{0};
  // Data-strobe timing of the JEDEC turnarounds (JESD209-4): read DQS output access time
  // (maximum), write DQS latching window, DQS-to-DQ skew, write preamble, read postamble.
  Cycles DQSCK{0}, DQSS{0}, DQS2DQ{0}, WPRE{0}, RPST{0};
};

// The JEDEC JESD209-4 command distances the models and the checker are built on, in tCK.
// Column commands are timed from their first CA cycle.
struct Lpddr4Distances {
  // RD -> WR (any bank): RL + tDQSCK + BL/2 - WL + tWPRE + tRPST.
  static Cycles read_to_write(const Lpddr4Timing& t, Cycles bl2) {
    const Cycles a = t.RL + t.DQSCK + bl2 + t.WPRE + t.RPST;
    return a > t.WL ? a - t.WL : Cycles(0);
  }
  // WR -> RD (any bank): WL + 1 + BL/2 + tWTR.
  static Cycles write_to_read(const Lpddr4Timing& t, Cycles bl2) {
    return t.WL + Cycles(1) + bl2 + t.WTR;
  }
  // WR -> PRE (same bank): WL + BL/2 + 1 + tWR.
  static Cycles write_to_precharge(const Lpddr4Timing& t, Cycles bl2) {
    return t.WL + bl2 + Cycles(1) + t.WR;
  }
  // RD -> PRE (same bank): BL/2 + max(8, tRTP) - 8.
  static Cycles read_to_precharge(const Lpddr4Timing& t, Cycles bl2) {
    return bl2 + max(Cycles(8), t.RTP) - Cycles(8);
  }
  // Cycle after the last read data beat, from the RD: RL + tDQSCK + BL/2.
  static Cycles read_data_end(const Lpddr4Timing& t, Cycles bl2) { return t.RL + t.DQSCK + bl2; }
  // Cycle after the last write data beat, from the WR: WL + tDQSS + BL/2.
  static Cycles write_data_end(const Lpddr4Timing& t, Cycles bl2) { return t.WL + t.DQSS + bl2; }
};

struct Lpddr4Currents {
  dram::Rails<Voltage> supply;
  dram::Rails<Current> IDD0, IDD2N, IDD2P, IDD3N, IDD3P, IDD4R, IDD4W, IDD5, IDD6;
  dram::Rails<Current> IDD5PB;  // per-bank refresh
};

enum class PagePolicy { open, closed, open_adaptive, closed_adaptive };
enum class RefreshPolicy { all_bank, per_bank, none };
enum class SchedulerKind { in_order, fcfs, fr_fcfs, fr_fcfs_grp };
enum class BufferKind { per_bank, global };

// The buffered controller (mem/lpddr4/controller/): scheduler, request buffers, response order.
struct ControllerPolicy {
  SchedulerKind scheduler = SchedulerKind::in_order;
  BufferKind buffer = BufferKind::per_bank;
  std::uint32_t buffer_depth = 8;
  bool responses_in_order = true;
  bool buffered() const { return scheduler != SchedulerKind::in_order; }
};

struct PowerDownPolicy {
  bool enabled = false;
  Cycles idle{0};               // idle cycles before power-down entry
  Cycles self_refresh_idle{0};  // idle cycles before self-refresh entry; 0 = never
};

struct Lpddr4Config : MemoryConfig {
  // Fields of the address mapping, in this order.
  enum Field : std::size_t { kByte, kColumn, kRow, kBank, kChannel, kFieldCount };

  std::uint32_t channels = 1;
  std::uint32_t width_bits = 16;
  std::uint32_t burst_length = 16;
  std::uint32_t banks = 8;
  std::uint32_t rows = 0;
  std::uint32_t columns = 0;
  std::uint32_t queue_depth = 32;
  ControllerPolicy controller;
  PagePolicy page_policy = PagePolicy::open;
  RefreshPolicy refresh = RefreshPolicy::all_bank;
  PowerDownPolicy power_down;
  AddressMapping mapping;
  Lpddr4Timing timing;
  Lpddr4Currents currents;

  // Bytes one burst moves: width_bits / 8 x burst_length (32 B for x16 BL16).
  Bytes burst_bytes() const { return Bytes(std::uint64_t{width_bits} / 8 * burst_length); }
  // Data-bus cycles of one burst (double data rate): BL / 2.
  Cycles burst_cycles() const { return Cycles(burst_length / 2); }

  static Lpddr4Config parse(const ConfigNode& node, const std::string& instance);
};

}  // namespace hmasim
