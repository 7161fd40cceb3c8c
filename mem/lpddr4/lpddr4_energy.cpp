#include "mem/lpddr4/lpddr4_energy.hpp"

namespace hmasim {

Lpddr4Energy Lpddr4Energy::from_config(const Lpddr4Config& c) {
  const Lpddr4Currents& i = c.currents;
  const Lpddr4Timing& t = c.timing;
  const auto& v = i.supply;
  // Cycles of tCK as a span of time.
  const auto span = [&](Cycles n) { return Time(n.value() * t.tCK.value()); };
  Lpddr4Energy e;
  e.tck = t.tCK;
  e.act = dram::power_of_difference(v, i.IDD0, i.IDD3N) * span(t.RAS);
  e.pre = dram::power_of_difference(v, i.IDD0, i.IDD2N) * span(t.RPpb);
  e.rd = dram::power_of_difference(v, i.IDD4R, i.IDD3N) * span(c.burst_cycles());
  e.wr = dram::power_of_difference(v, i.IDD4W, i.IDD3N) * span(c.burst_cycles());
  e.ref = dram::power_of_difference(v, i.IDD5, i.IDD3N) * span(t.RFCab);
  auto set = [&](BackgroundState s, const dram::Rails<Current>& idd) {
    e.background[static_cast<std::size_t>(s)] = dram::power_of(v, idd);
  };
  set(BackgroundState::active_standby, i.IDD3N);
  set(BackgroundState::precharge_standby, i.IDD2N);
  set(BackgroundState::active_power_down, i.IDD3P);
  set(BackgroundState::precharge_power_down, i.IDD2P);
  set(BackgroundState::self_refresh, i.IDD6);
  return e;
}

}  // namespace hmasim
