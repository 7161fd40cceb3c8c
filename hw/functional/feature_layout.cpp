#include "hw/functional/feature_layout.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <stdexcept>

namespace hmasim {

FeatureLayout FeatureLayout::plain(const Shape& shape, std::uint64_t element_bytes) {
  FeatureLayout l;
  l.element_bytes_ = element_bytes;
  l.rows_ = shape.h;
  l.columns_ = shape.w;
  l.channels_ = shape.c;
  l.row_elements_ = shape.w * shape.c;
  l.bands_.push_back({{0, shape.h}, {{0, shape.c}}});
  l.band_index_.assign(shape.h, 0);
  return l;
}

FeatureLayout FeatureLayout::written_by(const TilePlan& plan, std::uint64_t rows,
                                        std::uint64_t columns, std::uint64_t channels,
                                        std::uint64_t element_bytes) {
  FeatureLayout l;
  l.element_bytes_ = element_bytes;
  l.rows_ = rows;
  l.columns_ = columns;
  l.channels_ = channels;
  l.row_elements_ = columns * channels;
  // Bands by their first row; each collects the kernel groups written for it.
  std::map<std::uint64_t, Band> bands;
  for (const Tile& t : plan.tiles) {
    if (!t.writes || t.out_rows.empty()) continue;
    Band& b = bands[t.out_rows.begin];
    if (!b.rows.empty() && b.rows.end != t.out_rows.end) {
      throw std::logic_error("tiles of one band of output rows differ in their rows");
    }
    b.rows = t.out_rows;
    if (std::none_of(b.groups.begin(), b.groups.end(),
                     [&](const RowRange& g) { return g.begin == t.kernels.begin; })) {
      b.groups.push_back(t.kernels);
    }
  }
  l.band_index_.assign(rows, 0);
  for (auto& kv : bands) {
    Band& b = kv.second;
    std::sort(b.groups.begin(), b.groups.end(),
              [](const RowRange& x, const RowRange& y) { return x.begin < y.begin; });
    if (b.groups.size() != 1 || b.groups[0].begin != 0 || b.groups[0].end != channels) {
      l.plain_ = false;
    }
    for (std::uint64_t y = b.rows.begin; y < std::min(b.rows.end, rows); ++y) {
      l.band_index_[y] = static_cast<std::uint32_t>(l.bands_.size());
    }
    l.bands_.push_back(std::move(b));
  }
  if (l.bands_.empty()) l.bands_.push_back({{0, rows}, {{0, channels}}});
  return l;
}

std::uint64_t FeatureLayout::block_offset(const RowRange& r, const RowRange& k) const {
  return r.begin * row_elements_ + k.begin * r.size() * columns_;
}

void FeatureLayout::gather(const std::uint8_t* region, std::uint64_t first, std::uint64_t count,
                           void* out_elements) const {
  auto* out = static_cast<std::uint8_t*>(out_elements);
  const std::uint64_t eb = element_bytes_;
  if (plain_) {
    std::memcpy(out, region + first * eb, count * eb);
    return;
  }
  std::uint64_t e = first;
  const std::uint64_t end = first + count;
  while (e < end) {
    const std::uint64_t y = e / row_elements_;
    const std::uint64_t row_end = std::min(end, (y + 1) * row_elements_);
    const Band& b = band_of(y);
    if (e == y * row_elements_ && row_end == (y + 1) * row_elements_) {
      // A whole row: each group's part of it is one run of columns x group channels.
      std::uint8_t* row = out + (e - first) * eb;
      for (const RowRange& g : b.groups) {
        const std::uint8_t* src =
            region + (block_offset(b.rows, g) + (y - b.rows.begin) * columns_ * g.size()) * eb;
        for (std::uint64_t x = 0; x < columns_; ++x) {
          std::memcpy(row + (x * channels_ + g.begin) * eb, src + x * g.size() * eb, g.size() * eb);
        }
      }
      e = row_end;
      continue;
    }
    // Element (y, x, c) of group g lies in g's block at row y - band start, column x.
    for (; e < row_end; ++e) {
      const std::uint64_t x = (e % row_elements_) / channels_;
      const std::uint64_t c = e % channels_;
      const auto g =
          std::upper_bound(b.groups.begin(), b.groups.end(), c,
                           [](std::uint64_t v, const RowRange& r) { return v < r.begin; }) -
          1;
      const std::uint64_t at = block_offset(b.rows, *g) +
                               ((y - b.rows.begin) * columns_ + x) * g->size() + (c - g->begin);
      std::memcpy(out + (e - first) * eb, region + at * eb, eb);
    }
  }
}

}  // namespace hmasim
