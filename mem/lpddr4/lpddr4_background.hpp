// Background (standby) time of one LPDDR4 channel, split by the state that sets its current in
// the DRAMPower method: IDD3N while any bank is open or a refresh runs, IDD2N while all banks are
// precharged, IDD3P / IDD2P in active / precharge power-down, IDD6 in self-refresh.
//
// While requests flow, the bank-open and refresh events come from a scheduler that places commands
// slightly out of time order (an ACT of a later request can precede a column command of an earlier
// one). The meter buffers them in a small time-ordered heap and integrates only up to a watermark
// the scheduler guarantees no later event will precede. Idle periods (power-down, self-refresh,
// refreshes of an idle channel) are in time order by construction and are added directly.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/units.hpp"

namespace hmasim {

enum class BackgroundState : std::uint8_t {
  active_standby,        // IDD3N: a bank open, or a refresh in progress
  precharge_standby,     // IDD2N: all banks precharged
  active_power_down,     // IDD3P
  precharge_power_down,  // IDD2P
  self_refresh,          // IDD6
};
constexpr std::size_t kBackgroundStateCount = 5;
const char* to_string(BackgroundState s);

class BackgroundMeter {
 public:
  // Busy-period events; `at` must not precede the last flush watermark.
  void bank_opened(Cycles at) { push(at, +1, 0); }
  void bank_closed(Cycles at) { push(at, -1, 0); }
  void refresh(Cycles start, Cycles end) {
    push(start, 0, +1);
    push(end, 0, -1);
  }
  // Integrates every buffered event at or before `watermark`, in time order, and the state in
  // between, up to `watermark`. No effect on time already integrated.
  void flush(Cycles watermark);
  // Directly accounted idle time: `cycles` more in state `s` (the caller keeps time order).
  void add(BackgroundState s, Cycles cycles) { cycles_[index(s)] += cycles.value(); }
  // After directly accounted time: integration continues from `at` with `open_banks` open.
  // Only valid with no buffered event (flush first).
  void resume(Cycles at, unsigned open_banks);
  // Forgets buffered events and restarts at `at` with all banks closed (power-on).
  void reset(Cycles at);

  Cycles time() const { return Cycles(now_); }
  bool has_pending() const { return !heap_.empty(); }
  Cycles cycles(BackgroundState s) const { return Cycles(cycles_[index(s)]); }
  const std::array<std::uint64_t, kBackgroundStateCount>& all_cycles() const { return cycles_; }

 private:
  struct Event {
    std::uint64_t at;
    std::int32_t open_delta;
    std::int32_t refresh_delta;
  };
  static std::size_t index(BackgroundState s) { return static_cast<std::size_t>(s); }
  void push(Cycles at, std::int32_t open_delta, std::int32_t refresh_delta);
  void integrate_to(std::uint64_t t);

  std::vector<Event> heap_;  // min-heap on `at`
  std::uint64_t now_ = 0;
  std::int64_t open_ = 0;
  std::int64_t refreshing_ = 0;
  std::array<std::uint64_t, kBackgroundStateCount> cycles_{};
};

}  // namespace hmasim
