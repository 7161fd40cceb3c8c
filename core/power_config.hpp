// What a component does between frames (the power manager, hw/power_manager.hpp): its idle
// state, what that state draws, what waking up costs. The `power:` block of a memory and of the
// accelerator:
//
//   power:
//     idle: off              # on (default) | retention | off
//     retention_power: 1mW   # drawn in retention (required with idle: retention, unless the
//                            # model knows its own, e.g. DRAM self-refresh)
//     wake_energy: 20nJ      # spent at every wake-up (default 0)
//     break_even: 1ms        # optional: the shortest gap worth going idle for; default
//                            # wake_energy / (power while on - power while idle)
//     wake_latency: 2ms      # from power-on to the first access (SRAM and eNVM also take
//                            # their older `wakeup_time` key; not both)
//     reload_from: flash     # memories that lose their contents when off: where the lost
//                            # weights are copied back from at wake-up (a memory of the platform)
//     source: "..."
//
// A component goes idle only when the gap to its next use is longer than its break-even time
// (wake_energy / (power while on - power while idle)) and than its wake latency.
#pragma once

#include <optional>
#include <string>

#include "core/config_node.hpp"
#include "core/units.hpp"

namespace hmasim {

enum class PowerState { on = 0, retention = 1, off = 2 };

const char* to_string(PowerState s);

struct PowerConfig {
  PowerState idle = PowerState::on;
  std::optional<Power> retention_power;
  Energy wake_energy{0.0};
  std::optional<Time> wake_latency;
  std::optional<Time> break_even;
  std::string reload_from;  // empty: nothing to reload from
};

// Reads the optional `power` child of `node` (a memory or the accelerator block). Only memories
// take `reload_from`.
PowerConfig parse_power_config(const ConfigNode& node, bool reload_key);

}  // namespace hmasim
