#include "traces/bandwidth_windows.hpp"

#include <algorithm>
#include <stdexcept>

#include "traces/text_format.hpp"

namespace hmasim {

std::size_t BandwidthWindows::add_counter() {
  if (next_ > 0) throw std::logic_error("bandwidth windows: counter added after the first window");
  for (auto& [k, cell] : cells_) cell.push_back(0);
  bytes_.push_back(0);
  return counters_++;
}

void BandwidthWindows::add(std::size_t counter, Time at, std::uint64_t bytes) {
  if (counter >= counters_) throw std::out_of_range("bandwidth windows: unknown counter");
  total_ += bytes;
  if (at < watermark_) ++late_;
  std::uint64_t k = grid_.index(at);
  if (k < next_) k = next_;
  auto it = cells_.find(k);
  if (it == cells_.end()) it = cells_.emplace(k, std::vector<std::uint64_t>(counters_, 0)).first;
  it->second[counter] += bytes;
}

void BandwidthWindows::take(std::uint64_t k) {
  auto it = cells_.begin();
  if (it != cells_.end() && it->first == k) {
    bytes_.swap(it->second);
    cells_.erase(it);
  } else {
    std::fill(bytes_.begin(), bytes_.end(), 0);
  }
}

void BandwidthWindows::advance(Time t, const Emit& emit) {
  if (t <= watermark_) return;
  watermark_ = t;
  const std::uint64_t complete = grid_.complete_at(t);
  for (; next_ < complete; ++next_) {
    take(next_);
    emit(Window{next_, grid_.start(next_), grid_.width(), bytes_});
  }
}

void BandwidthWindows::finish(Time end, const Emit& emit) {
  end = max(end, watermark_);
  watermark_ = end;
  const std::uint64_t count = grid_.count(end);
  if (count == 0) {
    cells_.clear();
    return;
  }
  for (; next_ + 1 < count; ++next_) {
    take(next_);
    emit(Window{next_, grid_.start(next_), grid_.width(), bytes_});
  }
  take(next_);
  for (const auto& [k, cell] : cells_) {
    for (std::size_t i = 0; i < counters_; ++i) bytes_[i] += cell[i];
  }
  cells_.clear();
  emit(Window{next_, grid_.start(next_), grid_.length(next_, end), bytes_});
  ++next_;
}

std::string bandwidth_csv_header(const std::vector<std::string>& counters) {
  std::string h = "start_s";
  for (const std::string& c : counters) {
    h += "," + csv_field(c + "_bytes") + "," + csv_field(c + "_gbps");
  }
  return h + "\n";
}

std::string bandwidth_csv_row(const BandwidthWindows::Window& w) {
  std::string row;
  append_seconds(row, w.start);
  const double seconds = to_seconds(w.length);
  for (std::uint64_t b : w.bytes) {
    row += ',' + std::to_string(b) + ',';
    append_real(row, seconds > 0.0 ? static_cast<double>(b) / seconds * 1e-9 : 0.0);
  }
  row += '\n';
  return row;
}

}  // namespace hmasim
