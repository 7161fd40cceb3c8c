// Hamming SEC-DED: code sizes, every single-bit error corrected and every double detected
// (exhaustively for small words, at random for MaxNVM's 4 KB words), and structure-level parity.
#include <gtest/gtest.h>

#include <random>

#include "workloads/bit_stream.hpp"
#include "workloads/secded.hpp"

namespace {

using hmasim::Secded;
using hmasim::SecdedConfig;

TEST(encodingSecded, CheckBitsFollowTheHammingBound) {
  // r is the least value with 2^r >= k + r + 1.
  EXPECT_EQ(Secded::check_bits(8), 4u);
  EXPECT_EQ(Secded::check_bits(64), 7u);  // the (72, 64) code of DRAM ECC
  EXPECT_EQ(Secded::check_bits(4096), 13u);
  EXPECT_EQ(Secded::check_bits(32768), 16u);
  // MaxNVM's 24 parity bits per 4 KB hold the 16 + 1 SEC-DED needs; 16 do not.
  EXPECT_NO_THROW(Secded(hmasim::kMaxnvmEcc));
  EXPECT_NO_THROW(Secded(SecdedConfig{32768, 17}));
  EXPECT_THROW(Secded(SecdedConfig{32768, 16}), std::invalid_argument);
  EXPECT_NO_THROW(Secded(SecdedConfig{4096, 24}));                   // the 4 Kbit reading
  EXPECT_THROW(Secded(SecdedConfig{12, 8}), std::invalid_argument);  // not whole bytes
}

// Flips codeword bit `i` of a word: data bits first, then the parity field.
void flip(std::vector<std::uint8_t>& data, std::uint64_t& parity, std::uint64_t i) {
  if (i < 8 * data.size()) {
    hmasim::flip_bit(data, i);
  } else {
    parity ^= std::uint64_t{1} << (i - 8 * data.size());
  }
}

// Every single and every double flip over the data and the used parity bits of `word`.
void exhaustive(const Secded& code, const std::vector<std::uint8_t>& word) {
  const std::uint64_t parity = code.encode(word.data(), word.size());
  const std::uint64_t n = 8 * word.size() + Secded::check_bits(code.config().word_bits) + 1;
  for (std::uint64_t i = 0; i < n; ++i) {
    auto data = word;
    std::uint64_t p = parity;
    flip(data, p, i);
    ASSERT_EQ(code.correct(data.data(), data.size(), p), Secded::Result::corrected) << i;
    ASSERT_EQ(data, word) << i;
    for (std::uint64_t j = i + 1; j < n; ++j) {
      auto data2 = word;
      std::uint64_t p2 = parity;
      flip(data2, p2, i);
      flip(data2, p2, j);
      ASSERT_EQ(code.correct(data2.data(), data2.size(), p2), Secded::Result::uncorrectable)
          << i << " " << j;
    }
  }
  auto data = word;
  EXPECT_EQ(code.correct(data.data(), data.size(), parity), Secded::Result::clean);
}

TEST(encodingSecded, ExhaustiveOverEveryByteValue) {
  const Secded code(SecdedConfig{8, 5});  // a (13, 8) extended Hamming code
  for (int v = 0; v < 256; ++v) {
    SCOPED_TRACE(v);
    exhaustive(code, {static_cast<std::uint8_t>(v)});
  }
}

TEST(encodingSecded, ExhaustiveOver64BitWords) {
  const Secded code(SecdedConfig{64, 8});  // (72, 64)
  std::mt19937_64 rng(1);
  std::vector<std::vector<std::uint8_t>> words = {std::vector<std::uint8_t>(8, 0),
                                                  std::vector<std::uint8_t>(8, 0xff)};
  for (int i = 0; i < 14; ++i) {
    std::vector<std::uint8_t> w(8);
    for (auto& b : w) b = static_cast<std::uint8_t>(rng());
    words.push_back(w);
  }
  for (const auto& w : words) exhaustive(code, w);
}

TEST(encodingSecded, RandomErrorsIn4KBWords) {
  const Secded code(hmasim::kMaxnvmEcc);
  std::mt19937_64 rng(2);
  std::vector<std::uint8_t> word(4096);
  for (auto& b : word) b = static_cast<std::uint8_t>(rng());
  const std::uint64_t parity = code.encode(word.data(), word.size());
  const std::uint64_t n = 32768 + 17;  // data, 16 check bits, overall parity
  for (int trial = 0; trial < 3000; ++trial) {
    const std::uint64_t i = rng() % n;
    std::uint64_t j = rng() % (n - 1);
    j += j >= i;  // a different bit
    auto one = word;
    std::uint64_t p1 = parity;
    flip(one, p1, i);
    ASSERT_EQ(code.correct(one.data(), one.size(), p1), Secded::Result::corrected) << i;
    ASSERT_EQ(one, word);
    auto two = word;
    std::uint64_t p2 = parity;
    flip(two, p2, i);
    flip(two, p2, j);
    ASSERT_EQ(code.correct(two.data(), two.size(), p2), Secded::Result::uncorrectable)
        << i << " " << j;
  }
  // The 7 spare bits of the 24-bit field are not part of the code.
  for (unsigned spare = 17; spare < 24; ++spare) {
    auto data = word;
    EXPECT_EQ(code.correct(data.data(), data.size(), parity ^ (std::uint64_t{1} << spare)),
              Secded::Result::clean);
  }
}

TEST(encodingSecded, ProtectsAStructureWordByWord) {
  std::mt19937_64 rng(3);
  hmasim::EncodedStructure data;
  data.kind = hmasim::StructureKind::counters;
  data.bytes.resize(5000);  // one 4 KB word and a shortened one of 904 bytes
  for (auto& b : data.bytes) b = static_cast<std::uint8_t>(rng());
  const auto parity = hmasim::protect(data, hmasim::kMaxnvmEcc);
  EXPECT_EQ(parity.name(), "parity.counters");
  EXPECT_EQ(parity.elements, 2u);
  EXPECT_EQ(parity.element_bits, 24u);
  EXPECT_EQ(parity.bytes.size(), 128u);  // 2 x 24 bits, padded
  // One data flip in each word, the short one included: both corrected.
  auto stored = data;
  hmasim::flip_bit(stored.bytes, 12345);
  hmasim::flip_bit(stored.bytes, 8 * 4096 + 7000);
  auto stats = hmasim::correct(stored, parity);
  EXPECT_EQ(stats.words, 2u);
  EXPECT_EQ(stats.corrected, 2u);
  EXPECT_EQ(stats.uncorrectable, 0u);
  EXPECT_EQ(stored.bytes, data.bytes);
  // A misread parity bit alone: corrected, nothing to change in the data.
  auto stored_parity = parity;
  hmasim::flip_bit(stored_parity.bytes, 3);
  stored = data;
  stats = hmasim::correct(stored, stored_parity);
  EXPECT_EQ(stats.corrected, 1u);
  EXPECT_EQ(stored.bytes, data.bytes);
  // A data bit and a parity bit of the same word: a double error, detected and left as read.
  hmasim::flip_bit(stored.bytes, 12345);
  stats = hmasim::correct(stored, stored_parity);
  EXPECT_EQ(stats.corrected, 0u);
  EXPECT_EQ(stats.uncorrectable, 1u);
  auto expected = data.bytes;
  hmasim::flip_bit(expected, 12345);
  EXPECT_EQ(stored.bytes, expected);
}

}  // namespace
