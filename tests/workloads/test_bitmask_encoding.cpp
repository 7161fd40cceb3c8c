// NVDLA BitMask weights (mask, packed non-zeros, WGS) and IdxSync: the format byte for byte against
// NVDLA's dense order, and how far one misread bit of each structure reaches.
#include <gtest/gtest.h>

#include "workloads/bit_stream.hpp"
#include "workloads/encoding_fixtures.hpp"
#include "workloads/idxsync.hpp"
#include "workloads/weight_encoding.hpp"

namespace {

using hmasim::DecodedLayer;
using hmasim::EncodedLayer;
using hmasim::Layer;
using hmasim::StructureKind;
using hmasim::test::kTestAtoms;
using hmasim::test::round_up_to;

// 40 kernels of 20 x 3 x 3 with atomic_k 16: kernel groups of 16, 16 and 8 kernels, that is 2880,
// 2880 and 1440 weights - 3, 3 and 2 IdxSync blocks of 1024 mask bits.
Layer test_layer(double sparsity) {
  return hmasim::test::shape_layer(hmasim::test::kShapes[0],
                                   ", sparsity: " + std::to_string(sparsity));
}
const std::vector<std::uint64_t> kGroupWeights = {2880, 2880, 1440};

hmasim::EncodingConfig bitmask(bool idxsync) {
  hmasim::EncodingConfig c;
  c.encoding = hmasim::Encoding::bitmask;
  c.atoms = kTestAtoms;
  c.idxsync = idxsync;
  return c;
}

// First mask bit of every kernel group (each group's mask is padded to 128 bytes).
std::vector<std::uint64_t> group_mask_starts() {
  std::vector<std::uint64_t> starts;
  std::uint64_t bit = 0;
  for (std::uint64_t n : kGroupWeights) {
    starts.push_back(bit);
    bit += 8 * round_up_to((n + 7) / 8, 128);
  }
  return starts;
}

// Set bits of `mask` in [first, last).
std::uint64_t ones(const std::vector<std::uint8_t>& mask, std::uint64_t first, std::uint64_t last) {
  std::uint64_t n = 0;
  for (std::uint64_t b = first; b < last; ++b) n += hmasim::read_bit(mask, b);
  return n;
}

TEST(encodingBitmask, FollowsNvdlaWeightCompressionFormat) {
  const Layer layer = test_layer(0.6);
  const auto w = hmasim::test::weights_of(layer);
  const EncodedLayer e = hmasim::encode_layer(layer, w, bitmask(false));
  // NVDLA's dense order, groups back to back: the reference the compressed surfaces derive from.
  const auto dense = hmasim::encode_dense_nvdla(layer, w, kTestAtoms);
  std::vector<std::uint8_t> mask, values, wgs;
  std::uint64_t first = 0;
  for (std::uint64_t n : kGroupWeights) {
    std::vector<std::uint8_t> group_mask((n + 7) / 8, 0);
    std::uint32_t bytes = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
      const std::int8_t v = dense[first + i];
      if (v == 0) continue;
      group_mask[i / 8] |= static_cast<std::uint8_t>(1u << (i % 8));  // little-endian bits
      values.push_back(static_cast<std::uint8_t>(v));
      ++bytes;
    }
    group_mask.resize(round_up_to(group_mask.size(), 128), 0);
    mask.insert(mask.end(), group_mask.begin(), group_mask.end());
    values.resize(round_up_to(values.size(), 128), 0);
    for (int b = 0; b < 4; ++b) wgs.push_back(static_cast<std::uint8_t>(bytes >> (8 * b)));
    first += n;
  }
  wgs.resize(128, 0);
  EXPECT_EQ(e.find(StructureKind::mask)->bytes, mask);
  EXPECT_EQ(e.find(StructureKind::values)->bytes, values);
  EXPECT_EQ(e.find(StructureKind::counters)->bytes, wgs);
  EXPECT_EQ(e.find(StructureKind::mask)->element_bits, 1u);
  EXPECT_EQ(e.find(StructureKind::counters)->element_bits, 32u);
  EXPECT_EQ(e.find(StructureKind::values)->elements, hmasim::test::count_non_zero(w));
}

