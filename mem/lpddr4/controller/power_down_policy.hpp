// Power-down policies of the buffered controller: after how many idle cycles a channel with no
// request waiting and no command due enters power-down, and after how many self-refresh. One
// interface, one class per policy ("none" is an object too, not an if), chosen by the `power_down`
// block (lpddr4_config.hpp):
//   none          enabled: false; the channel stays in standby;
//   idle_timeout  enabled, self_refresh_idle_cycles 0: power-down after idle_cycles (exit tXP);
//   staggered     enabled, self_refresh_idle_cycles > idle_cycles: power-down after idle_cycles,
//                 then self-refresh after self_refresh_idle_cycles (exit tXSR), as the in-order
//                 controller does.
// Idle cycles count from the end of the last request's data on the bus; refreshes do not reset
// them. The controller applies the thresholds to the gaps between commands (no clocked process).
#pragma once

#include <memory>

#include "core/units.hpp"
#include "mem/lpddr4/controller/refresh_policy.hpp"
#include "mem/lpddr4/lpddr4_config.hpp"

namespace hmasim {

class PowerDownPolicyIf {
 public:
  static constexpr Cycles kNever = RefreshPolicyIf::kNever;
  virtual ~PowerDownPolicyIf() = default;
  // Idle cycles before power-down entry (kNever: never).
  virtual Cycles power_down_after() const = 0;
  // Idle cycles before self-refresh entry (kNever: never).
  virtual Cycles self_refresh_after() const = 0;
  // False for "none": the controller keeps its plain standby path.
  bool active() const { return power_down_after() < kNever || self_refresh_after() < kNever; }
  virtual const char* name() const = 0;
};

std::unique_ptr<PowerDownPolicyIf> make_power_down_policy(const PowerDownPolicy& c);

}  // namespace hmasim
