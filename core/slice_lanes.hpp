// Timeline slices that overlap (requests in flight) on as many tracks as they need: the Chrome
// trace format wants the slices of one track nested or apart, so a slice goes to the first lane
// free at its begin, and a new lane ("<name> #2", ...) is opened when none is, up to kMaxLanes
// (beyond, the lane that frees first takes it). Slices must come in non-decreasing begin order,
// as a channel issues its requests.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "core/trace_sink.hpp"

namespace hmasim {

class SliceLanes {
 public:
  static constexpr std::size_t kMaxLanes = 64;

  SliceLanes() = default;
  SliceLanes(TraceSink* sink, std::string group, std::string name)
      : sink_(sink), group_(std::move(group)), name_(std::move(name)) {}

  void slice(Time begin, Time end, const std::string& name, const char* category) {
    std::size_t lane = 0;
    while (lane < free_.size() && free_[lane] > begin) ++lane;
    if (lane == free_.size()) {
      if (free_.size() < kMaxLanes) {
        tracks_.push_back(sink_->track(
            group_, free_.empty() ? name_ : name_ + " #" + std::to_string(free_.size() + 1)));
        free_.push_back(Time(0));
      } else {
        lane =
            static_cast<std::size_t>(std::min_element(free_.begin(), free_.end()) - free_.begin());
      }
    }
    free_[lane] = max(free_[lane], end);
    sink_->slice(tracks_[lane], begin, end, name, category);
  }
  std::size_t lanes() const { return tracks_.size(); }

 private:
  TraceSink* sink_ = nullptr;
  std::string group_, name_;
  std::vector<TraceSink::Id> tracks_;
  std::vector<Time> free_;  // end of each lane's latest slice
};

}  // namespace hmasim
