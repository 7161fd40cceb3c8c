// Every weight encoding through encode_layer / decode_layer: lossless round trips over shapes,
// sparsities and precisions, storage sizes against the formulas of docs/encodings.md, and decoding
// of arbitrary (corrupted) bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "workloads/bitmask_encoding.hpp"
#include "workloads/encoding_fixtures.hpp"
#include "workloads/idxsync.hpp"
#include "workloads/nvdla_order.hpp"
#include "workloads/weight_encoding.hpp"

namespace {

using hmasim::DecodedLayer;
using hmasim::EncodedLayer;
using hmasim::Encoding;
using hmasim::EncodingConfig;
using hmasim::Layer;
using hmasim::StructureKind;
using hmasim::ValueCoding;
using hmasim::test::kTestAtoms;
using hmasim::test::round_up_to;

// The configurations every layer is encoded with.
struct Variant {
  const char* name;
  EncodingConfig config;
};

EncodingConfig config(Encoding e, ValueCoding values = ValueCoding::fixed) {
  EncodingConfig c;
  c.encoding = e;
  c.atoms = kTestAtoms;
  c.values = values;
  c.cluster_bits = 3;  // the generator's weights take more values: k-means is lossy here
  return c;
}

std::vector<Variant> variants(unsigned precision) {
  std::vector<Variant> v;
  v.push_back({"dense int8", config(Encoding::dense)});
  v.push_back({"dense packed", config(Encoding::dense)});
  v.back().config.value_bits = precision;
  v.push_back({"cluster", config(Encoding::cluster)});
  v.push_back({"bitmask", config(Encoding::bitmask)});
  v.push_back({"bitmask packed+idxsync+ecc", config(Encoding::bitmask)});
  v.back().config.value_bits = precision;
  v.back().config.idxsync = true;
  v.back().config.ecc = {StructureKind::mask, StructureKind::counters};
  v.back().config.ecc_code = {512, 14};
  v.push_back({"bitmask cluster", config(Encoding::bitmask, ValueCoding::cluster)});
  v.push_back({"csr auto", config(Encoding::csr)});
  v.push_back({"csr 2-bit indices cluster+ecc", config(Encoding::csr, ValueCoding::cluster)});
  v.back().config.csr.index_bits = 2;
  v.back().config.ecc = {StructureKind::indices, StructureKind::counters};
  return v;
}

bool uses_clusters(const EncodingConfig& c) {
  return c.encoding == Encoding::cluster ||
         (c.encoding != Encoding::dense && c.values == ValueCoding::cluster);
}

TEST(encodingRoundTrip, EveryEncodingIsLosslessWithoutFaults) {
  for (const auto& shape : hmasim::test::kShapes) {
    for (double sparsity : {0.0, 0.5, 0.9, 0.99}) {
      for (unsigned precision : {8u, 5u, 2u}) {
        const std::string props =
            ", sparsity: " + std::to_string(sparsity) + ", precision: " + std::to_string(precision);
        const Layer layer = hmasim::test::shape_layer(shape, props);
        const auto w = hmasim::test::weights_of(layer);
        // Clustered weights: the dense cluster encoding's decode, which the sparse encodings with
        // cluster values must reproduce exactly.
        const DecodedLayer clustered =
            hmasim::decode_layer(layer, hmasim::encode_layer(layer, w, config(Encoding::cluster)));
        for (const auto& [name, c] : variants(precision)) {
          SCOPED_TRACE(std::string(shape.name) + " sparsity " + std::to_string(sparsity) +
                       " precision " + std::to_string(precision) + " " + name);
          const EncodedLayer e = hmasim::encode_layer(layer, w, c);
          const DecodedLayer d = hmasim::decode_layer(layer, e);
          EXPECT_EQ(d.weights, uses_clusters(c) ? clustered.weights : w);
          EXPECT_EQ(d.ecc_corrected + d.ecc_uncorrectable + d.format_errors, 0u);
          EXPECT_EQ(d.idxsync_realignments, 0u);
          // The sparse decoders read every non-zero from a stored value and nothing else.
          if (c.encoding == Encoding::bitmask) {
            for (std::size_t i = 0; i < w.size(); ++i) {
              ASSERT_EQ(d.source[i] != 0, w[i] != 0) << i;
            }
          }
          for (const auto& s : e.structures) {
            EXPECT_EQ(s.bytes.size() % hmasim::kDataAlignment, 0u) << s.name();
          }
        }
      }
    }
  }
}

TEST(encodingRoundTrip, ClusteredLayersWithFewValuesAreExact) {
  // The generator gives a cluster_bits: 3 layer at most 8 values: clustering to 3 bits is exact.
  const Layer layer =
      hmasim::test::shape_layer(hmasim::test::kShapes[0], ", sparsity: 0.6, cluster_bits: 3");
  const auto w = hmasim::test::weights_of(layer);
  EXPECT_LE(std::set<std::int8_t>(w.begin(), w.end()).size(), 8u);
  for (Encoding e : {Encoding::cluster, Encoding::bitmask, Encoding::csr}) {
    SCOPED_TRACE(hmasim::to_string(e));
    const auto d = hmasim::decode_layer(
        layer, hmasim::encode_layer(layer, w, config(e, ValueCoding::cluster)));
    EXPECT_EQ(d.weights, w);
  }
}

TEST(encodingRoundTrip, DenseInt8IsExactlyTheNvdlaDenseBytes) {
  for (const auto& shape : hmasim::test::kShapes) {
    SCOPED_TRACE(shape.name);
    const Layer layer = hmasim::test::shape_layer(shape, ", sparsity: 0.3");
    const auto w = hmasim::test::weights_of(layer);
    const auto e = hmasim::encode_layer(layer, w, config(Encoding::dense));
    const auto nvdla = hmasim::encode_dense_nvdla(layer, w, kTestAtoms);
    ASSERT_EQ(e.structures.size(), 1u);
    EXPECT_EQ(e.structures[0].bytes, std::vector<std::uint8_t>(nvdla.begin(), nvdla.end()));
  }
}

TEST(encodingRoundTrip, InconsistentConfigurationsAreRefused) {
  const Layer layer = hmasim::test::shape_layer(hmasim::test::kShapes[2], ", precision: 8");
  const auto w = hmasim::test::weights_of(layer);
  auto c = config(Encoding::csr);
  c.idxsync = true;
  EXPECT_THROW(hmasim::encode_layer(layer, w, c), std::invalid_argument);
  c = config(Encoding::dense);
  c.ecc = {StructureKind::mask};
  EXPECT_THROW(hmasim::encode_layer(layer, w, c), std::invalid_argument);
  c = config(Encoding::cluster);
  c.cluster_bits.reset();  // and none on the layer
  EXPECT_THROW(hmasim::encode_layer(layer, w, c), std::invalid_argument);
  c = config(Encoding::dense);
  c.value_bits = 4;  // int8 weights up to +-127 do not fit
  EXPECT_THROW(hmasim::encode_layer(layer, w, c), std::invalid_argument);
  EXPECT_THROW(hmasim::encode_layer(layer, std::vector<std::int8_t>(3), config(Encoding::dense)),
               std::invalid_argument);
}

// ---- storage sizes: the formulas of docs/encodings.md, evaluated from the weights here ----

struct GroupCounts {
  std::vector<std::uint64_t> weights, non_zeros;
};

// Weights and non-zeros of every kernel group (atomic_k kernels of one convolution group).
GroupCounts group_counts(const Layer& layer, const std::vector<std::int8_t>& w) {
  const auto g = hmasim::kernel_geometry(layer);
  GroupCounts out;
  const std::uint64_t per_kernel = g.weights_per_kernel();
  for (std::uint64_t conv = 0; conv < g.groups; ++conv) {
    for (std::uint64_t k0 = 0; k0 < g.kernels_per_group; k0 += kTestAtoms.atomic_k) {
      const std::uint64_t kernels = std::min(kTestAtoms.atomic_k, g.kernels_per_group - k0);
      const auto first =
          w.begin() + static_cast<long>((conv * g.kernels_per_group + k0) * per_kernel);
      const std::vector<std::int8_t> part(first, first + static_cast<long>(kernels * per_kernel));
      out.weights.push_back(part.size());
      out.non_zeros.push_back(hmasim::test::count_non_zero(part));
    }
  }
  return out;
}

std::uint64_t bytes_of(const EncodedLayer& e, StructureKind kind) {
  const auto* s = e.find(kind);
  return s ? s->bytes.size() : 0;
}

TEST(encodingSizes, StructuresMatchTheDocumentedFormulas) {
  for (const auto& shape : hmasim::test::kShapes) {
    for (double sparsity : {0.0, 0.5, 0.9}) {
      SCOPED_TRACE(std::string(shape.name) + " " + std::to_string(sparsity));
      const Layer layer =
          hmasim::test::shape_layer(shape, ", sparsity: " + std::to_string(sparsity));
      const auto w = hmasim::test::weights_of(layer);
      const std::uint64_t n = w.size(), nnz = hmasim::test::count_non_zero(w);
      const unsigned b = 8;

      // dense: ceil(W b / 8) padded to 128.
      EXPECT_EQ(hmasim::encode_layer(layer, w, config(Encoding::dense)).bytes(),
                round_up_to(n * b / 8, 128));

      // cluster with 3-bit indices: values ceil(3 W / 8) padded, LUT 2^3 entries padded.
      auto cc = config(Encoding::cluster);
      cc.cluster_bits = 3;
      const auto cluster = hmasim::encode_layer(layer, w, cc);
      EXPECT_EQ(bytes_of(cluster, StructureKind::values), round_up_to((3 * n + 7) / 8, 128));
      EXPECT_EQ(bytes_of(cluster, StructureKind::lut), 128u);

      // bitmask: per kernel group, mask ceil(w_g / 8) and values ceil(nnz_g b / 8), each padded
      // to 128; WGS 4 bytes per group padded; IdxSync 11 bits per 128-byte mask block, padded.
      auto bc = config(Encoding::bitmask);
      bc.idxsync = true;
      bc.ecc = {StructureKind::mask};
      const auto bitmask = hmasim::encode_layer(layer, w, bc);
      const GroupCounts groups = group_counts(layer, w);
      std::uint64_t mask = 0, values = 0;
      for (std::size_t i = 0; i < groups.weights.size(); ++i) {
        mask += round_up_to((groups.weights[i] + 7) / 8, 128);
        values += round_up_to((groups.non_zeros[i] * b + 7) / 8, 128);
      }
      EXPECT_EQ(bytes_of(bitmask, StructureKind::mask), mask);
      EXPECT_EQ(bytes_of(bitmask, StructureKind::values), values);
      EXPECT_EQ(bytes_of(bitmask, StructureKind::counters),
                round_up_to(4 * groups.weights.size(), 128));
      EXPECT_EQ(bytes_of(bitmask, StructureKind::idxsync),
                round_up_to((mask / 128 * 11 + 7) / 8, 128));
      // SEC-DED (4 KB words, 24-bit fields): ceil(bytes / 4096) fields.
      EXPECT_EQ(bitmask.parity_of(StructureKind::mask)->bytes.size(),
                round_up_to(((mask + 4095) / 4096 * 24 + 7) / 8, 128));

      // csr with 3-bit indices: entries = non-zeros + sum over gaps of floor(gap / 8); counters
      // bit_width(C R S) bits per kernel.
      auto sc = config(Encoding::csr);
      sc.csr.index_bits = 3;
      const auto csr = hmasim::encode_layer(layer, w, sc);
      const auto g = hmasim::kernel_geometry(layer);
      const auto columns = hmasim::nvdla_kernel_columns(g, kTestAtoms);
      std::uint64_t entries = 0;
      for (std::uint64_t row = 0; row < g.groups * g.kernels_per_group; ++row) {
        std::uint64_t gap = 0;
        for (std::uint64_t col = 0; col < columns.size(); ++col) {
          if (w[row * columns.size() + columns[col]] == 0) {
            ++gap;
          } else {
            entries += 1 + gap / 8;
            gap = 0;
          }
        }
      }
      EXPECT_GE(entries, nnz);
      const std::uint64_t rows = g.groups * g.kernels_per_group;
      unsigned counter_bits = 0;
      while ((std::uint64_t{1} << counter_bits) <= columns.size()) ++counter_bits;
      EXPECT_EQ(bytes_of(csr, StructureKind::values), round_up_to((entries * b + 7) / 8, 128));
      EXPECT_EQ(bytes_of(csr, StructureKind::indices), round_up_to((entries * 3 + 7) / 8, 128));
      EXPECT_EQ(bytes_of(csr, StructureKind::counters),
                round_up_to((rows * counter_bits + 7) / 8, 128));
      EXPECT_EQ(hmasim::csr_entries(g, kTestAtoms, w, 3), entries);
    }
  }
}

TEST(encodingSizes, SparseEncodingsAreSmallerThanDenseAt90PercentSparsity) {
  // A layer large enough that 128-byte padding does not dominate: 64 kernels of 64 x 3 x 3.
  const Layer layer = hmasim::test::encoding_layer(
      "  - {name: c, type: conv, k: 64, r: 3, sparsity: 0.9, cluster_bits: 4}\n",
      "{h: 8, w: 8, c: 64}");
  const auto w = hmasim::test::weights_of(layer);
  const std::uint64_t dense = hmasim::encode_layer(layer, w, config(Encoding::dense)).bytes();
  for (ValueCoding v : {ValueCoding::fixed, ValueCoding::cluster}) {
    for (Encoding e : {Encoding::bitmask, Encoding::csr}) {
      const std::uint64_t sparse = hmasim::encode_layer(layer, w, config(e, v)).bytes();
      EXPECT_LT(sparse, dense) << hmasim::to_string(e);
      // 10 % non-zeros: the mask or the indices cost far less than the 90 % of values dropped.
      EXPECT_LT(2 * sparse, dense) << hmasim::to_string(e);
    }
  }
  // And the cluster indices alone: 4 of 8 bits.
  EXPECT_LT(hmasim::encode_layer(layer, w, config(Encoding::cluster)).bytes(), dense * 6 / 10);
}

TEST(encodingSizes, CellsFollowBitsPerCell) {
  hmasim::EncodedStructure s;
  s.bytes.resize(384);
  EXPECT_EQ(s.cells(1), 3072u);
  EXPECT_EQ(s.cells(2), 1536u);
  EXPECT_EQ(s.cells(3), 1024u);
  EXPECT_EQ(s.cells(4), 768u);
  s.bytes.resize(128);
  EXPECT_EQ(s.cells(3), 342u);  // 1024 bits: the last cell is part empty
}

// ---- arbitrary stored bytes ----

TEST(encodingRobustness, AnyStoredBytesDecodeInBounds) {
  std::mt19937_64 rng(99);
  for (const auto& shape : hmasim::test::kShapes) {
    const Layer layer = hmasim::test::shape_layer(shape, ", sparsity: 0.7");
    const auto w = hmasim::test::weights_of(layer);
    for (const auto& [name, c] : variants(8)) {
      SCOPED_TRACE(std::string(shape.name) + " " + name);
      const EncodedLayer golden = hmasim::encode_layer(layer, w, c);
      const DecodedLayer reference = hmasim::decode_layer(layer, golden);
      for (int trial = 0; trial < 40; ++trial) {
        EncodedLayer stored = golden;
        for (auto& s : stored.structures) {
          // A third of the trials: every byte random; a third: a structure of the wrong length
          // (random bytes); the rest: a few flipped bits.
          if (trial % 3 == 0) {
            for (auto& byte : s.bytes) byte = static_cast<std::uint8_t>(rng());
          } else if (trial % 3 == 1) {
            s.bytes.resize(rng() % (2 * s.bytes.size() + 1));
            for (auto& byte : s.bytes) byte = static_cast<std::uint8_t>(rng());
          } else {
            for (int f = 0; f < 5 && !s.bytes.empty(); ++f) {
              hmasim::flip_bit(s.bytes, rng() % (8 * s.bytes.size()));
            }
          }
        }
        const DecodedLayer d = hmasim::decode_layer(layer, stored);
        ASSERT_EQ(d.weights.size(), w.size());
        const auto errors = hmasim::compare_weights(d, reference);
        EXPECT_LE(errors.corrupted, w.size());
        EXPECT_LE(errors.misplaced, hmasim::test::count_non_zero(reference.weights));
      }
    }
  }
}

}  // namespace

