// LPDDR4 energy by the DRAMPower method, rail by rail: each command costs the current it draws
// above the standby baseline, over the time it keeps the array busy (V x I per supply rail):
//   E_ACT = V (IDD0 - IDD3N) tRAS        E_PRE = V (IDD0 - IDD2N) tRPpb  (PREA: per bank closed)
//   E_RD  = V (IDD4R - IDD3N) BL/2 tCK   E_WR  = V (IDD4W - IDD3N) BL/2 tCK
//   E_REF = V (IDD5 - IDD3N) tRFCab      E_REFpb = V (IDD5PB - IDD3N) tRFCpb
// and the background is the state current over the time spent in the state (BackgroundState).
//
// DRAMPower reports the array ("core") energy of VDD1 + VDD2; the VDDQ rail feeds the I/O
// drivers and is a separate ("io") figure. Every energy here is kept per rail group, and
// total = core + io is what the ledger is charged.
#pragma once

#include <array>

#include "core/units.hpp"
#include "mem/lpddr4/lpddr4_background.hpp"
#include "mem/lpddr4/lpddr4_config.hpp"

namespace hmasim {

// An energy (or power) split into the core rails (VDD1 + VDD2) and the I/O rail (VDDQ).
template <class Q>
struct CoreIo {
  Q core{0.0};
  Q io{0.0};
  Q total() const { return core + io; }
};

struct Lpddr4Energy {
  CoreIo<Energy> act, pre, rd, wr, ref, refpb;
  std::array<CoreIo<Power>, kBackgroundStateCount> background{};
  Time tck{0};

  static Lpddr4Energy from_config(const Lpddr4Config& c);
  // Background energy of `n` cycles in state `s`, per rail group.
  CoreIo<Energy> background_energy(BackgroundState s, std::uint64_t n) const {
    const CoreIo<Power>& p = background[static_cast<std::size_t>(s)];
    const Time span(n * tck.value());
    return {p.core * span, p.io * span};
  }
};

// Energy figures of a memory instance, per class, split core / io (Lpddr4::energy_by_rail).
struct Lpddr4RailReport {
  // In order: ACT, PRE, RD, WR, REF, REFpb, background.
  static constexpr std::size_t kClasses = 7;
  static constexpr std::array<const char*, kClasses> kNames = {"ACT", "PRE",   "RD",        "WR",
                                                               "REF", "REFpb", "background"};
  std::array<CoreIo<Energy>, kClasses> by_class{};
  CoreIo<Energy> sum() const {
    CoreIo<Energy> s;
    for (const auto& e : by_class) {
      s.core += e.core;
      s.io += e.io;
    }
    return s;
  }
};

}  // namespace hmasim
