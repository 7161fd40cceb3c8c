#include "core/energy_ledger.hpp"

namespace hmasim {

EnergyLedger::ComponentId EnergyLedger::add_component(const std::string& name,
                                                      const std::string& static_label) {
  components_.push_back(
      Component{name, static_label, {}, Power(0.0), Time(0), Energy(0.0), Time(0)});
  return components_.size() - 1;
}

EnergyLedger::ActionId EnergyLedger::add_action(ComponentId c, const std::string& action) {
  auto& actions = components_[c].actions;
  for (std::size_t i = 0; i < actions.size(); ++i) {
    if (actions[i].name == action) return {c, i};
  }
  actions.push_back({action, 0, Energy(0.0)});
  return {c, actions.size() - 1};
}

void EnergyLedger::integrate(ComponentId id, Time until) {
  Component& c = components_[id];
  if (until <= c.since) return;
  const Time span = until - c.since;
  const Energy e = c.power * span;
  c.static_energy += e;
  if (c.power.value() != 0.0) {
    c.powered += span;
    if (observer_) observe(id, true, e, c.since, until);
  }
  c.since = until;
}

void EnergyLedger::set_static_power(ComponentId id, Power p, Time at) {
  integrate(id, at);
  components_[id].power = p;
}

void EnergyLedger::add_static_energy(ComponentId c, Energy e, Time begin, Time end) {
  components_[c].static_energy += e;
  if (observer_) observe(c, true, e, begin, end);
}

void EnergyLedger::close(Time end) {
  for (ComponentId c = 0; c < components_.size(); ++c) integrate(c, end);
}

void EnergyLedger::observe(ComponentId c, bool is_static, Energy e, Time begin, Time end) {
  latest_ = max(latest_, end);
  observer_->energy(c, is_static, e, begin, end);
}

void EnergyLedger::observe_untimed(ComponentId c, Energy e) {
  if (open_spans_ > 0) {
    pending_.push_back({c, e});
  } else {
    observer_->energy(c, false, e, latest_, latest_);
  }
}

void EnergyLedger::close_span(Time begin, Time end) {
  if (open_spans_ == 0) return;  // opened without an observer
  if (--open_spans_ > 0) return;
  for (const Pending& p : pending_) observe(p.component, false, p.energy, begin, end);
  pending_.clear();
}

Energy EnergyLedger::dynamic_energy(ComponentId c) const {
  Energy e(0.0);
  for (const auto& a : components_[c].actions) e += a.energy;
  return e;
}

Energy EnergyLedger::total() const {
  Energy e(0.0);
  for (ComponentId c = 0; c < components_.size(); ++c) e += total(c);
  return e;
}

}  // namespace hmasim
