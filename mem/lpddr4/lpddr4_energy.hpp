// LPDDR4 energy by the DRAMPower method: each command costs the current it draws above the
// standby baseline, over the time it keeps the array busy, summed over the supply rails (V x I):
//   E_ACT = V (IDD0 - IDD3N) tRAS        E_PRE = V (IDD0 - IDD2N) tRPpb  (PREA: per bank closed)
//   E_RD  = V (IDD4R - IDD3N) BL/2 tCK   E_WR  = V (IDD4W - IDD3N) BL/2 tCK
//   E_REF = V (IDD5 - IDD3N) tRFCab
// and the background is the state current over the time spent in the state (BackgroundState).
#pragma once

#include <array>

#include "core/units.hpp"
#include "mem/lpddr4/lpddr4_background.hpp"
#include "mem/lpddr4/lpddr4_config.hpp"

namespace hmasim {

struct Lpddr4Energy {
  Energy act{0.0}, pre{0.0}, rd{0.0}, wr{0.0}, ref{0.0};
  std::array<Power, kBackgroundStateCount> background{};
  Time tck{0};

  static Lpddr4Energy from_config(const Lpddr4Config& c);
  // Background energy of `n` cycles in state `s`.
  Energy background_energy(BackgroundState s, std::uint64_t n) const {
    return background[static_cast<std::size_t>(s)] * Time(n * tck.value());
  }
};

}  // namespace hmasim
