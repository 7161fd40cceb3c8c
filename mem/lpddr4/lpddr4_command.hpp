// LPDDR4 commands as the model issues them, and the optional command log (off by default; tests
// and debugging turn it on to check every timing constraint against what was issued).
#pragma once

#include <array>
#include <cstdint>

#include "core/units.hpp"

namespace hmasim {

enum class Lpddr4Command : std::uint8_t {
  ACT,    // activate a row
  PRE,    // precharge one bank (explicit, or the auto-precharge of a closed-page access)
  PREA,   // precharge all banks (before a refresh or self-refresh)
  RD,     // read burst
  WR,     // write burst
  REF,    // all-bank refresh
  PDE,    // power-down entry
  PDX,    // power-down exit
  SRE,    // self-refresh entry
  SRX,    // self-refresh exit
  REFPB,  // per-bank refresh (refresh: per_bank)
};
constexpr std::size_t kLpddr4CommandCount = 11;

inline const char* to_string(Lpddr4Command c) {
  static constexpr std::array<const char*, kLpddr4CommandCount> names = {
      "ACT", "PRE", "PREA", "RD", "WR", "REF", "PDE", "PDX", "SRE", "SRX", "REFpb"};
  return names[static_cast<std::size_t>(c)];
}

struct Lpddr4CommandRecord {
  static constexpr std::uint16_t kAllBanks = 0xFFFF;  // PREA, REF and power states
  Cycles cycle{0};  // issue cycle (auto-precharge: when the bank starts precharging)
  Lpddr4Command command = Lpddr4Command::ACT;
  std::uint16_t channel = 0;
  std::uint16_t bank = kAllBanks;
  std::uint32_t row = 0;  // ACT only
  // PRE only: the auto-precharge of an RDA/WRA, which takes no command-bus slot.
  bool automatic = false;
};

}  // namespace hmasim
