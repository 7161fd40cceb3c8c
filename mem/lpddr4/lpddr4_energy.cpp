#include "mem/lpddr4/lpddr4_energy.hpp"

namespace hmasim {

namespace {
// V x (a - b) on the core rails and on the I/O rail, over `span`.
CoreIo<Energy> increment(const dram::Rails<Voltage>& v, const dram::Rails<Current>& a,
                         const dram::Rails<Current>& b, Time span) {
  const Power core = v.vdd1 * (a.vdd1 - b.vdd1) + v.vdd2 * (a.vdd2 - b.vdd2);
  const Power io = v.vddq * (a.vddq - b.vddq);
  return {core * span, io * span};
}
CoreIo<Power> power(const dram::Rails<Voltage>& v, const dram::Rails<Current>& i) {
  return {v.vdd1 * i.vdd1 + v.vdd2 * i.vdd2, v.vddq * i.vddq};
}
}  // namespace

Lpddr4Energy Lpddr4Energy::from_config(const Lpddr4Config& c) {
  const Lpddr4Currents& i = c.currents;
  const Lpddr4Timing& t = c.timing;
  const auto& v = i.supply;
  // Cycles of tCK as a span of time.
  const auto span = [&](Cycles n) { return Time(n.value() * t.tCK.value()); };
  Lpddr4Energy e;
  e.tck = t.tCK;
  e.act = increment(v, i.IDD0, i.IDD3N, span(t.RAS));
  e.pre = increment(v, i.IDD0, i.IDD2N, span(t.RPpb));
  e.rd = increment(v, i.IDD4R, i.IDD3N, span(c.burst_cycles()));
  e.wr = increment(v, i.IDD4W, i.IDD3N, span(c.burst_cycles()));
  e.ref = increment(v, i.IDD5, i.IDD3N, span(t.RFCab));
  e.refpb = increment(v, i.IDD5PB, i.IDD3N, span(t.RFCpb));
  auto set = [&](BackgroundState s, const dram::Rails<Current>& idd) {
    e.background[static_cast<std::size_t>(s)] = power(v, idd);
  };
  set(BackgroundState::active_standby, i.IDD3N);
  set(BackgroundState::precharge_standby, i.IDD2N);
  set(BackgroundState::active_power_down, i.IDD3P);
  set(BackgroundState::precharge_power_down, i.IDD2P);
  set(BackgroundState::self_refresh, i.IDD6);
  return e;
}

}  // namespace hmasim
