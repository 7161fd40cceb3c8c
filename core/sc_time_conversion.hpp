// Conversion between hmasim::Time (integer picoseconds) and sc_core::sc_time. hmasim keeps
// SystemC's default 1 ps resolution; both directions are then exact integer copies.
#pragma once

#include <systemc>

#include "core/units.hpp"

namespace hmasim {

inline void require_picosecond_resolution() {
  if (sc_core::sc_get_time_resolution() != sc_core::sc_time(1, sc_core::SC_PS)) {
    throw std::logic_error("hmasim needs the SystemC time resolution at 1 ps");
  }
}
inline Time from_sc_time(const sc_core::sc_time& t) {
  return Time(t.value());
}
inline sc_core::sc_time to_sc_time(Time t) {
  return sc_core::sc_time::from_value(t.value());
}

}  // namespace hmasim
