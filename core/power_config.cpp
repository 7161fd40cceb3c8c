#include "core/power_config.hpp"

namespace hmasim {

const char* to_string(PowerState s) {
  switch (s) {
    case PowerState::retention:
      return "retention";
    case PowerState::off:
      return "off";
    default:
      return "on";
  }
}

PowerConfig parse_power_config(const ConfigNode& node, bool reload_key) {
  PowerConfig c;
  const auto power = node.optional_child("power");
  if (!power) return c;
  const std::string idle = power->choice("idle", {"on", "retention", "off"}, "on");
  c.idle = idle == "off"         ? PowerState::off
           : idle == "retention" ? PowerState::retention
                                 : PowerState::on;
  c.retention_power = power->find<Power>("retention_power");
  if (c.retention_power) {
    power->require(c.retention_power->value() >= 0, "retention_power", "must not be negative");
  }
  c.wake_energy = power->get<Energy>("wake_energy", Energy(0.0));
  power->require(c.wake_energy.value() >= 0, "wake_energy", "must not be negative");
  c.wake_latency = power->find<Time>("wake_latency");
  if (c.wake_latency) {
    power->require(*c.wake_latency <= kMaxLatency, "wake_latency", "must be at most 1s");
  }
  c.break_even = power->find<Time>("break_even");
  if (reload_key) c.reload_from = power->get<std::string>("reload_from", std::string());
  return c;
}

}  // namespace hmasim
