#include <gtest/gtest.h>

#include "hw/units/dma.hpp"

namespace hmasim {
namespace {

// NVDLA's request rules: whole 32 B units, at most 256 B, never across a 256 B boundary.
TEST(DmaEngine, SplitsIntoNvdlaRequests) {
  DmaEngine dma("dma", DmaConfig{}, Clock(Frequency(1'000'000'000)));
  std::vector<DmaRequest> r;
  dma.split(100, 1000, r);
  std::uint64_t covered = 0;
  std::uint64_t next = 96;  // 100 rounded down to 32 B
  for (const auto& q : r) {
    EXPECT_EQ(q.address, next);
    EXPECT_EQ(q.length % 32, 0u);
    EXPECT_LE(q.length, 256u);
    EXPECT_EQ(q.address / 256, (q.address + q.length - 1) / 256) << "crosses 256 B";
    covered += q.length;
    next = q.address + q.length;
  }
  EXPECT_EQ(next, 1120u);  // 1100 rounded up to 32 B
  EXPECT_EQ(covered, 1120u - 96u);
  r.clear();
  dma.split(0, 0, r);
  EXPECT_TRUE(r.empty());
}

}  // namespace
}  // namespace hmasim