namespace {

// The worked example of docs/encodings.md, byte for byte.
TEST(encodingDocs, WorkedExample) {
  const Layer layer =
      hmasim::test::encoding_layer("  - {name: c, type: conv, k: 2, r: 2}\n", "{h: 2, w: 2, c: 2}");
  // Generator order [kernel][channel][r][s].
  const std::vector<std::int8_t> w = {3, 0, 0, -1, 0, 0, 2, 0,   // kernel 0
                                      0, 0, 0, 0,  0, 5, 0, 0};  // kernel 1
  auto c = config(Encoding::dense);
  c.atoms = hmasim::NvdlaAtoms{2, 2};
  auto bytes = [&](const EncodedLayer& e, StructureKind kind, std::size_t n) {
    const auto& b = e.find(kind)->bytes;
    EXPECT_EQ(b.size(), 128u) << hmasim::to_string(kind);
    return std::vector<std::uint8_t>(b.begin(), b.begin() + static_cast<long>(n));
  };
  using Bytes = std::vector<std::uint8_t>;
  EXPECT_EQ(bytes(hmasim::encode_layer(layer, w, c), StructureKind::values, 16),
            (Bytes{0x03, 0, 0, 0, 0, 0, 0, 0x05, 0, 0x02, 0, 0, 0xff, 0, 0, 0}));

  c.encoding = Encoding::cluster;
  c.cluster_bits = 2;
  const EncodedLayer cluster = hmasim::encode_layer(layer, w, c);
  EXPECT_EQ(bytes(cluster, StructureKind::lut, 4), (Bytes{0xff, 0x00, 0x03, 0x05}));
  EXPECT_EQ(bytes(cluster, StructureKind::values, 4), (Bytes{0x56, 0xd5, 0x59, 0x54}));
  EXPECT_EQ(hmasim::decode_layer(layer, cluster).weights,
            (std::vector<std::int8_t>{3, 0, 0, -1, 0, 0, 3, 0, 0, 0, 0, 0, 0, 5, 0, 0}));

  c.encoding = Encoding::bitmask;
  c.idxsync = true;
  const EncodedLayer bitmask = hmasim::encode_layer(layer, w, c);
  EXPECT_EQ(bytes(bitmask, StructureKind::mask, 3), (Bytes{0x81, 0x12, 0}));
  EXPECT_EQ(bytes(bitmask, StructureKind::values, 5), (Bytes{0x03, 0x05, 0x02, 0xff, 0}));
  EXPECT_EQ(bytes(bitmask, StructureKind::counters, 5), (Bytes{4, 0, 0, 0, 0}));
  EXPECT_EQ(bytes(bitmask, StructureKind::idxsync, 2), (Bytes{4, 0}));
  // Mask bit 7 (the 5) misread: the 5 is lost, positions 9 and 12 (generator 6 and 3) take 5 and 2.
  EncodedLayer misread = bitmask;
  hmasim::flip_bit(misread.find(StructureKind::mask)->bytes, 7);
  const DecodedLayer d = hmasim::decode_layer(layer, misread);
  EXPECT_EQ(d.weights, (std::vector<std::int8_t>{3, 0, 0, 2, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(hmasim::compare_weights(d, hmasim::decode_layer(layer, bitmask)).misplaced, 3u);

  c.encoding = Encoding::csr;
  c.idxsync = false;
  c.csr.index_bits = 2;
  const EncodedLayer csr = hmasim::encode_layer(layer, w, c);
  EXPECT_EQ(bytes(csr, StructureKind::values, 6), (Bytes{0x03, 0x00, 0x02, 0xff, 0x05, 0}));
  EXPECT_EQ(bytes(csr, StructureKind::indices, 3), (Bytes{0x0c, 0x03, 0}));
  EXPECT_EQ(bytes(csr, StructureKind::counters, 2), (Bytes{0x14, 0}));
  EXPECT_EQ(hmasim::decode_layer(layer, csr).weights, w);

  // SEC-DED over one byte, 0x81: data bits 0 and 7 sit at codeword positions 3 and 12; the check
  // bits are 3 ^ 12 = 0b1111 and the overall parity is even: field 0x0f.
  const hmasim::Secded code(hmasim::SecdedConfig{8, 5});
  std::uint8_t word = 0x81;
  EXPECT_EQ(code.encode(&word, 1), 0x0fu);
  word ^= 0x80;  // syndrome 12: data bit 7
  EXPECT_EQ(code.correct(&word, 1, 0x0f), hmasim::Secded::Result::corrected);
  EXPECT_EQ(word, 0x81);
}

}  // namespace

namespace {

// 16-bit data (issues 10, 13): dense int16 storage, NVDLA's int16 layout.
struct Wide {
  Layer layer;
  std::vector<std::int16_t> weights;
  EncodingConfig config;
};

Wide wide_layer(const hmasim::test::ShapeCase& shape, double sparsity = 0.4) {
  Wide w{hmasim::test::shape_layer(shape, ", sparsity: " + std::to_string(sparsity)), {}, {}};
  w.layer.precision = 16;
  w.weights = hmasim::generate_weights16(w.layer, 5);
  w.config.encoding = Encoding::dense;
  w.config.atoms = kTestAtoms;
  w.config.value_bits = 16;
  return w;
}

TEST(encoding16, DenseRoundTripStoresLittleEndianInt16InNvdlaOrder) {
  for (const auto& shape : hmasim::test::kShapes) {
    SCOPED_TRACE(shape.name);
    const Wide w = wide_layer(shape);
    const EncodedLayer e = hmasim::encode_layer(w.layer, w.weights, w.config);
    ASSERT_EQ(e.structures.size(), 1u);
    const auto& values = e.require(StructureKind::values);
    EXPECT_EQ(values.element_bits, 16u);
    EXPECT_EQ(values.elements, w.weights.size());
    EXPECT_EQ(values.bytes.size(), round_up_to(2 * w.weights.size(), 128));
    // Stream position j holds the weight NVDLA's order puts there, low byte first.
    const hmasim::KernelGeometry g = hmasim::kernel_geometry(w.layer);
    std::uint64_t j = 0;
    for (const auto& kg : hmasim::kernel_groups(g, kTestAtoms)) {
      hmasim::for_each_nvdla_weight(g, kTestAtoms, kg, [&](std::uint64_t i) {
        const auto u = static_cast<std::uint16_t>(w.weights[i]);
        ASSERT_EQ(values.bytes[2 * j], u & 0xff);
        ASSERT_EQ(values.bytes[2 * j + 1], u >> 8);
        ++j;
      });
    }
    EXPECT_EQ(j, w.weights.size());
    const DecodedLayer d = hmasim::decode_layer(w.layer, e);
    EXPECT_TRUE(d.weights.empty());
    EXPECT_EQ(d.weights16, w.weights);
    const auto errors = hmasim::compare_weights(d, d);
    EXPECT_EQ(errors.weights, w.weights.size());
    EXPECT_EQ(errors.corrupted, 0u);
  }
}

TEST(encoding16, AFlippedBitCorruptsExactlyOneWeight) {
  const Wide w = wide_layer(hmasim::test::kShapes[0], 0.0);
  const EncodedLayer golden = hmasim::encode_layer(w.layer, w.weights, w.config);
  const DecodedLayer reference = hmasim::decode_layer(w.layer, golden);
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 50; ++trial) {
    EncodedLayer stored = golden;
    auto& bytes = stored.structures[0].bytes;
    const std::uint64_t weight = rng() % w.weights.size();
    // One bit, or every bit of both bytes: still one weight.
    if (trial % 2 == 0) {
      hmasim::flip_bit(bytes, 16 * weight + rng() % 16);
    } else {
      for (unsigned b = 0; b < 16; ++b) hmasim::flip_bit(bytes, 16 * weight + b);
    }
    const auto e = hmasim::compare_weights(hmasim::decode_layer(w.layer, stored), reference);
    EXPECT_EQ(e.corrupted, 1u);
    EXPECT_EQ(e.misplaced, 0u);
  }
  // Two weights of adjacent positions: two corrupted.
  EncodedLayer stored = golden;
  hmasim::flip_bit(stored.structures[0].bytes, 15);
  hmasim::flip_bit(stored.structures[0].bytes, 16);
  EXPECT_EQ(hmasim::compare_weights(hmasim::decode_layer(w.layer, stored), reference).corrupted,
            2u);
}

TEST(encoding16, SecdedCorrectsSixteenBitValues) {
  Wide w = wide_layer(hmasim::test::kShapes[1]);
  w.config.ecc = {StructureKind::values};
  const EncodedLayer golden = hmasim::encode_layer(w.layer, w.weights, w.config);
  ASSERT_NE(golden.parity_of(StructureKind::values), nullptr);
  EncodedLayer stored = golden;
  hmasim::flip_bit(stored.find(StructureKind::values)->bytes, 37);
  const DecodedLayer d = hmasim::decode_layer(w.layer, stored);
  EXPECT_EQ(d.weights16, w.weights);
  EXPECT_EQ(d.ecc_corrected, 1u);
}

TEST(encoding16, SparseAndClusterEncodingsAreDenseOnlyErrors) {
  const Wide w = wide_layer(hmasim::test::kShapes[0]);
  for (Encoding e : {Encoding::bitmask, Encoding::csr, Encoding::cluster}) {
    EncodingConfig c = w.config;
    c.encoding = e;
    try {
      hmasim::encode_layer(w.layer, w.weights, c);
      ADD_FAILURE() << hmasim::to_string(e);
    } catch (const std::invalid_argument& err) {
      const std::string what = err.what();
      EXPECT_NE(what.find("layer 'c'"), std::string::npos) << what;
      EXPECT_NE(what.find(hmasim::to_string(e)), std::string::npos) << what;
      EXPECT_NE(what.find("16-bit data is stored dense only"), std::string::npos) << what;
    }
  }
}

TEST(encoding16, WidthsAndValuesMustAgree) {
  Wide w = wide_layer(hmasim::test::kShapes[2]);
  // int8 weights for a 16-bit layer, int16 weights for 8-bit values, values beyond the width.
  EXPECT_THROW(hmasim::encode_layer(w.layer, std::vector<std::int8_t>(w.weights.size()), w.config),
               std::invalid_argument);
  EncodingConfig eight = w.config;
  eight.value_bits = 8;
  EXPECT_THROW(hmasim::encode_layer(w.layer, w.weights, eight), std::invalid_argument);
  EncodingConfig ten = w.config;
  ten.value_bits = 10;
  EXPECT_THROW(hmasim::encode_layer(w.layer, w.weights, ten), std::invalid_argument);
  w.weights.pop_back();
  EXPECT_THROW(hmasim::encode_layer(w.layer, w.weights, w.config), std::invalid_argument);
}

}  // namespace
