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

void EnergyLedger::integrate(Component& c, Time until) {
  if (until <= c.since) return;
  const Time span = until - c.since;
  c.static_energy += c.power * span;
  if (c.power.value() != 0.0) c.powered += span;
  c.since = until;
}

void EnergyLedger::set_static_power(ComponentId id, Power p, Time at) {
  Component& c = components_[id];
  integrate(c, at);
  c.power = p;
}

void EnergyLedger::add_static_energy(ComponentId c, Energy e) {
  components_[c].static_energy += e;
}

void EnergyLedger::close(Time end) {
  for (Component& c : components_) integrate(c, end);
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
