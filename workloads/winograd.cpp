#include "workloads/winograd.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace hmasim {

namespace {

// G' = 2G of F(2x2, 3x3).
constexpr int kG[4][3] = {{2, 0, 0}, {1, 1, 1}, {1, -1, 1}, {0, 0, 2}};

}  // namespace

bool winograd_shape(const Layer& l) {
  return l.type == LayerType::conv && l.r == 3 && l.s == 3 && l.stride == 1 && l.groups == 1 &&
         l.precision <= 8;
}

KernelGeometry winograd_geometry(KernelGeometry g) {
  g.r = 4;
  g.s = 4;
  return g;
}

std::vector<std::int8_t> winograd_transform(const KernelGeometry& g,
                                            const std::vector<std::int8_t>& weights) {
  if (g.r != 3 || g.s != 3 || weights.size() != g.weights()) {
    throw std::invalid_argument("winograd_transform: needs 3x3 kernels and every weight");
  }
  const std::uint64_t kernels = g.groups * g.kernels_per_group * g.channels;  // 3x3 planes
  std::vector<std::int32_t> u(kernels * 16);
  std::int32_t largest = 0;
  for (std::uint64_t p = 0; p < kernels; ++p) {
    const std::int8_t* w = &weights[p * 9];
    std::int32_t t[4][3];  // G' g
    for (int i = 0; i < 4; ++i) {
      for (int j = 0; j < 3; ++j) {
        t[i][j] = kG[i][0] * w[0 * 3 + j] + kG[i][1] * w[1 * 3 + j] + kG[i][2] * w[2 * 3 + j];
      }
    }
    for (int i = 0; i < 4; ++i) {
      for (int j = 0; j < 4; ++j) {  // (G' g) G'^T
        const std::int32_t v = t[i][0] * kG[j][0] + t[i][1] * kG[j][1] + t[i][2] * kG[j][2];
        u[p * 16 + static_cast<std::uint64_t>(i * 4 + j)] = v;
        largest = std::max(largest, std::abs(v));
      }
    }
  }
  std::vector<std::int8_t> out(u.size());
  for (std::size_t i = 0; i < u.size(); ++i) {
    std::int64_t v = u[i];
    if (largest > 127) {
      const std::int64_t num = 2 * v * 127;
      const std::int64_t den = 2 * static_cast<std::int64_t>(largest);
      v = (num >= 0 ? num + largest : num - largest) / den;  // round half away from zero
    }
    out[i] = static_cast<std::int8_t>(v);
  }
  return out;
}

}  // namespace hmasim
