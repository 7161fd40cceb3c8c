#include "hw/layer_tiling.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "core/integer_math.hpp"

namespace hmasim {

namespace {

struct Geometry {
  const ConvWork& w;
  std::uint64_t row_bytes;  // one input row of every input
  std::uint64_t col_bytes;  // one input column of one row, of every input
  // Most output rows whose input rows of `line` bytes each fit in `bytes` (0 if not even one).
  std::uint64_t rows_fitting(std::uint64_t line, std::uint64_t bytes) const {
    std::uint64_t lo = 0, hi = w.out_h;
    while (lo < hi) {  // largest o with input_bytes(o) <= bytes
      const std::uint64_t mid = (lo + hi + 1) / 2;
      // The worst tile is an interior one: (mid - 1) * stride + r rows, capped by the map.
      const std::uint64_t rows = std::min(w.in_h, (mid - 1) * w.stride + w.r);
      if (rows * line <= bytes) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }
  std::uint64_t out_rows_fitting(std::uint64_t bytes) const {
    return rows_fitting(row_bytes, bytes);
  }
  RowRange in_rows(RowRange out) const {
    RowRange r;
    w.input_rows(out.begin, out.end, r.begin, r.end);
    return r;
  }
  static std::vector<RowRange> ranges(std::uint64_t total, std::uint64_t per_tile) {
    std::vector<RowRange> out;
    for (std::uint64_t o = 0; o < total; o += per_tile) {
      out.push_back({o, std::min(total, o + per_tile)});
    }
    return out;
  }
  std::vector<RowRange> row_tiles(std::uint64_t rows_per_tile) const {
    return ranges(w.out_h, rows_per_tile);
  }
  std::uint64_t fetched_feature_bytes(const std::vector<RowRange>& tiles) const {
    std::uint64_t b = 0;
    for (const auto& t : tiles) b += in_rows(t).size() * row_bytes;
    return b;
  }

  // A W split: blocks of `rows` output rows x `cols` output columns.
  struct Blocks {
    std::uint64_t rows = 0, cols = 0;
    std::uint64_t count = 0;    // blocks
    std::uint64_t fetched = 0;  // feature bytes all blocks fetch once each
  };
  // The block shape whose input fits `bytes` and that fetches the fewest feature bytes (the
  // widest of equals); rows 0 if not even one output position's input fits.
  Blocks blocks_fitting(std::uint64_t bytes) const {
    Blocks best;
    std::uint64_t last = 0;
    for (std::uint64_t n = 1; n <= w.out_w; ++n) {
      const std::uint64_t cols = ceil_div(w.out_w, n);
      if (cols == last) continue;
      last = cols;
      // The widest block is an interior one, as for rows.
      const std::uint64_t line = std::min(w.in_w, (cols - 1) * w.stride + w.s) * col_bytes;
      const std::uint64_t rows = line > 0 ? rows_fitting(line, bytes) : 0;
      if (rows == 0) continue;
      std::uint64_t in_rows_sum = 0, in_cols_sum = 0;
      for (const RowRange& o : row_tiles(rows)) in_rows_sum += in_rows(o).size();
      const auto col_tiles = ranges(w.out_w, cols);
      for (const RowRange& c : col_tiles) in_cols_sum += input_columns(w, c).size();
      const std::uint64_t fetched = in_rows_sum * in_cols_sum * col_bytes;
      if (best.rows == 0 || fetched < best.fetched) {
        best = {rows, cols, ceil_div(w.out_h, rows) * col_tiles.size(), fetched};
      }
    }
    return best;
  }
  // The blocks in order: row band after row band, left to right.
  std::vector<std::pair<RowRange, RowRange>> block_tiles(const Blocks& b) const {
    std::vector<std::pair<RowRange, RowRange>> out;
    for (const RowRange& o : row_tiles(b.rows)) {
      for (const RowRange& c : ranges(w.out_w, b.cols)) out.emplace_back(o, c);
    }
    return out;
  }
};

// 4. Not even one output row's input fits beside a kernel group: features in blocks along H and
// W, beside resident weights or streamed kernel groups (any split of the banks, each share
// double-buffered), whichever fetches the fewest bytes in all (ties: resident weights, then the
// split closest to even).
template <class Fit, class Groups>
std::optional<TilePlan> plan_w_split(const ConvWork& w, const Geometry& g, const CbufConfig& cbuf,
                                     std::uint64_t weight_bytes, const Fit& kernels_fitting,
                                     const Groups& kernel_groups) {
  const std::uint64_t bank = cbuf.bank_size().value();
  const std::uint64_t nb = cbuf.banks;
  const RowRange all_k{0, w.kernels};
  struct Choice {
    std::uint64_t weight_banks = 0, per_group = 0, fetched = 0;
    Geometry::Blocks blocks;
    bool resident = false, weights_outer = true;
  };
  std::optional<Choice> best;
  const std::uint64_t wb = ceil_div(weight_bytes, bank);
  if (wb < nb) {
    Choice c;
    c.resident = true;
    c.weight_banks = wb;
    c.per_group = w.kernels;
    c.blocks = g.blocks_fitting((nb - wb) * bank / 2);
    c.fetched = weight_bytes + c.blocks.fetched;
    if (c.blocks.rows > 0) best = c;
  }
  const std::uint64_t half = std::max<std::uint64_t>(1, nb / 2);
  const auto distance = [&](std::uint64_t b) { return b > half ? b - half : half - b; };
  for (std::uint64_t wbanks = 1; wbanks < nb; ++wbanks) {
    Choice c;
    c.weight_banks = wbanks;
    c.per_group = kernels_fitting(wbanks * bank / 2);
    if (c.per_group == 0) continue;
    c.blocks = g.blocks_fitting((nb - wbanks) * bank / 2);
    if (c.blocks.rows == 0) continue;
    const std::uint64_t groups = ceil_div(w.kernels, c.per_group);
    const std::uint64_t kernels_outer = groups * c.blocks.fetched + weight_bytes;
    const std::uint64_t blocks_outer = c.blocks.count * weight_bytes + c.blocks.fetched;
    c.weights_outer = kernels_outer <= blocks_outer;
    c.fetched = std::min(kernels_outer, blocks_outer);
    if (!best || c.fetched < best->fetched ||
        (c.fetched == best->fetched && !best->resident &&
         distance(wbanks) < distance(best->weight_banks))) {
      best = c;
    }
  }
  if (!best) return std::nullopt;
  TilePlan plan;
  plan.weight_share = Bytes(best->weight_banks * bank);
  plan.feature_share = Bytes((nb - best->weight_banks) * bank);
  const auto blocks = g.block_tiles(best->blocks);
  if (best->resident) {
    plan.strategy = "weights resident, features tiled along H and W";
    bool first = true;
    for (const auto& [o, c] : blocks) {
      plan.tiles.push_back(
          {g.in_rows(o), first ? all_k : RowRange{}, o, all_k, RowRange{}, true, c});
      first = false;
    }
    return plan;
  }
  const auto groups = kernel_groups(best->per_group);
  if (best->weights_outer) {
    plan.strategy = "both tiled along H and W, kernel groups outer (features refetched)";
    for (const RowRange& k : groups) {
      bool first = true;
      for (const auto& [o, c] : blocks) {
        plan.tiles.push_back({g.in_rows(o), first ? k : RowRange{}, o, k, RowRange{}, true, c});
        first = false;
      }
    }
  } else {
    plan.strategy = "both tiled along H and W, blocks outer (weights refetched)";
    for (const auto& [o, c] : blocks) {
      bool first = true;
      for (const RowRange& k : groups) {
        plan.tiles.push_back({first ? g.in_rows(o) : RowRange{}, k, o, k, RowRange{}, true, c});
        first = false;
      }
    }
  }
  return plan;
}

}  // namespace

RowRange input_columns(const ConvWork& w, RowRange out) {
  if (out.empty()) return {0, 0};
  const std::int64_t lo =
      static_cast<std::int64_t>(out.begin * w.stride) - static_cast<std::int64_t>(w.padding);
  const std::int64_t hi = static_cast<std::int64_t>((out.end - 1) * w.stride + w.s) -
                          static_cast<std::int64_t>(w.padding);
  RowRange r;
  r.begin = static_cast<std::uint64_t>(std::max<std::int64_t>(0, lo));
  r.end = static_cast<std::uint64_t>(
      std::clamp<std::int64_t>(hi, 0, static_cast<std::int64_t>(w.in_w)));
  if (r.end < r.begin) r.end = r.begin;
  return r;
}

bool TilePlan::splits_columns() const {
  return std::any_of(tiles.begin(), tiles.end(), [](const Tile& t) { return !t.out_cols.empty(); });
}

TilePlan plan_tiles(const ConvWork& w, const CbufConfig& cbuf, std::uint32_t atomic_c,
                    std::uint32_t atomic_k, unsigned inputs, bool weights) {
  const std::uint64_t bank = cbuf.bank_size().value();
  const std::uint64_t nb = cbuf.banks;
  const auto banks_for = [&](std::uint64_t bytes) { return ceil_div(bytes, bank); };
  const Geometry g{w, w.in_row_bytes() * inputs, w.in_c * w.bytes_per_element * inputs};
  const std::uint64_t feature_bytes = w.in_h * g.row_bytes;
  const std::uint64_t weight_bytes = weights ? w.kernels * w.kernel_bytes() : 0;
  const RowRange all_out{0, w.out_h};
  const RowRange all_in{0, w.in_h};
  const RowRange all_k{0, w.kernels};
  TilePlan plan;

  // 1. Everything fits.
  if (banks_for(weight_bytes) + banks_for(feature_bytes) <= nb) {
    plan.strategy = "single tile";
    plan.weight_share = Bytes(banks_for(weight_bytes) * bank);
    plan.feature_share = Bytes((nb - banks_for(weight_bytes)) * bank);
    plan.tiles.push_back({all_in, weights ? all_k : RowRange{}, all_out, all_k, RowRange{}, true});
    return plan;
  }
  // 2. Weights resident, features in row tiles (double-buffered).
  const std::uint64_t wb = banks_for(weight_bytes);
  if (wb < nb) {
    const std::uint64_t share = (nb - wb) * bank;
    const std::uint64_t rows = g.out_rows_fitting(share / 2);
    if (rows > 0) {
      plan.strategy = "weights resident, features tiled along H";
      plan.weight_share = Bytes(wb * bank);
      plan.feature_share = Bytes(share);
      bool first = true;
      for (const RowRange& o : g.row_tiles(rows)) {
        plan.tiles.push_back(
            {g.in_rows(o), first && weights ? all_k : RowRange{}, o, all_k, RowRange{}, true});
        first = false;
      }
      return plan;
    }
  }
  if (!weights) {
    // 4. Features along H and W, the whole CBUF theirs.
    const Geometry::Blocks b = g.blocks_fitting(nb * bank / 2);
    if (b.rows > 0) {
      plan.strategy = "features tiled along H and W";
      plan.weight_share = Bytes(0);
      plan.feature_share = Bytes(nb * bank);
      for (const auto& [o, c] : g.block_tiles(b)) {
        plan.tiles.push_back({g.in_rows(o), RowRange{}, o, all_k, RowRange{}, true, c});
      }
      return plan;
    }
    throw TilingError(
        "one output row needs " + std::to_string(std::min(w.in_h, w.r) * g.row_bytes) +
        " B of input rows, more than half the CBUF (" + std::to_string(nb * bank / 2) + " B)");
  }
  // 3. Weights streamed in kernel groups (multiples of AtomicK when at least that many fit).
  const auto kernels_fitting = [&](std::uint64_t bytes) {
    std::uint64_t k = std::min<std::uint64_t>(w.kernels, bytes / w.kernel_bytes());
    if (k >= atomic_k) k = k / atomic_k * atomic_k;
    return k;
  };
  const auto kernel_groups = [&](std::uint64_t per_group) {
    std::vector<RowRange> out;
    for (std::uint64_t k = 0; k < w.kernels; k += per_group) {
      out.push_back({k, std::min(w.kernels, k + per_group)});
    }
    return out;
  };
  // 3a. Features resident beside streamed kernel groups.
  const std::uint64_t fb = banks_for(feature_bytes);
  if (fb < nb) {
    const std::uint64_t share = (nb - fb) * bank / 2;
    const std::uint64_t per_group = kernels_fitting(share);
    const std::uint64_t group = std::min<std::uint64_t>(atomic_k, w.kernels);
    // Not even a whole kernel group fits: stream each group in channel slices instead of running
    // the array with a fraction of its kernels.
    const std::uint64_t slice_bytes = group * w.r * w.s * w.bytes_per_element;  // per channel
    const std::uint64_t slice = share / slice_bytes / atomic_c * atomic_c;
    if (per_group < group && !w.depthwise && w.groups == 1 && slice > 0 && slice < w.channels) {
      plan.strategy = "features resident, kernel groups streamed in channel slices";
      plan.feature_share = Bytes(fb * bank);
      plan.weight_share = Bytes((nb - fb) * bank);
      bool first = true;
      for (const RowRange& k : kernel_groups(group)) {
        for (std::uint64_t c = 0; c < w.channels; c += slice) {
          const RowRange ch{c, std::min(w.channels, c + slice)};
          plan.tiles.push_back(
              {first ? all_in : RowRange{}, k, all_out, k, ch, ch.end == w.channels});
          first = false;
        }
      }
      return plan;
    }
    if (per_group > 0) {
      plan.strategy = "features resident, weights streamed by kernel group";
      plan.feature_share = Bytes(fb * bank);
      plan.weight_share = Bytes((nb - fb) * bank);
      bool first = true;
      for (const RowRange& k : kernel_groups(per_group)) {
        plan.tiles.push_back({first ? all_in : RowRange{}, k, all_out, k, RowRange{}, true});
        first = false;
      }
      return plan;
    }
  }
  // 3b. Both tiled, each share double-buffered, in the cheaper loop order: half the banks each
  // when a kernel and an output row's input fit there; else the split of the banks that fits
  // both and fetches the fewest bytes (a row of a wide map beside few small kernels). Fewest
  // bytes is not always fastest (more, smaller tiles), so the even split stays first.
  struct Split {
    std::uint64_t weight_banks = 0, per_group = 0, rows = 0, fetched = 0;
    bool weights_outer = true;
  };
  std::optional<Split> best;
  const std::uint64_t half = std::max<std::uint64_t>(1, nb / 2);
  const auto distance = [&](std::uint64_t b) { return b > half ? b - half : half - b; };
  const auto consider = [&](std::uint64_t wbanks) {
    Split sp;
    sp.weight_banks = wbanks;
    sp.per_group = kernels_fitting(wbanks * bank / 2);
    sp.rows = g.out_rows_fitting((nb - wbanks) * bank / 2);
    if (sp.per_group == 0 || sp.rows == 0) return;
    const std::uint64_t groups = ceil_div(w.kernels, sp.per_group);
    const std::uint64_t features = g.fetched_feature_bytes(g.row_tiles(sp.rows));
    const std::uint64_t row_tiles = ceil_div(w.out_h, sp.rows);
    const std::uint64_t kernels_outer = groups * features + weight_bytes;
    const std::uint64_t rows_outer = row_tiles * weight_bytes + features;
    sp.weights_outer = kernels_outer <= rows_outer;
    sp.fetched = std::min(kernels_outer, rows_outer);
    if (!best || sp.fetched < best->fetched ||
        (sp.fetched == best->fetched && distance(wbanks) < distance(best->weight_banks))) {
      best = sp;
    }
  };
  if (half < nb) consider(half);
  if (!best) {
    for (std::uint64_t wbanks = 1; wbanks < nb; ++wbanks) consider(wbanks);
  }
  if (!best) {
    if (std::optional<TilePlan> split =
            plan_w_split(w, g, cbuf, weight_bytes, kernels_fitting, kernel_groups)) {
      return *split;
    }
    throw TilingError("one kernel (" + std::to_string(w.kernel_bytes()) +
                      " B) and one output row of input (" +
                      std::to_string(std::min(w.in_h, w.r) * g.row_bytes) +
                      " B) do not fit beside each other in the CBUF (" + std::to_string(nb * bank) +
                      " B, each share double-buffered)");
  }
  plan.weight_share = Bytes(best->weight_banks * bank);
  plan.feature_share = Bytes((nb - best->weight_banks) * bank);
  const auto groups = kernel_groups(best->per_group);
  const auto row_tiles = g.row_tiles(best->rows);
  const bool weights_outer = best->weights_outer;
  if (weights_outer) {
    plan.strategy = "both tiled, kernel groups outer (features refetched)";
    for (const RowRange& k : groups) {
      bool first = true;
      for (const RowRange& o : row_tiles) {
        plan.tiles.push_back({g.in_rows(o), first ? k : RowRange{}, o, k, RowRange{}, true});
        first = false;
      }
    }
  } else {
    plan.strategy = "both tiled, row tiles outer (weights refetched)";
    for (const RowRange& o : row_tiles) {
      bool first = true;
      for (const RowRange& k : groups) {
        plan.tiles.push_back({first ? g.in_rows(o) : RowRange{}, k, o, k, RowRange{}, true});
        first = false;
      }
    }
  }
  return plan;
}

}  // namespace hmasim
