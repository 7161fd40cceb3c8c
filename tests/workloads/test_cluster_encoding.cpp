// Cluster-index weights: k-means per layer (exact for few values, zero kept exact, deterministic,
// a Lloyd fixed point), the look-up table, and the value coders behind every encoding.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include "workloads/cluster_encoding.hpp"
#include "workloads/encoding_fixtures.hpp"
#include "workloads/weight_encoding.hpp"

namespace {

using hmasim::Layer;
using hmasim::StructureKind;
using hmasim::ValueCoder;

TEST(encodingCluster, ExactForWeightsWithFewValues) {
  const std::vector<std::int8_t> w = {0, 3, -3, 0, 7, 3, 3, -100, 0};  // 4 non-zero values + zero
  for (unsigned bits : {3u, 4u}) {
    const auto c = hmasim::cluster_weights(w, bits);
    EXPECT_EQ(c.centroids, (std::vector<std::int8_t>{-100, -3, 0, 3, 7}));
    EXPECT_EQ(c.iterations, 0u);
    const ValueCoder coder = hmasim::cluster_coder(c);
    for (std::int8_t v : w) EXPECT_TRUE(coder.exact(v)) << int{v};
  }
  // Two bits: four centroids, one of them zero - three for four non-zero values.
  const auto c2 = hmasim::cluster_weights(w, 2);
  EXPECT_EQ(c2.centroids.size(), 4u);
  EXPECT_EQ(std::count(c2.centroids.begin(), c2.centroids.end(), 0), 1);
}

TEST(encodingCluster, GeneratedClusterBitsLayersClusterExactly) {
  for (unsigned bits : {2u, 4u, 7u}) {
    const Layer layer = hmasim::test::encoding_layer(
        "  - {name: c, type: conv, k: 64, r: 3, sparsity: 0.6484, cluster_bits: " +
            std::to_string(bits) + "}\n",
        "{h: 8, w: 8, c: 32}");
    const auto w = hmasim::test::weights_of(layer);
    const ValueCoder coder = hmasim::cluster_coder(hmasim::cluster_weights(w, bits));
    for (std::int8_t v : w) ASSERT_TRUE(coder.exact(v)) << int{v};
  }
}

TEST(encodingCluster, KMeansIsANearestCentroidLloydFixedPoint) {
  // 8-bit Gaussian weights, 70 % zeros, into 8 centroids: 7 for about 60 distinct non-zero values.
  const Layer layer = hmasim::test::encoding_layer(
      "  - {name: c, type: conv, k: 64, r: 3, sparsity: 0.7}\n", "{h: 8, w: 8, c: 32}");
  const auto w = hmasim::test::weights_of(layer);
  ASSERT_GT(std::set<std::int8_t>(w.begin(), w.end()).size(), 8u);
  const auto c = hmasim::cluster_weights(w, 3);
  EXPECT_TRUE(c.converged);
  EXPECT_GT(c.iterations, 0u);
  ASSERT_EQ(c.centroids.size(), 8u);
  EXPECT_TRUE(std::is_sorted(c.centroids.begin(), c.centroids.end()));
  EXPECT_EQ(std::count(c.centroids.begin(), c.centroids.end(), 0), 1);
  const ValueCoder coder = hmasim::cluster_coder(c);
  // Every non-zero goes to its nearest non-zero centroid; zero stays zero.
  std::map<int, std::pair<double, double>> members;  // centroid -> (sum, count)
  for (std::int8_t v : w) {
    const std::int8_t q = coder.decode(coder.encode(v));
    if (v == 0) {
      ASSERT_EQ(q, 0);
      continue;
    }
    ASSERT_NE(q, 0);
    for (std::int8_t t : c.centroids) {
      if (t != 0) {
        ASSERT_LE(std::abs(q - v), std::abs(t - v)) << int{v};
      }
    }
    members[q].first += v;
    members[q].second += 1;
  }
  // Converged: each centroid is the rounded mean of its members (a mean rounding to zero, of a
  // cluster straddling it, stays off zero on the side of the mean).
  for (const auto& [centroid, sc] : members) {
    const long mean = std::lround(sc.first / sc.second);
    EXPECT_EQ(centroid, mean != 0 ? mean : (sc.first >= 0 ? 1 : -1));
  }
  // Deterministic: the same weights give the same table.
  EXPECT_EQ(hmasim::cluster_weights(w, 3).centroids, c.centroids);
}

TEST(encodingCluster, LutIsStoredPaddedAndDecodesAnyIndex) {
  const std::vector<std::int8_t> w = {0, 1, 2, 0, 5};
  const auto e = hmasim::lut_structure(hmasim::cluster_coder(hmasim::cluster_weights(w, 3)));
  EXPECT_EQ(e.kind, StructureKind::lut);
  EXPECT_EQ(e.bytes.size(), 128u);
  // Four centroids, then the last one repeated up to 2^3 entries, then zero padding.
  const std::vector<std::uint8_t> entries(e.bytes.begin(), e.bytes.begin() + 9);
  EXPECT_EQ(entries, (std::vector<std::uint8_t>{0, 1, 2, 5, 5, 5, 5, 5, 0}));
  const ValueCoder decoder = hmasim::coder_from_lut(e, 3);
  for (std::uint32_t code = 0; code < 8; ++code) {
    EXPECT_EQ(decoder.decode(code), static_cast<std::int8_t>(code < 3 ? code : 5));
  }
}

TEST(encodingCluster, ClusterEncodingStoresIndicesAndTheLut) {
  const Layer layer =
      hmasim::test::shape_layer(hmasim::test::kShapes[0], ", sparsity: 0.5, cluster_bits: 4");
  const auto w = hmasim::test::weights_of(layer);
  hmasim::EncodingConfig config;
  config.encoding = hmasim::Encoding::cluster;
  config.atoms = hmasim::test::kTestAtoms;
  const auto e = hmasim::encode_layer(layer, w, config);
  ASSERT_EQ(e.structures.size(), 2u);
  EXPECT_EQ(e.find(StructureKind::values)->element_bits, 4u);
  EXPECT_EQ(e.find(StructureKind::values)->bytes.size(),
            hmasim::test::round_up_to(w.size() / 2, 128));
  EXPECT_EQ(e.find(StructureKind::lut)->elements, 16u);
  // A misread index changes its own weight only, to another table value.
  const auto golden = hmasim::decode_layer(layer, e);
  auto stored = e;
  hmasim::flip_bit(stored.find(StructureKind::values)->bytes, 4 * 123 + 2);
  const auto d = hmasim::decode_layer(layer, stored);
  const auto errors = hmasim::compare_weights(d, golden);
  EXPECT_EQ(errors.corrupted, 1u);
  EXPECT_EQ(errors.misplaced, 0u);
}

TEST(encodingCluster, FixedPointCoderIsTwosComplement) {
  const ValueCoder c = ValueCoder::fixed_point(4);
  EXPECT_EQ(c.encode(-1), 0xfu);
  EXPECT_EQ(c.encode(7), 7u);
  EXPECT_EQ(c.encode(-7), 9u);
  EXPECT_EQ(c.decode(0x8), -8);
  EXPECT_EQ(c.decode(0x1f), -1);  // bits above the width are ignored
  EXPECT_TRUE(c.exact(-8));
  EXPECT_FALSE(c.exact(8));
  for (int v = -128; v < 128; ++v) {
    EXPECT_TRUE(ValueCoder::fixed_point(8).exact(static_cast<std::int8_t>(v)));
  }
  EXPECT_THROW(ValueCoder::fixed_point(1), std::invalid_argument);
  EXPECT_THROW(ValueCoder::fixed_point(9), std::invalid_argument);
  EXPECT_THROW(hmasim::cluster_weights({1, 2}, 9), std::invalid_argument);
}

}  // namespace
