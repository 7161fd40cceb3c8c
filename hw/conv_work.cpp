#include "hw/conv_work.hpp"

#include <algorithm>

#include "workloads/winograd.hpp"

namespace hmasim {

void ConvWork::input_rows(std::uint64_t o0, std::uint64_t o1, std::uint64_t& first,
                          std::uint64_t& end) const {
  const std::int64_t lo =
      static_cast<std::int64_t>(o0 * stride) - static_cast<std::int64_t>(padding);
  const std::int64_t hi =
      static_cast<std::int64_t>((o1 - 1) * stride + r) - static_cast<std::int64_t>(padding);
  first = static_cast<std::uint64_t>(std::max<std::int64_t>(0, lo));
  end =
      static_cast<std::uint64_t>(std::clamp<std::int64_t>(hi, 0, static_cast<std::int64_t>(in_h)));
  if (end < first) end = first;
}

ConvWork conv_work(const Layer& l) {
  ConvWork w;
  w.bytes_per_element = (l.precision + 7) / 8;
  const Shape& in = l.input();
  switch (l.type) {
    case LayerType::fc:
      w.in_h = in.h, w.in_w = in.w, w.in_c = in.c;
      w.r = in.h, w.s = in.w;
      w.out_h = 1, w.out_w = 1;
      w.kernels = l.out.c;
      w.channels = in.c;
      break;
    case LayerType::matmul:
      // Attention heads are groups: head g multiplies a's channel slice g by b's slice g.
      w.in_h = l.m, w.in_w = 1, w.in_c = l.k;
      w.out_h = l.m, w.out_w = 1;
      w.kernels = l.n;
      w.groups = l.heads;
      w.channels = l.k / l.heads;
      break;
    case LayerType::linear:
      // A matmul whose m rows are the input's h*w tokens.
      w.in_h = in.h * in.w, w.in_w = 1, w.in_c = in.c;
      w.out_h = in.h * in.w, w.out_w = 1;
      w.kernels = l.out.c;
      w.channels = in.c;
      break;
    default:  // conv, dwconv
      w.in_h = in.h, w.in_w = in.w, w.in_c = in.c;
      w.r = l.r, w.s = l.s;
      w.stride = l.stride, w.padding = l.padding;
      w.out_h = l.out.h, w.out_w = l.out.w;
      w.kernels = l.out.c;
      w.depthwise = l.type == LayerType::dwconv;
      w.groups = w.depthwise ? in.c : l.groups;
      w.channels = in.c / w.groups;
      w.winograd_shape = winograd_shape(l);
      w.reads_image =
          l.type == LayerType::conv && w.groups == 1 &&
          std::find(l.sources.begin(), l.sources.end(), kNetworkInput) != l.sources.end();
      break;
  }
  return w;
}

}  // namespace hmasim
