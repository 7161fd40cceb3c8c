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
//   page_policy: open            # open | closed (auto-precharge after the last access of a
//   request) refresh: all_bank            # all_bank | none queue_depth: 32              # requests
//   the controller holds before the initiator must wait power_down:                  # optional;
//   off by default
//     enabled: true
//     idle_cycles: 64            # idle tCK before power-down entry (precharge or active PD)
//     self_refresh_idle_cycles: 100000   # optional: idle tCK before self-refresh entry
//   address_mapping: {byte: [0], column: ["1-10"], row: ["11-26"], bank: ["27-29"], channel: []}
//   timing:                      # cycles of tCK, tCK itself a time
//     tCK: 0.625ns
//     RL: 28  WL: 14  RCD: 29  RPpb: 29  RPab: 34  RAS: 68  RCpb: 97  WR: 29  WTR: 16
//     RTP: 12  RRD: 16  FAW: 64  CCD: 8  REFI: 6246  RFCab: 448  XP: 12  CKE: 12  SR: 24
//     XSR: 460  REFIpb: 780  RFCpb: 224   (the last two: per-bank refresh, optional, unused)
//   currents:                    # supply voltages, and each IDD per rail
//     VDD1: 1.8V  VDD2: 1.1V  VDDQ: 1.1V
//     IDD0: {VDD1: 3.5mA, VDD2: 45mA, VDDQ: 0.75mA}
//     ... IDD2N IDD2P IDD3N IDD3P IDD4R IDD4W IDD5 IDD6, and IDD5PB (optional, unused)
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
  // Per-bank refresh parameters: accepted so a full memspec can be written, not modelled.
  Cycles REFIpb{0}, RFCpb{0};
};

struct Lpddr4Currents {
  dram::Rails<Voltage> supply;
  dram::Rails<Current> IDD0, IDD2N, IDD2P, IDD3N, IDD3P, IDD4R, IDD4W, IDD5, IDD6;
  dram::Rails<Current> IDD5PB;  // per-bank refresh: accepted, not modelled
};

enum class PagePolicy { open, closed };
enum class RefreshPolicy { all_bank, none };

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
