// NVDLA's Winograd weights (issue 13): the F(2x2, 3x3) transform U = G g G^T of every 3x3 kernel,
// checked against a floating-point product written here, stored 4x4 (16/9 of the bytes) by every
// encoding and decoded back to the transformed kernels.
#include <gtest/gtest.h>

#include <cmath>

#include "workloads/encoding_fixtures.hpp"
#include "workloads/weight_encoding.hpp"
#include "workloads/winograd.hpp"

namespace hmasim {
namespace {

// U = G g G^T in doubles, G of F(2x2, 3x3).
std::vector<double> transform_reference(const std::int8_t* g) {
  const double G[4][3] = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
  std::vector<double> u(16, 0.0);
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) {
      for (int a = 0; a < 3; ++a) {
        for (int b = 0; b < 3; ++b) u[i * 4 + j] += G[i][a] * g[a * 3 + b] * G[j][b];
      }
    }
  }
  return u;
}

TEST(encodingWinograd, SmallKernelsTransformExactlyAtFourTimesU) {
  KernelGeometry g;
  g.kernels_per_group = 2;
  g.channels = 1;
  g.r = g.s = 3;
  const std::vector<std::int8_t> w = {1, 2, 3, 4, 5, 6, 7, 8, 9, -9, 0, 3, 1, -2, 0, 5, 5, -1};
  const std::vector<std::int8_t> u = winograd_transform(g, w);
  ASSERT_EQ(u.size(), 32u);
  for (int k = 0; k < 2; ++k) {
    const std::vector<double> ref = transform_reference(&w[static_cast<std::size_t>(k) * 9]);
    for (int i = 0; i < 16; ++i) {
      EXPECT_EQ(u[static_cast<std::size_t>(k * 16 + i)], static_cast<std::int8_t>(4 * ref[i]))
          << "kernel " << k << " element " << i;
    }
  }
}

TEST(encodingWinograd, LargeKernelsAreScaledToInt8ByTheLargestMagnitude) {
  KernelGeometry g;
  g.kernels_per_group = 1;
  g.channels = 2;
  g.r = g.s = 3;
  std::vector<std::int8_t> w(18, 127);
  w[9] = -128;
  const std::vector<std::int8_t> u = winograd_transform(g, w);
  // The largest magnitude (4U of the all-127 kernel's centre, 9 x 127) maps to 127.
  int largest = 0;
  for (std::int8_t v : u) largest = std::max(largest, std::abs(static_cast<int>(v)));
  EXPECT_EQ(largest, 127);
  const std::vector<double> ref = transform_reference(w.data());
  const double m = 4 * ref[5];  // element (1, 1): the sum of all nine
  for (int i = 0; i < 16; ++i) {
    EXPECT_EQ(u[static_cast<std::size_t>(i)],
              static_cast<std::int8_t>(std::lround(127 * 4 * ref[i] / m)));
  }
}

TEST(encodingWinograd, EveryEncodingStoresTheFourByFourKernelsAndDecodesThem) {
  const Layer layer =
      test::encoding_layer("  - {name: c, type: conv, k: 40, r: 3, padding: 1, sparsity: 0.5}\n");
  ASSERT_TRUE(winograd_shape(layer));
  const std::vector<std::int8_t> weights = generate_weights(layer, 7);
  const std::vector<std::int8_t> transformed = winograd_transform(kernel_geometry(layer), weights);
  for (Encoding e : {Encoding::dense, Encoding::bitmask, Encoding::csr}) {
    EncodingConfig c;
    c.encoding = e;
    c.atoms = test::kTestAtoms;
    c.winograd = true;
    const EncodedLayer stored = encode_layer(layer, weights, c);
    EXPECT_TRUE(stored.winograd);
    const DecodedLayer d = decode_layer(layer, stored);
    EXPECT_EQ(d.weights, transformed) << to_string(e);
  }
  EncodingConfig dense;
  dense.atoms = test::kTestAtoms;
  EncodingConfig wino = dense;
  wino.winograd = true;
  const auto bytes = [&](const EncodingConfig& c) {
    return encode_layer(layer, weights, c).require(StructureKind::values).elements;
  };
  EXPECT_EQ(bytes(wino) * 9, bytes(dense) * 16);
}

TEST(encodingWinograd, OnlyThreeByThreeStrideOneConvolutions) {
  EncodingConfig c;
  c.atoms = test::kTestAtoms;
  c.winograd = true;
  for (const char* yaml : {"  - {name: c, type: conv, k: 8, r: 3, stride: 2}\n",
                           "  - {name: c, type: conv, k: 8, r: 1}\n",
                           "  - {name: c, type: dwconv, r: 3, padding: 1}\n"}) {
    const Layer l = test::encoding_layer(yaml);
    EXPECT_FALSE(winograd_shape(l)) << yaml;
    EXPECT_THROW(encode_layer(l, generate_weights(l, 1), c), std::invalid_argument) << yaml;
  }
}

}  // namespace
}  // namespace hmasim
