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
