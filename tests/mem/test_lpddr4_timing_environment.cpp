// Linked into every LPDDR4 test executable: every lpddr4 memory a test builds is audited by the
// independent timing checker (Lpddr4::check_timing_by_default), and a test whose memories issued
// an illegal command sequence fails with the checker's report.
#include <gtest/gtest.h>

#include "mem/lpddr4/lpddr4.hpp"

namespace hmasim {
namespace {

class TimingCheckEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { Lpddr4::check_timing_by_default(true); }
  void TearDown() override {
    EXPECT_EQ(Lpddr4::violations_everywhere(), 0u) << Lpddr4::violation_reports();
  }
};

// gtest owns registered environments.
[[maybe_unused]] ::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new TimingCheckEnvironment);

}  // namespace
}  // namespace hmasim
