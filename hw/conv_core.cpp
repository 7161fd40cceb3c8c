#include "hw/conv_core.hpp"

#include <algorithm>

#include "core/integer_math.hpp"
#include "workloads/dense_encoding.hpp"

namespace hmasim {

ConvMode conv_mode(const ConvWork& w, const MacArrayConfig& c) {
  const NvdlaAtoms atoms = atoms_for_element({c.atomic_c, c.atomic_k}, w.bytes_per_element);
  if (w.reads_image && c.image_input != ImageInput::off && w.channels < atoms.atomic_c &&
      w.s * w.channels > 0) {
    return ConvMode::image;
  }
  if (w.winograd_shape && c.winograd && !w.depthwise) return ConvMode::winograd;
  return ConvMode::direct;
}

Cycles ConvCore::stripe_cycles(std::uint64_t positions) const {
  const std::uint64_t m = config_.stripe_max_ops;
  const std::uint64_t min = config_.stripe_min_cycles;
  const std::uint64_t full = positions / m;
  const std::uint64_t rest = positions % m;
  return Cycles(full * std::max(m, min) + (rest ? std::max(rest, min) : 0));
}

ConvCore::Timing ConvCore::compute(const ConvWork& w, std::uint64_t positions,
                                   std::uint64_t kernels, std::uint64_t channels,
                                   std::uint64_t columns) const {
  // The configured atoms are int8's; 16-bit data runs half the kernels per atomic operation
  // (atoms_for_element, dense_encoding.hpp), so twice the passes over the same positions.
  const NvdlaAtoms atoms =
      atoms_for_element({config_.atomic_c, config_.atomic_k}, w.bytes_per_element);
  const std::uint64_t ac = atoms.atomic_c;
  const std::uint64_t ak = atoms.atomic_k;
  // Passes of the array over the tile's positions: one per (kernel group, channel op, r, s).
  std::uint64_t passes = 0;
  const ConvMode mode = conv_mode(w, config_);
  if (mode == ConvMode::image) {
    // Rows of S x C channels (pre-extension), 2 or 4 rows folded together where they fit
    // (post-extension): one pass per kernel group, channel op of the row(s) and row group.
    const std::uint64_t line = w.s * channels;
    std::uint64_t rows = 1;
    if (config_.image_input == ImageInput::post_extension) {
      while (rows < 4 && rows * 2 <= w.r && rows * 2 * line <= ac) rows *= 2;
    }
    passes = ceil_div(kernels, ak) * ceil_div(rows * line, ac) * ceil_div(w.r, rows);
  } else if (mode == ConvMode::winograd) {
    // 2x2 output blocks of the tile's rows x columns (a tile is whole rows of its columns), 16
    // passes each.
    const std::uint64_t width = columns ? columns : w.out_w;
    const std::uint64_t rows = width ? ceil_div(positions, width) : 0;
    positions = ceil_div(rows, 2) * ceil_div(width, 2);
    passes = ceil_div(kernels, ak) * ceil_div(channels, ac) * 16;
  } else if (w.depthwise) {
    passes = ceil_div(kernels, std::min(ac, ak)) * w.r * w.s;
  } else {
    const std::uint64_t per_group = ceil_div(kernels, w.groups);
    passes = w.groups * ceil_div(per_group, ak) * ceil_div(channels, ac) * w.r * w.s;
  }
  const std::uint64_t stripes_per_pass = ceil_div(positions, config_.stripe_max_ops);
  Timing t;
  t.cycles = Cycles(passes * stripe_cycles(positions).value());
  t.atomic_ops = passes * positions;
  t.stripes = passes * stripes_per_pass;
  t.feature_read_bytes = t.atomic_ops * ac * w.bytes_per_element;
  t.weight_read_bytes = t.stripes * ac * ak * w.bytes_per_element;
  return t;
}

}  // namespace hmasim