TEST(encodingBitmask, IdxSyncCountsTheNonZerosOfEveryMaskBlock) {
  const Layer layer = test_layer(0.5);
  const auto w = hmasim::test::weights_of(layer);
  const EncodedLayer e = hmasim::encode_layer(layer, w, bitmask(true));
  const auto& mask = e.find(StructureKind::mask)->bytes;
  const auto& counts = *e.find(StructureKind::idxsync);
  ASSERT_EQ(counts.elements, mask.size() / 128);
  EXPECT_EQ(counts.elements, 8u);  // 3 + 3 + 2 blocks
  EXPECT_EQ(counts.element_bits, 11u);
  for (std::uint64_t b = 0; b < counts.elements; ++b) {
    EXPECT_EQ(hmasim::read_bits(counts.bytes, 11 * b, 11), ones(mask, 1024 * b, 1024 * (b + 1)));
  }
}

// Decodes `golden` with one mask bit flipped, returns the errors against the fault-free decode.
hmasim::WeightErrors flip_mask_bit(const Layer& layer, const EncodedLayer& golden,
                                   std::uint64_t bit, DecodedLayer* decoded = nullptr) {
  EncodedLayer stored = golden;
  hmasim::flip_bit(stored.find(StructureKind::mask)->bytes, bit);
  const DecodedLayer d = hmasim::decode_layer(layer, stored);
  if (decoded) *decoded = d;
  return hmasim::compare_weights(d, hmasim::decode_layer(layer, golden));
}

// Flip positions: within groups 0, 1 and 2, in first, middle and last blocks, on set and clear
// bits.
const std::vector<std::pair<std::size_t, std::uint64_t>> kFlips = {
    {0, 0},    {0, 5},    {0, 1023}, {1, 100},  {1, 1500},
    {1, 1501}, {1, 2047}, {1, 2879}, {2, 1030}, {2, 7}};

TEST(encodingBitmask, OneMisreadMaskBitMisplacesTheRestOfItsKernelGroup) {
  const Layer layer = test_layer(0.5);
  const auto w = hmasim::test::weights_of(layer);
  const EncodedLayer golden = hmasim::encode_layer(layer, w, bitmask(false));
  const auto& mask = golden.find(StructureKind::mask)->bytes;
  const auto starts = group_mask_starts();
  for (const auto& [group, position] : kFlips) {
    SCOPED_TRACE("group " + std::to_string(group) + " position " + std::to_string(position));
    const std::uint64_t bit = starts[group] + position;
    // Every later non-zero of the group takes its neighbour's value (and a non-zero whose own bit
    // is cleared takes none); the other groups are intact.
    const std::uint64_t later = ones(mask, bit + 1, starts[group] + kGroupWeights[group]);
    const std::uint64_t own = hmasim::read_bit(mask, bit);
    DecodedLayer d;
    const auto errors = flip_mask_bit(layer, golden, bit, &d);
    EXPECT_EQ(errors.misplaced, later + own);
    // A cleared non-zero is corrupted; a set zero takes the next value (or padding, a zero);
    // besides, at most every later non-zero.
    EXPECT_GE(errors.corrupted, own);
    EXPECT_LE(errors.corrupted, later + 1);
    EXPECT_EQ(d.idxsync_realignments, 0u);
  }
}

