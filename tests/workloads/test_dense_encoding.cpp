// Dense encoding in NVDLA's direct-convolution weight order (nvdla/doc, doc/hw/format.rst).
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <tuple>

#include "workloads/dense_encoding.hpp"
#include "workloads/network.hpp"
#include "workloads/weight_generator.hpp"

namespace {

using hmasim::Layer;
using hmasim::NvdlaAtoms;

Layer resolved(const std::string& yaml_layers, const std::string& input = "{h: 4, w: 4, c: 3}") {
  const hmasim::Network n =
      hmasim::load_network_text("name: t\ninput: " + input + "\nlayers:\n" + yaml_layers, "t.yaml");
  return n.layers.back();
}

// Weights whose value is their position in generator order (fits int8 for < 128 weights).
std::vector<std::int8_t> numbered(const Layer& l) {
  std::vector<std::int8_t> w(l.weights);
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = static_cast<std::int8_t>(i);
  return w;
}

TEST(workloadDenseEncoding, FollowsNvdlaCubeOrder) {
  // K=3 kernels, C=3 channels, R=S=2; atoms: 2 channels x 2 kernels.
  const Layer l = resolved("  - {name: c, type: conv, k: 3, r: 2}\n");
  ASSERT_EQ(l.weights, 36u);
  const auto out = hmasim::encode_dense_nvdla(l, numbered(l), NvdlaAtoms{2, 2});
  ASSERT_EQ(out.size(), 128u);  // 36 bytes padded to 128
  // Generator order index of (k, c, r, s).
  auto at = [](int k, int c, int r, int s) {
    return static_cast<std::int8_t>(((k * 3 + c) * 2 + r) * 2 + s);
  };
  // Expected order: kernel group (k 0-1, then 2), channel cube (c 0-1, then 2), r, s, k, c'.
  std::vector<std::int8_t> expected;
  for (auto [k0, k1] : {std::pair{0, 2}, std::pair{2, 3}}) {
    for (auto [c0, c1] : {std::pair{0, 2}, std::pair{2, 3}}) {
      for (int r = 0; r < 2; ++r)
        for (int s = 0; s < 2; ++s)
          for (int k = k0; k < k1; ++k)
            for (int c = c0; c < c1; ++c) expected.push_back(at(k, c, r, s));
    }
  }
  ASSERT_EQ(expected.size(), 36u);
  EXPECT_TRUE(std::equal(expected.begin(), expected.end(), out.begin()));
  // By hand, the first cubes: (k0,c0..1) at (0,0), then (k1,c0..1), then s = 1.
  EXPECT_EQ(out[0], at(0, 0, 0, 0));
  EXPECT_EQ(out[1], at(0, 1, 0, 0));
  EXPECT_EQ(out[2], at(1, 0, 0, 0));
  EXPECT_EQ(out[4], at(0, 0, 0, 1));
  EXPECT_TRUE(std::all_of(out.begin() + 36, out.end(), [](std::int8_t b) { return b == 0; }));
}

TEST(workloadDenseEncoding, IsAPermutationForEveryLayerType) {
  const std::vector<std::string> layers = {
      "  - {name: c, type: conv, k: 40, r: 3, padding: 1}\n",
      "  - {name: g, type: conv, k: 12, r: 1, groups: 3}\n",
      "  - {name: d, type: dwconv, r: 3, k: 6}\n",
      "  - {name: f, type: fc, k: 7}\n",
  };
  for (const auto& text : layers) {
    SCOPED_TRACE(text);
    const Layer l = resolved(text, "{h: 5, w: 5, c: 3}");
    const auto w = hmasim::generate_weights(l, 1);
    const auto out = hmasim::encode_dense_nvdla(l, w, NvdlaAtoms{8, 8});
    EXPECT_EQ(out.size(), hmasim::dense_nvdla_bytes(l));
    EXPECT_EQ(out.size() % 128, 0u);
    std::vector<std::int8_t> a(w), b(out.begin(), out.begin() + static_cast<long>(w.size()));
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    EXPECT_EQ(a, b);
  }
}

TEST(workloadDenseEncoding, GroupsFollowEachOtherAndFcKernelsCoverTheInput) {
  const Layer d = resolved("  - {name: d, type: dwconv, r: 2}\n");
  EXPECT_EQ(hmasim::kernel_geometry(d).groups, 3u);
  EXPECT_EQ(hmasim::dense_group_bytes(d), 4u);
  const auto out = hmasim::encode_dense_nvdla(d, numbered(d), NvdlaAtoms{8, 8});
  for (int i = 0; i < 12; ++i)
    EXPECT_EQ(out[static_cast<std::size_t>(i)], i);  // one channel: r, s order
  const Layer f = resolved("  - {name: f, type: fc, k: 2}\n", "{h: 2, w: 2, c: 2}");
  const auto g = hmasim::kernel_geometry(f);
  EXPECT_EQ(std::make_tuple(g.r, g.s, g.channels, g.kernels_per_group),
            std::make_tuple(2u, 2u, 2u, 2u));
  // fc with atoms 8 x 8: c' (2 channels) fastest, then the 2 kernels, then w, then h.
  const auto fo = hmasim::encode_dense_nvdla(f, numbered(f), NvdlaAtoms{8, 8});
  auto at = [](int k, int c, int r, int s) {
    return static_cast<std::int8_t>(((k * 2 + c) * 2 + r) * 2 + s);
  };
  EXPECT_EQ(fo[0], at(0, 0, 0, 0));
  EXPECT_EQ(fo[1], at(0, 1, 0, 0));
  EXPECT_EQ(fo[2], at(1, 0, 0, 0));
  EXPECT_EQ(fo[4], at(0, 0, 0, 1));
  EXPECT_EQ(fo[8], at(0, 0, 1, 0));
  EXPECT_THROW(hmasim::encode_dense_nvdla(f, std::vector<std::int8_t>(3), NvdlaAtoms{}),
               std::invalid_argument);
  EXPECT_THROW(hmasim::encode_dense_nvdla(f, numbered(f), NvdlaAtoms{0, 8}), std::invalid_argument);
}

}  // namespace
