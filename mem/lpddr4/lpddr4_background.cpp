#include "mem/lpddr4/lpddr4_background.hpp"

#include <algorithm>

namespace hmasim {

namespace {
// Min-heap order for std::push_heap / pop_heap (which build max-heaps).
struct Later {
  template <class E>
  bool operator()(const E& a, const E& b) const {
    return a.at > b.at;
  }
};
}  // namespace

const char* to_string(BackgroundState s) {
  switch (s) {
    case BackgroundState::active_standby:
      return "active_standby";
    case BackgroundState::precharge_standby:
      return "precharge_standby";
    case BackgroundState::active_power_down:
      return "active_power_down";
    case BackgroundState::precharge_power_down:
      return "precharge_power_down";
    case BackgroundState::self_refresh:
      return "self_refresh";
  }
  return "?";
}

void BackgroundMeter::push(Cycles at, std::int32_t open_delta, std::int32_t refresh_delta) {
  heap_.push_back({at.value(), open_delta, refresh_delta});
  std::push_heap(heap_.begin(), heap_.end(), Later{});
}

void BackgroundMeter::integrate_to(std::uint64_t t) {
  if (t <= now_) return;
  const BackgroundState s = open_ > 0 || refreshing_ > 0 ? BackgroundState::active_standby
                                                         : BackgroundState::precharge_standby;
  cycles_[index(s)] += t - now_;
  now_ = t;
}

void BackgroundMeter::flush(Cycles watermark) {
  const std::uint64_t w = watermark.value();
  while (!heap_.empty() && heap_.front().at <= w) {
    const Event e = heap_.front();
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    heap_.pop_back();
    integrate_to(e.at);  // an event before now_ (never expected) simply applies at now_
    open_ += e.open_delta;
    refreshing_ += e.refresh_delta;
  }
  integrate_to(w);
}

void BackgroundMeter::resume(Cycles at, unsigned open_banks) {
  now_ = std::max(now_, at.value());
  open_ = open_banks;
  refreshing_ = 0;
}

void BackgroundMeter::reset(Cycles at) {
  heap_.clear();
  now_ = at.value();
  open_ = 0;
  refreshing_ = 0;
}

}  // namespace hmasim
