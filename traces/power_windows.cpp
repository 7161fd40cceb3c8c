#include "traces/power_windows.hpp"

#include "traces/text_format.hpp"

namespace hmasim {

PowerWindows::PowerWindows(Time window, std::size_t components)
    : grid_(window),
      columns_(2 * components),
      rate_(columns_, 0.0),
      active_(columns_, 0),
      energy_(columns_, 0.0) {}

std::vector<PowerWindows::Cell>& PowerWindows::cells(std::uint64_t k) {
  auto it = cells_.find(k);
  if (it == cells_.end()) it = cells_.emplace(k, std::vector<Cell>(columns_)).first;
  return it->second;
}

void PowerWindows::add(std::size_t c, bool is_static, Energy e, Time begin, Time end) {
  if (2 * c >= columns_) throw std::out_of_range("power windows: unknown component");
  const std::size_t col = 2 * c + (is_static ? 1 : 0);
  double energy = e.value();
  total_ += energy;
  if (begin < watermark_) ++late_spans_;
  if (end < begin) end = begin;

  // The share before the oldest open window cannot go where it belongs any more.
  const Time open = grid_.start(next_);
  if (begin < open) {
    const double early = end <= open ? energy
                                     : energy * static_cast<double>((open - begin).value()) /
                                           static_cast<double>((end - begin).value());
    cells(next_)[col].direct += early;
    moved_ += early;
    energy -= early;
    if (end <= open) return;
    begin = open;
  }
  if (end == begin) {
    cells(grid_.index(begin))[col].direct += energy;
    return;
  }
  const std::uint64_t k0 = grid_.index(begin);
  const std::uint64_t k1 = grid_.index(end - Time(1));  // the window holding the span's last ps
  if (k0 == k1) {
    cells(k0)[col].direct += energy;
    return;
  }
  const double length = static_cast<double>((end - begin).value());
  cells(k0)[col].direct +=
      energy * static_cast<double>((grid_.start(k0 + 1) - begin).value()) / length;
  cells(k1)[col].direct += energy * static_cast<double>((end - grid_.start(k1)).value()) / length;
  if (k1 > k0 + 1) {
    const double per_window = energy * static_cast<double>(grid_.width().value()) / length;
    Cell& first = cells(k0 + 1)[col];
    first.delta += per_window;
    ++first.starts;
    Cell& last = cells(k1)[col];
    last.delta -= per_window;
    --last.starts;
  }
}

void PowerWindows::step(std::uint64_t k) {
  auto it = cells_.begin();
  const bool has_cell = it != cells_.end() && it->first == k;
  for (std::size_t j = 0; j < columns_; ++j) {
    double direct = 0.0;
    if (has_cell) {
      const Cell& cell = it->second[j];
      active_[j] += cell.starts;
      rate_[j] += cell.delta;
      // Exactly zero between spans, not the rounding residue of adds and subtracts.
      if (active_[j] == 0) rate_[j] = 0.0;
      direct = cell.direct;
    }
    energy_[j] = direct + rate_[j];
  }
  if (has_cell) cells_.erase(it);
}

void PowerWindows::advance(Time t, const Emit& emit) {
  if (t <= watermark_) return;
  watermark_ = t;
  const std::uint64_t complete = grid_.complete_at(t);
  for (; next_ < complete; ++next_) {
    step(next_);
    emit(Window{next_, grid_.start(next_), grid_.width(), energy_});
  }
}

void PowerWindows::drain_into(std::vector<double>& sum, std::uint64_t from) {
  for (std::uint64_t k = from; !cells_.empty();) {
    const std::uint64_t key = cells_.begin()->first;
    for (std::size_t j = 0; j < columns_; ++j) {
      sum[j] += rate_[j] * static_cast<double>(key - k);  // full windows up to the next cell
    }
    step(key);
    for (std::size_t j = 0; j < columns_; ++j) sum[j] += energy_[j];
    k = key + 1;
  }
}

void PowerWindows::finish(Time end, const Emit& emit) {
  end = max(end, watermark_);
  watermark_ = end;
  const std::uint64_t count = grid_.count(end);
  if (count == 0) {  // a zero-length run: no window to hold the energy
    std::vector<double> rest(columns_, 0.0);
    drain_into(rest, next_);
    for (double e : rest) dropped_ += e;
    return;
  }
  for (; next_ + 1 < count; ++next_) {
    step(next_);
    emit(Window{next_, grid_.start(next_), grid_.width(), energy_});
  }
  // The last window, with whatever was reported after the end.
  step(next_);
  std::vector<double> last = energy_;
  drain_into(last, next_ + 1);
  emit(Window{next_, grid_.start(next_), grid_.length(next_, end), last});
  ++next_;
}

std::string power_csv_header(const std::vector<std::string>& components) {
  std::string h = "start_s";
  for (const std::string& c : components) {
    h += "," + csv_field(c + "_dynamic_w") + "," + csv_field(c + "_static_w");
  }
  return h + ",total_w\n";
}

std::string power_csv_row(const PowerWindows::Window& w) {
  std::string row;
  append_seconds(row, w.start);
  const double seconds = to_seconds(w.length);
  double total = 0.0;
  for (double e : w.energy) {
    const double p = seconds > 0.0 ? e / seconds : 0.0;
    total += p;
    row += ',';
    append_real(row, p);
  }
  row += ',';
  append_real(row, total);
  row += '\n';
  return row;
}

}  // namespace hmasim
