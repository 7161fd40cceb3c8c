#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "core/quantity.hpp"
#include "core/units.hpp"

namespace hmasim {
namespace {

TEST(Quantity, ParsesSizesWithDecimalAndBinaryPrefixes) {
  EXPECT_EQ(parse_bytes("64KiB").value(), 64u * 1024u);
  EXPECT_EQ(parse_bytes("2MiB").value(), 2u * 1024u * 1024u);
  EXPECT_EQ(parse_bytes("4GB").value(), 4'000'000'000u);
  EXPECT_EQ(parse_bytes("32B").value(), 32u);
  EXPECT_EQ(parse_bytes("1.5KiB").value(), 1536u);
}

TEST(Quantity, ParsesRatesTimesEnergiesPowers) {
  EXPECT_DOUBLE_EQ(parse_bandwidth("25GB/s").value(), 25e9);
  EXPECT_EQ(parse_frequency("1GHz").value(), 1'000'000'000u);
  EXPECT_EQ(parse_frequency("1.6GHz").value(), 1'600'000'000u);
  EXPECT_EQ(parse_time("10ns").value(), 10'000u);
  EXPECT_EQ(parse_time("0.625ns").value(), 625u);
  EXPECT_EQ(parse_time("3.904us").value(), 3'904'000u);
  EXPECT_DOUBLE_EQ(parse_energy("5pJ").value(), 5e-12);
  EXPECT_DOUBLE_EQ(parse_power("28mW").value(), 28e-3);
}

// Each bad literal must be rejected with a message that quotes the bad text and says why.
TEST(Quantity, BadLiteralsNameTheText) {
  const auto message = [](auto parse, const std::string& text) {
    try {
      parse(text);
    } catch (const QuantityError& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  EXPECT_NE(message(parse_bytes, "64").find("'64'"), std::string::npos);
  EXPECT_NE(message(parse_bytes, "64").find("missing unit"), std::string::npos);
  EXPECT_NE(message(parse_bytes, "64Kb").find("unknown unit 'Kb'"), std::string::npos);
  EXPECT_NE(message(parse_bytes, "-4KiB").find("negative"), std::string::npos);
  EXPECT_NE(message(parse_bytes, "0.5B").find("whole number"), std::string::npos);
  EXPECT_NE(message(parse_bandwidth, "0GB/s").find("positive"), std::string::npos);
  EXPECT_NE(message(parse_frequency, "1GB").find("unknown unit 'GB'"), std::string::npos);
  EXPECT_NE(message(parse_time, "ten ns").find("no number"), std::string::npos);
  EXPECT_NE(message(parse_time, "0.1ps").find("picoseconds"), std::string::npos);
  EXPECT_NE(message(parse_energy, "5pj").find("unknown unit 'pj'"), std::string::npos);
  EXPECT_NE(message(parse_power, "28").find("missing unit"), std::string::npos);
}

TEST(Clock, ConvertsCyclesAndTimeExactly) {
  const Clock lpddr4(Frequency(1'600'000'000));
  EXPECT_EQ(lpddr4.period().value(), 625u);
  EXPECT_EQ(lpddr4.time_of(Cycles(6246)).value(), 6246u * 625u);
  // A request mid-cycle waits for the next edge; on an edge it starts there.
  EXPECT_EQ(lpddr4.cycle_at_or_after(Time(625)).value(), 1u);
  EXPECT_EQ(lpddr4.cycle_at_or_after(Time(626)).value(), 2u);
  EXPECT_EQ(lpddr4.cycles_for(Time(10'000)).value(), 16u);
  EXPECT_EQ(lpddr4.cycles_for(Time(10'001)).value(), 17u);

  // A period that is not a whole number of picoseconds must not drift over long runs.
  const Clock odd(Frequency(1'200'000'000));
  const std::uint64_t n = 1'200'000'000'000ULL;  // 1000 s of cycles
  EXPECT_EQ(odd.time_of(Cycles(n)).value(), 1'000'000'000'000'000ULL);
  for (std::uint64_t c : {0ULL, 1ULL, 2ULL, 3ULL, 1000ULL, 123456789ULL}) {
    EXPECT_EQ(odd.cycle_at_or_after(odd.time_of(Cycles(c))).value(), c);
  }
}

TEST(Units, DerivedQuantities) {
  EXPECT_DOUBLE_EQ((milliwatts(28) * nanoseconds(1000)).value(), 28e-3 * 1e-6);
  EXPECT_DOUBLE_EQ(average_power(joules(1e-9), nanoseconds(1)).value(), 1.0);
  EXPECT_DOUBLE_EQ(average_power(joules(1.0), Time(0)).value(), 0.0);
  EXPECT_DOUBLE_EQ(bandwidth_of(Bytes(64), nanoseconds(10)).value(), 6.4e9);
}

}  // namespace
}  // namespace hmasim
