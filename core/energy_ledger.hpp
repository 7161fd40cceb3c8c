// The energy ledger: every model charges its energy here, per component. Dynamic energy is charged
// per action (read, write, ACT, MAC ...) with an action count; static energy is power integrated
// over the time a component spends in each power state (state changes are events, not ticks).
//
// For power over time (power.csv) every charge also has a span of simulated time [begin, end)
// that an EnergyObserver sees: given with the charge, or, for charges made while a memory serves
// a request, the request's span (MemoryTarget opens one per transaction), or else the latest
// time the ledger has seen. Without an observer spans cost nothing.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/units.hpp"

namespace hmasim {

class EnergyObserver;

class EnergyLedger {
 public:
  using ComponentId = std::size_t;
  // An action of one component, registered once and then charged on the hot path by index.
  struct ActionId {
    ComponentId component;
    std::size_t index;
  };
  struct ActionRecord {
    std::string name;
    std::uint64_t count = 0;
    Energy energy{0.0};
  };

  // `static_label` names the static share in reports ("leakage", "background").
  ComponentId add_component(const std::string& name, const std::string& static_label = "leakage");
  // Returns the existing id if the action was registered before.
  ActionId add_action(ComponentId c, const std::string& action);

  void charge(ActionId a, Energy per_action, std::uint64_t count = 1) {
    charge_total(a, per_action * static_cast<double>(count), count);
  }
  // Adds energy whose amount was computed by the model itself (e.g. a write whose pulse count
  // depends on the data).
  void charge_total(ActionId a, Energy total, std::uint64_t count = 1) {
    ActionRecord& r = components_[a.component].actions[a.index];
    r.count += count;
    r.energy += total;
    if (observer_) observe_untimed(a.component, total);
  }
  // The same, spent over [begin, end) (begin == end: at one instant).
  void charge(ActionId a, Energy per_action, std::uint64_t count, Time begin, Time end) {
    charge_total(a, per_action * static_cast<double>(count), count, begin, end);
  }
  void charge_total(ActionId a, Energy total, std::uint64_t count, Time begin, Time end) {
    ActionRecord& r = components_[a.component].actions[a.index];
    r.count += count;
    r.energy += total;
    if (observer_) observe(a.component, false, total, begin, end);
  }

  // Charges made between open_span() and close_span() without a span of their own are spent over
  // [begin, end) (a memory's request: its span is known only once it has been served).
  void open_span() {
    if (observer_) ++open_spans_;
  }
  void close_span(Time begin, Time end);

  // Sees every charge with its span. One observer at a time; nullptr to stop.
  void set_observer(EnergyObserver* observer) { observer_ = observer; }

  // Static power is piecewise constant: from `at` on, the component draws `p`. Calls for one
  // component must come in non-decreasing time; an earlier `at` is treated as the last change.
  void set_static_power(ComponentId c, Power p, Time at);
  // Static energy computed by the model over [begin, end) (DRAM background from IDD currents).
  void add_static_energy(ComponentId c, Energy e, Time begin, Time end);
  // Integrates every component's static power up to `end`.
  void close(Time end);
  // Integrates one component's static power up to `end`.
  void close(ComponentId c, Time end) { integrate(c, end); }

  std::size_t component_count() const { return components_.size(); }
  const std::string& name(ComponentId c) const { return components_[c].name; }
  const std::string& static_label(ComponentId c) const { return components_[c].static_label; }
  const std::vector<ActionRecord>& actions(ComponentId c) const { return components_[c].actions; }
  Energy dynamic_energy(ComponentId c) const;
  Energy static_energy(ComponentId c) const { return components_[c].static_energy; }
  // The static power the component draws now (its latest set_static_power).
  Power static_power(ComponentId c) const { return components_[c].power; }
  Energy total(ComponentId c) const { return dynamic_energy(c) + static_energy(c); }
  Energy total() const;
  // Time the component spent with non-zero static power (powered), up to the last close().
  Time powered_time(ComponentId c) const { return components_[c].powered; }

 private:
  struct Component {
    std::string name;
    std::string static_label;
    std::vector<ActionRecord> actions;
    Power power{0.0};
    Time since{0};
    Energy static_energy{0.0};
    Time powered{0};
  };
  void integrate(ComponentId id, Time until);
  void observe(ComponentId c, bool is_static, Energy e, Time begin, Time end);
  void observe_untimed(ComponentId c, Energy e);
  std::vector<Component> components_;
  EnergyObserver* observer_ = nullptr;
  // Untimed charges of the open span, reported when it closes.
  struct Pending {
    ComponentId component;
    Energy energy;
  };
  std::vector<Pending> pending_;
  unsigned open_spans_ = 0;
  Time latest_{0};  // the latest time any span reached: where untimed charges go otherwise
};

// Sees the ledger's energy as it is charged, with when it was spent (power over time).
class EnergyObserver {
 public:
  virtual ~EnergyObserver() = default;
  // Component `c` spent `e` (static or dynamic) over [begin, end); begin == end: at one instant.
  virtual void energy(EnergyLedger::ComponentId c, bool is_static, Energy e, Time begin,
                      Time end) = 0;
};

}  // namespace hmasim
