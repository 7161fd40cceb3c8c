// CSR weights: relative column indices with padding entries, row counters, the NVDLA column order,
// the automatic index width, and how far a misread counter or index reaches (MaxNVM Sec. 4.2).
#include <gtest/gtest.h>

#include "workloads/bit_stream.hpp"
#include "workloads/encoding_fixtures.hpp"
#include "workloads/nvdla_order.hpp"
#include "workloads/weight_encoding.hpp"

namespace {

using hmasim::DecodedLayer;
using hmasim::EncodedLayer;
using hmasim::Layer;
using hmasim::StructureKind;
using hmasim::test::kTestAtoms;

hmasim::EncodingConfig csr(unsigned index_bits = 0) {
  hmasim::EncodingConfig c;
  c.encoding = hmasim::Encoding::csr;
  c.atoms = kTestAtoms;
  c.csr.index_bits = index_bits;
  return c;
}

std::vector<std::uint8_t> padded(std::vector<std::uint8_t> bytes) {
  bytes.resize(128, 0);
  return bytes;
}

// The worked example of docs/encodings.md: two kernels of 10 channels.
TEST(encodingCsr, WorkedExampleByHand) {
  const Layer layer =
      hmasim::test::encoding_layer("  - {name: f, type: fc, k: 2}\n", "{h: 1, w: 1, c: 10}");
  const std::vector<std::int8_t> w = {0, 5, 0, 0, 0, 0, 0, 0, 0, -3,  // row 0
                                      7, 0, 0, 0, 0, 0, 0, 0, 0, 0};  // row 1
  const EncodedLayer e = hmasim::encode_layer(layer, w, csr(2));
  // Row 0: 5 after 1 zero; 7 zeros before -3 exceed 2-bit indices (at most 3): a padding entry
  // (index 3, value 0) covers 4 columns, then -3 after 3 more zeros. Row 1: 7 at once.
  EXPECT_EQ(e.find(StructureKind::values)->bytes, padded({0x05, 0x00, 0xfd, 0x07}));
  EXPECT_EQ(e.find(StructureKind::indices)->bytes, padded({0b00111101}));  // 1, 3, 3, 0
  EXPECT_EQ(e.find(StructureKind::counters)->bytes, padded({0x13}));       // 3, 1 in 4 bits
  EXPECT_EQ(e.find(StructureKind::counters)->element_bits, 4u);            // holds 10 entries
  EXPECT_EQ(hmasim::decode_layer(layer, e).weights, w);
}

TEST(encodingCsr, ColumnsFollowNvdlaOrderWithinAKernel) {
  // One 3 x 2 x 2 kernel (C, R, S) with atomic_c 2: cube of channels 0-1 over (r, s), then
  // channel 2.
  const Layer layer =
      hmasim::test::encoding_layer("  - {name: c, type: conv, k: 1, r: 2}\n", "{h: 2, w: 2, c: 3}");
  const auto g = hmasim::kernel_geometry(layer);
  const auto columns = hmasim::nvdla_kernel_columns(g, hmasim::NvdlaAtoms{2, 1});
  // Generator offset c * 4 + r * 2 + s.
  EXPECT_EQ(columns, (std::vector<std::uint64_t>{0, 4, 1, 5, 2, 6, 3, 7, 8, 9, 10, 11}));
  // Non-zeros at generator offsets 4 (channel 1: column 1) and 11 (column 11): indices 1 and 9.
  std::vector<std::int8_t> w(12, 0);
  w[4] = 9;
  w[11] = 1;
  auto c = csr(4);
  c.atoms = hmasim::NvdlaAtoms{2, 1};
  const EncodedLayer e = hmasim::encode_layer(layer, w, c);
  EXPECT_EQ(hmasim::read_bits(e.find(StructureKind::indices)->bytes, 0, 4), 1u);  // column 1
  EXPECT_EQ(hmasim::read_bits(e.find(StructureKind::indices)->bytes, 4, 4), 9u);  // column 11
  EXPECT_EQ(hmasim::decode_layer(layer, e).weights, w);
}

TEST(encodingCsr, AutomaticIndexWidthMinimisesValuesAndIndices) {
  for (double sparsity : {0.3, 0.9, 0.99}) {
    SCOPED_TRACE(sparsity);
    const Layer layer = hmasim::test::shape_layer(hmasim::test::kShapes[0],
                                                  ", sparsity: " + std::to_string(sparsity));
    const auto w = hmasim::test::weights_of(layer);
    const auto g = hmasim::kernel_geometry(layer);
    const EncodedLayer e = hmasim::encode_layer(layer, w, csr(0));
    const unsigned chosen = e.find(StructureKind::indices)->element_bits;
    auto bits = [&](unsigned b) { return hmasim::csr_entries(g, kTestAtoms, w, b) * (8 + b); };
    for (unsigned b = 1; b <= 16; ++b) {
      EXPECT_LE(bits(chosen), bits(b)) << b;
      if (b < chosen) {
        EXPECT_LT(bits(chosen), bits(b)) << b;  // ties go to the narrower
      }
    }
    EXPECT_EQ(e.find(StructureKind::indices)->elements,
              hmasim::csr_entries(g, kTestAtoms, w, chosen));
  }
}

TEST(encodingCsr, RowCounterOverflowIsRefused) {
  const Layer layer = hmasim::test::shape_layer(hmasim::test::kShapes[2], ", sparsity: 0");
  auto c = csr(4);
  c.csr.counter_bits = 4;  // 180 entries per row
  EXPECT_THROW(hmasim::encode_layer(layer, hmasim::test::weights_of(layer), c),
               std::invalid_argument);
}

// Rows are kernels: row x covers weights [x * per_kernel, (x + 1) * per_kernel) of generator order.
struct Fixture {
  Layer layer = hmasim::test::shape_layer(hmasim::test::kShapes[0], ", sparsity: 0.8");
  std::vector<std::int8_t> w = hmasim::test::weights_of(layer);
  std::uint64_t per_kernel = hmasim::kernel_geometry(layer).weights_per_kernel();
  DecodedLayer golden;
  bool golden_source_kept(const DecodedLayer& d, std::uint64_t i) const {
    return d.source[i] == golden.source[i];
  }
};

TEST(encodingCsr, AMisreadRowCounterMisplacesEveryLaterRow) {
  Fixture f;
  const EncodedLayer e = hmasim::encode_layer(f.layer, f.w, csr(3));
  f.golden = hmasim::decode_layer(f.layer, e);
  const unsigned counter_bits = e.find(StructureKind::counters)->element_bits;
  const std::uint64_t row = 7;
  EncodedLayer stored = e;
  hmasim::flip_bit(stored.find(StructureKind::counters)->bytes, row * counter_bits);
  const DecodedLayer d = hmasim::decode_layer(f.layer, stored);
  std::uint64_t later = 0;
  for (std::uint64_t i = 0; i < f.w.size(); ++i) {
    if (i < row * f.per_kernel) {
      ASSERT_EQ(d.weights[i], f.w[i]) << i;  // earlier rows intact
    } else if (i >= (row + 1) * f.per_kernel && f.w[i] != 0) {
      ASSERT_FALSE(f.golden_source_kept(d, i)) << i;  // every later non-zero lost its value
      ++later;
    }
  }
  const auto errors = hmasim::compare_weights(d, f.golden);
  EXPECT_GE(errors.misplaced, later);
  EXPECT_LE(errors.misplaced,
            later + hmasim::test::count_non_zero(std::vector<std::int8_t>(
                        f.w.begin() + static_cast<long>(row * f.per_kernel),
                        f.w.begin() + static_cast<long>((row + 1) * f.per_kernel))));
}

TEST(encodingCsr, AMisreadColumnIndexMisplacesTheRestOfItsRowOnly) {
  Fixture f;
  const EncodedLayer e = hmasim::encode_layer(f.layer, f.w, csr(3));
  f.golden = hmasim::decode_layer(f.layer, e);
  const unsigned index_bits = e.find(StructureKind::indices)->element_bits;
  // From entry 2 of row 4 on (the entries of rows 0-3 come first, as many as their counters say),
  // the first index with a clear bit: setting it moves the entry and the rest of the row to later
  // columns. (Clearing one could move an entry onto an earlier entry's column.)
  const auto& counters = e.find(StructureKind::counters)->bytes;
  const auto& indices = e.find(StructureKind::indices)->bytes;
  const unsigned counter_bits = e.find(StructureKind::counters)->element_bits;
  std::uint64_t entry = 2;
  for (std::uint64_t row = 0; row < 4; ++row) {
    entry += hmasim::read_bits(counters, row * counter_bits, counter_bits);
  }
  while (hmasim::read_bits(indices, entry * index_bits, index_bits) == (1u << index_bits) - 1)
    ++entry;
  const auto index = hmasim::read_bits(indices, entry * index_bits, index_bits);
  const unsigned clear_bit = static_cast<unsigned>(__builtin_ctzll(~index));
  EncodedLayer stored = e;
  hmasim::flip_bit(stored.find(StructureKind::indices)->bytes, entry * index_bits + clear_bit);
  const DecodedLayer d = hmasim::decode_layer(f.layer, stored);
  // Non-zeros of row 4 stored at entry 2 or later lose their value; every other weight is intact.
  std::uint64_t expected = 0;
  for (std::uint64_t i = 0; i < f.w.size(); ++i) {
    const bool rest_of_row = i / f.per_kernel == 4 && f.golden.source[i] >= 1 + entry * 8;
    if (rest_of_row && f.w[i] != 0) {
      ++expected;
    } else if (i / f.per_kernel != 4) {
      ASSERT_EQ(d.weights[i], f.w[i]) << i;
    }
  }
  EXPECT_GT(expected, 0u);
  EXPECT_EQ(hmasim::compare_weights(d, f.golden).misplaced, expected);
}

TEST(encodingCsr, SecdedOnCountersAndIndicesCorrectsOneFlipAndDetectsTwo) {
  Fixture f;
  auto c = csr(3);
  c.ecc = {StructureKind::counters, StructureKind::indices};
  const EncodedLayer e = hmasim::encode_layer(f.layer, f.w, c);
  ASSERT_NE(e.parity_of(StructureKind::counters), nullptr);
  ASSERT_NE(e.parity_of(StructureKind::indices), nullptr);
  EncodedLayer one = e;
  hmasim::flip_bit(one.find(StructureKind::counters)->bytes, 21);
  hmasim::flip_bit(one.find(StructureKind::indices)->bytes, 100);
  const DecodedLayer d1 = hmasim::decode_layer(f.layer, one);
  EXPECT_EQ(d1.weights, f.w);
  EXPECT_EQ(d1.ecc_corrected, 2u);
  EXPECT_EQ(d1.ecc_uncorrectable, 0u);
  EncodedLayer two = e;
  hmasim::flip_bit(two.find(StructureKind::counters)->bytes, 21);
  hmasim::flip_bit(two.find(StructureKind::counters)->bytes, 30);
  const DecodedLayer d2 = hmasim::decode_layer(f.layer, two);
  EXPECT_EQ(d2.ecc_corrected, 0u);
  EXPECT_EQ(d2.ecc_uncorrectable, 1u);
  EXPECT_NE(d2.weights, f.w);
}

}  // namespace
