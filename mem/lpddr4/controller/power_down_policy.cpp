#include "mem/lpddr4/controller/power_down_policy.hpp"

namespace hmasim {

namespace {

class NoPowerDown final : public PowerDownPolicyIf {
 public:
  Cycles power_down_after() const override { return kNever; }
  Cycles self_refresh_after() const override { return kNever; }
  const char* name() const override { return "none"; }
};

class IdleTimeoutPowerDown final : public PowerDownPolicyIf {
 public:
  explicit IdleTimeoutPowerDown(Cycles idle) : idle_(idle) {}
  Cycles power_down_after() const override { return idle_; }
  Cycles self_refresh_after() const override { return kNever; }
  const char* name() const override { return "idle_timeout"; }

 private:
  Cycles idle_;
};

class StaggeredPowerDown final : public PowerDownPolicyIf {
 public:
  StaggeredPowerDown(Cycles idle, Cycles self_refresh_idle)
      : idle_(idle), self_refresh_idle_(self_refresh_idle) {}
  Cycles power_down_after() const override { return idle_; }
  Cycles self_refresh_after() const override { return self_refresh_idle_; }
  const char* name() const override { return "staggered"; }

 private:
  Cycles idle_;
  Cycles self_refresh_idle_;
};

}  // namespace

std::unique_ptr<PowerDownPolicyIf> make_power_down_policy(const PowerDownPolicy& c) {
  if (!c.enabled) return std::make_unique<NoPowerDown>();
  if (c.self_refresh_idle.value() == 0) return std::make_unique<IdleTimeoutPowerDown>(c.idle);
  return std::make_unique<StaggeredPowerDown>(c.idle, c.self_refresh_idle);
}

}  // namespace hmasim
