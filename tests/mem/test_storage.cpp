#include <gtest/gtest.h>

#include <map>
#include <random>

#include "mem/storage.hpp"

namespace hmasim {
namespace {

// Random writes and reads of random lengths, across page boundaries and far apart, against a
// byte-by-byte reference.
TEST(SparseStorage, MatchesAReferenceUnderRandomTraffic) {
  SparseStorage s;
  std::map<std::uint64_t, std::uint8_t> reference;
  std::mt19937_64 rng(1);
  std::vector<std::uint8_t> buf;
  for (int i = 0; i < 20000; ++i) {
    // Half the traffic in a small window (overlaps), half spread over 64 GiB.
    const std::uint64_t addr = (i % 2) ? rng() % (1ull << 36) : rng() % 20000;
    const std::size_t len = 1 + rng() % 3000;
    buf.resize(len);
    if (rng() % 2) {
      for (std::size_t k = 0; k < len; ++k) {
        buf[k] = static_cast<std::uint8_t>(rng());
        reference[addr + k] = buf[k];
      }
      s.write(addr, buf.data(), len);
    } else {
      s.read(addr, buf.data(), len);
      for (std::size_t k = 0; k < len; ++k) {
        const auto it = reference.find(addr + k);
        ASSERT_EQ(buf[k], it == reference.end() ? 0 : it->second) << "address " << addr + k;
      }
    }
  }
  EXPECT_GT(s.resident().value(), 0u);
  s.clear();
  EXPECT_EQ(s.resident().value(), 0u);
  std::uint8_t byte = 0xFF;
  s.read(reference.begin()->first, &byte, 1);
  EXPECT_EQ(byte, 0);
}

// Zeros written where nothing was are not stored (the page reads as zero anyway); zeros written
// over stored bytes replace them, also when the write spans a stored and an unstored page.
TEST(SparseStorage, ZerosAllocateNothingButOverwriteStoredBytes) {
  SparseStorage s;
  const std::size_t page = SparseStorage::kPageBytes;
  std::vector<std::uint8_t> zeros(3 * page, 0);
  s.write(5 * page + 7, zeros.data(), zeros.size());
  EXPECT_EQ(s.resident().value(), 0u);

  std::vector<std::uint8_t> ones(16, 0xFF);
  s.write(2 * page - 8, ones.data(), ones.size());  // bytes in pages 1 and 2
  ASSERT_EQ(s.resident().value(), 2 * page);
  s.write(2 * page - 4, zeros.data(), page + 8);  // over both, into unstored page 3
  EXPECT_EQ(s.resident().value(), 2 * page);
  std::vector<std::uint8_t> back(16, 0x11);
  s.read(2 * page - 8, back.data(), back.size());
  const std::vector<std::uint8_t> expected = {0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0,
                                              0,    0,    0,    0,    0, 0, 0, 0};
  EXPECT_EQ(back, expected);

  // A non-zero byte among zeros is stored.
  zeros[page / 2] = 0x42;
  s.write(10 * page, zeros.data(), page);
  EXPECT_EQ(s.resident().value(), 3 * page);
  std::uint8_t byte = 0;
  s.read(10 * page + page / 2, &byte, 1);
  EXPECT_EQ(byte, 0x42);
}

TEST(NoStorage, ReadsZerosKeepsNothing) {
  NoStorage s;
  std::vector<std::uint8_t> data(100, 7);
  s.write(5, data.data(), data.size());
  s.read(5, data.data(), data.size());
  EXPECT_EQ(data, std::vector<std::uint8_t>(100, 0));
  EXPECT_EQ(s.resident().value(), 0u);
}

}  // namespace
}  // namespace hmasim
