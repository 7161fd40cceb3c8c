// A clock domain: converts between its cycles and simulated time with exact integer arithmetic.
#pragma once

#include <stdexcept>

#include "core/units.hpp"

namespace hmasim {

class Clock {
 public:
  Clock() = default;
  explicit Clock(Frequency f) : hz_(f.value()) {
    if (hz_ == 0) throw std::invalid_argument("clock frequency must be positive");
  }

  Frequency frequency() const { return Frequency(hz_); }
  // Period rounded to the nearest picosecond (exact for 1 GHz, 1.6 GHz, 800 MHz ...).
  Time period() const { return time_of(Cycles(1)); }

  // Start time of cycle `c`: c * 1e12 / f, rounded to the nearest picosecond. Computed from the
  // cycle count every time, so no error accumulates however long the run.
  Time time_of(Cycles c) const {
    const unsigned __int128 num = static_cast<unsigned __int128>(c.value()) * kPsPerSecond;
    const unsigned __int128 ps = (num + hz_ / 2) / hz_;
    // Beyond 2^64 ps (213 days) time would wrap: a configuration far outside its bounds.
    if (ps > UINT64_MAX) throw std::overflow_error("simulated time beyond 2^64 ps (213 days)");
    return Time(static_cast<std::uint64_t>(ps));
  }
  // First cycle that starts at or after `t` (a request arriving mid-cycle waits for the next edge).
  Cycles cycle_at_or_after(Time t) const {
    const unsigned __int128 num = static_cast<unsigned __int128>(t.value()) * hz_;
    Cycles c(static_cast<std::uint64_t>((num + kPsPerSecond - 1) / kPsPerSecond));
    // Rounding of time_of can put the edge a picosecond either side; settle it exactly.
    while (c.value() > 0 && time_of(Cycles(c.value() - 1)) >= t) c = Cycles(c.value() - 1);
    while (time_of(c) < t) c = Cycles(c.value() + 1);
    return c;
  }
  // Smallest number of whole cycles that lasts at least `t`.
  Cycles cycles_for(Time t) const {
    const unsigned __int128 num = static_cast<unsigned __int128>(t.value()) * hz_;
    return Cycles(static_cast<std::uint64_t>((num + kPsPerSecond - 1) / kPsPerSecond));
  }

 private:
  static constexpr std::uint64_t kPsPerSecond = 1'000'000'000'000ULL;
  std::uint64_t hz_ = 1'000'000'000ULL;
};

}  // namespace hmasim
