// The buffered controller's power-down and self-refresh (Lpddr4ChannelController, see
// channel_controller.hpp): the idle span of a channel walked from event to event.
#include <algorithm>
#include <vector>

#include "mem/lpddr4/controller/channel_controller.hpp"

namespace hmasim {

Cycles Lpddr4ChannelController::busy_until() const {
  Cycles t = max(max(now_, bus_free_), max(refreshing_until_, request_idle_from_));
  if (any_pre_) t = max(t, last_pre_ + t_.RPpb);
  for (const AutoPrecharge& a : auto_pre_) t = max(t, a.at + t_.RPpb);
  return t;
}

void Lpddr4ChannelController::power_command(Lpddr4Command c, Cycles at) {
  flush_auto_precharges(at);
  integrate(at);  // the span before `at` in the state it had
  now_ = max(now_, at);
  emit(c, at, Lpddr4CommandRecord::kAllBanks);
  switch (c) {
    case Lpddr4Command::PDE:
      power_state_ = PowerState::power_down;
      power_since_ = at;
      break;
    case Lpddr4Command::SRE:
      power_state_ = PowerState::self_refresh;
      power_since_ = at;
      break;
    default:
      power_state_ = PowerState::awake;
      break;
  }
  best_valid_ = false;
}

void Lpddr4ChannelController::exit_latency(Cycles ready) {
  bus_free_ = max(bus_free_, ready);
  for (Bank& b : banks_) {
    b.act_ok = max(b.act_ok, ready);
    b.col_ok = max(b.col_ok, ready);
    b.pre_ok = max(b.pre_ok, ready);
  }
  invalidate_all();
  best_valid_ = false;
}

Cycles Lpddr4ChannelController::wake_up(Cycles at) {
  if (power_state_ == PowerState::power_down) {
    const Cycles exit = max(at, power_since_ + t_.CKE);
    power_command(Lpddr4Command::PDX, exit);
    exit_latency(exit + t_.XP);
    return exit + t_.XP;
  }
  if (power_state_ == PowerState::self_refresh) {
    const Cycles exit = max(at, power_since_ + t_.SR);
    power_command(Lpddr4Command::SRX, exit);
    const Cycles ready = exit + t_.XSR;
    exit_latency(ready);
    // The device refreshed itself: the refresh grid restarts after the exit.
    refresh_->restart(ready);
    return ready;
  }
  return at;
}

void Lpddr4ChannelController::idle_until(Cycles t, bool wake) {
  const Cycles pd_after = power_down_->power_down_after();
  const Cycles sr_after = power_down_->self_refresh_after();
  std::vector<Completion> none;  // no column command is issued here
  for (;;) {
    const Cycles floor = busy_until();
    const bool awake = power_state_ == PowerState::awake;
    const Cycles pd_at =
        awake && pd_after < kNever ? max(floor, request_idle_from_ + pd_after) : kNever;
    const Cycles sr_at = power_state_ != PowerState::self_refresh && sr_after < kNever
                             ? max(floor, request_idle_from_ + sr_after)
                             : kNever;
    // No refresh in self-refresh: the device refreshes itself.
    const Cycles due = power_state_ == PowerState::self_refresh ? kNever : refresh_->due();
    // The earliest of self-refresh entry, refresh and power-down entry; ties in that order.
    if (sr_at < t && sr_at <= due && sr_at <= pd_at) {
      Cycles at = wake_up(sr_at);  // from power-down: PDX first
      if (open_banks_ > 0) {       // self-refresh needs every bank precharged
        Proposal p;
        p.command = Lpddr4Command::PREA;
        Cycles pre = at;
        for (const Bank& b : banks_) {
          if (b.open) pre = max(pre, b.pre_ok);
        }
        p.at = pre_constraints(pre);
        issue(p, none);
      }
      at = max(at, max(bus_free_, refreshing_until_));
      for (const Bank& b : banks_) at = max(at, b.act_ok);  // tRPab after PREA, tRFC after REF
      power_command(Lpddr4Command::SRE, at);
      continue;
    }
    if (due < t && due <= pd_at) {
      // A due refresh wakes power-down (PDX, tXP), then issues as in a busy channel; power-down
      // resumes after it (the idle timer does not restart).
      wake_up(due);
      const Cycles issued = refresh_->due();
      while (refresh_->due() == issued) issue(propose_refresh(), none);
      continue;
    }
    if (pd_at < t) {
      power_command(Lpddr4Command::PDE, pd_at);
      continue;
    }
    break;
  }
  if (wake) wake_up(t);
}

}  // namespace hmasim