TEST(encodingBitmask, IdxSyncConfinesAMisreadMaskBitToIts128ByteBlock) {
  const Layer layer = test_layer(0.5);
  const auto w = hmasim::test::weights_of(layer);
  const EncodedLayer golden = hmasim::encode_layer(layer, w, bitmask(true));
  const auto& mask = golden.find(StructureKind::mask)->bytes;
  const auto starts = group_mask_starts();
  for (const auto& [group, position] : kFlips) {
    SCOPED_TRACE("group " + std::to_string(group) + " position " + std::to_string(position));
    const std::uint64_t bit = starts[group] + position;
    const std::uint64_t group_end = starts[group] + kGroupWeights[group];
    const std::uint64_t block_end = std::min(group_end, (bit / 1024 + 1) * 1024);
    DecodedLayer d;
    const auto errors = flip_mask_bit(layer, golden, bit, &d);
    EXPECT_EQ(errors.misplaced, ones(mask, bit + 1, block_end) + hmasim::read_bit(mask, bit));
    EXPECT_LE(errors.corrupted, ones(mask, bit + 1, block_end) + 1);
    // The next block of the same group, if any, is where the index is put back.
    EXPECT_EQ(d.idxsync_realignments, block_end < group_end ? 1u : 0u);
    // Against the same flip without IdxSync: never more, and less unless the block ends the group.
    const auto unprotected =
        flip_mask_bit(layer, hmasim::encode_layer(layer, w, bitmask(false)), bit);
    EXPECT_LE(errors.misplaced, unprotected.misplaced);
    if (block_end < group_end) {
      EXPECT_LT(errors.misplaced, unprotected.misplaced);
    }
  }
}

TEST(encodingBitmask, AMisreadIdxSyncCountMovesTheLaterBlocksOfItsGroup) {
  const Layer layer = test_layer(0.5);
  const auto w = hmasim::test::weights_of(layer);
  const EncodedLayer golden = hmasim::encode_layer(layer, w, bitmask(true));
  const auto& mask = golden.find(StructureKind::mask)->bytes;
  const auto starts = group_mask_starts();
  // Block 3 is group 1's first block; its count off by one shifts group 1's blocks 4 and 5.
  EncodedLayer stored = golden;
  hmasim::flip_bit(stored.find(StructureKind::idxsync)->bytes, 3 * 11);
  const auto errors = hmasim::compare_weights(hmasim::decode_layer(layer, stored),
                                              hmasim::decode_layer(layer, golden));
  EXPECT_EQ(errors.misplaced, ones(mask, starts[1] + 1024, starts[1] + kGroupWeights[1]));
}

TEST(encodingBitmask, AMisreadGroupSizeMisplacesEveryLaterGroup) {
  const Layer layer = test_layer(0.5);
  const auto w = hmasim::test::weights_of(layer);
  const EncodedLayer golden = hmasim::encode_layer(layer, w, bitmask(true));
  const auto& mask = golden.find(StructureKind::mask)->bytes;
  const auto starts = group_mask_starts();
  // +-128 bytes on group 0's WGS moves where groups 1 and 2 find their values; IdxSync cannot help.
  EncodedLayer stored = golden;
  hmasim::flip_bit(stored.find(StructureKind::counters)->bytes, 7);
  const auto errors = hmasim::compare_weights(hmasim::decode_layer(layer, stored),
                                              hmasim::decode_layer(layer, golden));
  EXPECT_EQ(errors.misplaced, ones(mask, starts[1], 8 * mask.size()));
  // With SEC-DED on the counters, the flip is corrected and nothing moves.
  auto protected_config = bitmask(true);
  protected_config.ecc = {StructureKind::counters};
  EncodedLayer ecc = hmasim::encode_layer(layer, w, protected_config);
  hmasim::flip_bit(ecc.find(StructureKind::counters)->bytes, 7);
  const DecodedLayer d = hmasim::decode_layer(layer, ecc);
  EXPECT_EQ(d.weights, w);
  EXPECT_EQ(d.ecc_corrected, 1u);
  EXPECT_EQ(hmasim::compare_weights(d, hmasim::decode_layer(layer, golden)).misplaced, 0u);
}

TEST(encodingBitmask, EmptyGroupsAndAllZeroLayersTakeNoValueBytes) {
  const Layer layer = test_layer(1.0);
  const auto w = hmasim::test::weights_of(layer);
  const EncodedLayer e = hmasim::encode_layer(layer, w, bitmask(true));
  EXPECT_TRUE(e.find(StructureKind::values)->bytes.empty());
  EXPECT_EQ(e.find(StructureKind::mask)->bytes.size(), 384u + 384u + 256u);
  EXPECT_EQ(hmasim::decode_layer(layer, e).weights, w);
}

}  // namespace
