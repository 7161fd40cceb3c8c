#include "hw/power_manager.hpp"

#include <limits>

namespace hmasim {

namespace {
constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
std::size_t index(PowerState s) {
  return static_cast<std::size_t>(s);
}
}  // namespace

PowerManager::PowerManager(std::vector<MemoryTarget*> memories, Datapath datapath,
                           EnergyLedger& ledger)
    : memory_domain_(memories.size(), kNone),
      datapath_components_(datapath.components),
      ledger_(ledger) {
  for (std::size_t m = 0; m < memories.size(); ++m) {
    MemoryTarget* mem = memories[m];
    const PowerConfig& p = mem->power_config();
    if (p.idle == PowerState::on) continue;
    if (p.idle == PowerState::retention && !mem->supports_retention()) {
      throw PowerError("memory '" + mem->instance_name() + "' (" + mem->model_name() +
                       "): power.idle: retention needs power.retention_power (what the " +
                       "model draws while it keeps its contents)" +
                       (mem->model_name() == "lpddr4"
                            ? "; an LPDDR4 enters power-down and self-refresh by itself when "
                              "idle (power_down.self_refresh_idle_cycles): use idle: on, or off"
                            : ""));
    }
    memory_domain_[m] = domains_.size();
    Domain d;
    d.stats = stats_.size();
    d.memory = mem;
    d.power = p;
    d.wake_action = ledger_.add_action(mem->component(), "wake");
    domains_.push_back(d);
    PowerDomainStats s;
    s.name = mem->instance_name();
    s.idle = p.idle;
    stats_.push_back(s);
  }
  if (datapath.power.idle != PowerState::on && !datapath.components.empty()) {
    if (datapath.power.idle == PowerState::retention && !datapath.power.retention_power) {
      throw PowerError("accelerator: power.idle: retention needs power.retention_power");
    }
    Domain d;
    d.stats = stats_.size();
    d.power = datapath.power;
    d.wake_action = ledger_.add_action(datapath.components.front(), "wake");
    domains_.push_back(d);
    PowerDomainStats s;
    s.name = "accelerator";
    s.idle = datapath.power.idle;
    stats_.push_back(s);
  }
  for (Domain& d : domains_) {
    // Break-even: the gap at which the wake-up energy equals the static energy saved.
    PowerDomainStats& s = stats_[d.stats];
    if (d.power.break_even) {
      s.break_even = *d.power.break_even;
    } else if (d.power.wake_energy.value() == 0) {
      s.break_even = Time(0);
    } else {
      const double saved = on_power(d).value() - state_power(d).value();
      s.break_even =
          saved > 0 ? Time(static_cast<std::uint64_t>(d.power.wake_energy.value() / saved * 1e12))
                    : kNeverWorthIt;
    }
  }
}

void PowerManager::add_reload(std::size_t memory, ReloadCopy copy) {
  if (memory >= memory_domain_.size() || memory_domain_[memory] == kNone) return;
  domains_[memory_domain_[memory]].reloads.push_back(copy);
}

Power PowerManager::on_power(const Domain& d) const {
  if (d.memory) return d.memory->idle_power();
  Power p(0.0);
  for (EnergyLedger::ComponentId c : datapath_components_) p = p + ledger_.static_power(c);
  return p;
}

Power PowerManager::state_power(const Domain& d) const {
  if (d.memory) return d.memory->state_power(d.power.idle);
  return d.power.idle == PowerState::retention ? d.power.retention_power.value_or(Power(0.0))
                                               : Power(0.0);
}

Time PowerManager::wake_latency(const Domain& d) const {
  return d.memory ? d.memory->wakeup_time() : d.power.wake_latency.value_or(Time(0));
}

void PowerManager::enter(Domain& d, Time at) {
  if (d.memory) {
    if (d.power.idle == PowerState::off) {
      d.memory->power_off(at);
    } else {
      d.memory->enter_retention(at);
    }
    return;
  }
  // The datapath: its retention power is shared by its units in proportion to their leakage.
  datapath_leakage_.clear();
  Power total(0.0);
  for (EnergyLedger::ComponentId c : datapath_components_) {
    datapath_leakage_.push_back(ledger_.static_power(c));
    total = total + datapath_leakage_.back();
  }
  const Power idle = state_power(d);
  for (std::size_t i = 0; i < datapath_components_.size(); ++i) {
    const double share = total.value() > 0 ? datapath_leakage_[i].value() / total.value()
                                           : 1.0 / static_cast<double>(datapath_components_.size());
    ledger_.set_static_power(datapath_components_[i], idle * share, at);
  }
}

void PowerManager::wake(Domain& d, Time at) {
  PowerDomainStats& s = stats_[d.stats];
  ++s.wakes;
  s.wake_energy = s.wake_energy + d.power.wake_energy;
  ledger_.charge(d.wake_action, d.power.wake_energy, 1, at, at + wake_latency(d));
  if (d.memory) {
    d.memory->power_on(at);
    if (d.power.idle == PowerState::off && d.memory->loses_contents_when_off() &&
        !d.reloads.empty()) {
      ++s.reloads;
      for (const ReloadCopy& c : d.reloads) {
        s.reload_bytes += c.bytes;
        pending_.push_back(c);
      }
    }
    return;
  }
  for (std::size_t i = 0; i < datapath_components_.size(); ++i) {
    ledger_.set_static_power(datapath_components_[i], datapath_leakage_[i], at);
  }
}

void PowerManager::idle(Time from, Time until, bool wake_up) {
  if (until <= from) return;
  const Time gap = until - from;
  for (Domain& d : domains_) {
    PowerDomainStats& s = stats_[d.stats];
    const Time latency = wake_up ? wake_latency(d) : Time(0);
    if (gap < latency || gap <= s.break_even) continue;
    enter(d, from);
    ++s.idle_periods;
    const Time woken = until - latency;
    s.time_in[index(d.power.idle)] = s.time_in[index(d.power.idle)] + (woken - from);
    if (wake_up) wake(d, woken);
  }
}

std::uint64_t PowerManager::contents_lost(std::size_t memory) const {
  if (memory >= memory_domain_.size() || memory_domain_[memory] == kNone) return 0;
  const Domain& d = domains_[memory_domain_[memory]];
  if (d.power.idle != PowerState::off || !d.memory->loses_contents_when_off()) return 0;
  return stats_[d.stats].idle_periods;
}

std::vector<ReloadCopy> PowerManager::take_reloads() {
  std::vector<ReloadCopy> out;
  out.swap(pending_);
  return out;
}

void PowerManager::finish(Time end) {
  for (PowerDomainStats& s : stats_) {
    const Time idle = s.time_in[index(PowerState::retention)] + s.time_in[index(PowerState::off)];
    s.time_in[index(PowerState::on)] = end > idle ? end - idle : Time(0);
  }
}

}  // namespace hmasim
