#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "mem/stl_trace.hpp"

namespace hmasim {
namespace {

std::vector<TraceRequest> read_all(const std::string& text, std::uint32_t length = 64) {
  std::istringstream in(text);
  StlTraceReader reader(in, "t.stl", length);
  std::vector<TraceRequest> out;
  TraceRequest r;
  while (reader.next(r)) out.push_back(r);
  return out;
}

std::string error_of(const std::string& text) {
  try {
    read_all(text);
  } catch (const TraceError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(StlTrace, ParsesDramsysForm) {
  const auto r = read_all(
      "# a comment\n"
      "\n"
      "0: read 0x40\n"
      "5: (32) write 0x1000 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
      "  9 :  ( 128 )read 0xABC  # trailing comment\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].cycle, 0u);
  EXPECT_FALSE(r[0].write);
  EXPECT_EQ(r[0].address, 0x40u);
  EXPECT_EQ(r[0].length, 64u);  // the reader's default
  EXPECT_EQ(r[0].line, 3);
  EXPECT_TRUE(r[1].write);
  EXPECT_EQ(r[1].length, 32u);
  ASSERT_EQ(r[1].data.size(), 32u);
  EXPECT_EQ(r[1].data[31], 0x1f);
  EXPECT_EQ(r[2].length, 128u);
  EXPECT_EQ(r[2].address, 0xABCu);
  EXPECT_EQ(r[2].line, 5);
}

TEST(StlTrace, MalformedLinesNameTheLine) {
  EXPECT_NE(error_of("0: read 0x0\nxyz\n").find("t.stl:2: missing cycle number"),
            std::string::npos);
  EXPECT_NE(error_of("0 read 0x0\n").find("t.stl:1: missing ':'"), std::string::npos);
  EXPECT_NE(error_of("0: fetch 0x0\n").find("expected 'read' or 'write'"), std::string::npos);
  EXPECT_NE(error_of("0: read 100\n").find("address must be hex with 0x"), std::string::npos);
  EXPECT_NE(error_of("0: read 0xZZ\n").find("bad hex address"), std::string::npos);
  EXPECT_NE(error_of("0: (0) read 0x0\n").find("length must be between"), std::string::npos);
  EXPECT_NE(error_of("0: read 0x0 0x00\n").find("read requests carry no data"), std::string::npos);
  EXPECT_NE(error_of("0: (2) write 0x0 0x001122\n").find("data has 6 hex digits"),
            std::string::npos);
  EXPECT_NE(error_of("5: read 0x0\n4: read 0x0\n").find("t.stl:2: cycle 4 is earlier"),
            std::string::npos);
  // The message quotes the line as written.
  EXPECT_NE(error_of("0: fetch 0x0\n").find("got '0: fetch 0x0'"), std::string::npos);
}

TEST(StlTrace, NumbersThatOverflowSixtyFourBitsAreErrors) {
  EXPECT_NE(error_of("18446744073709551616: read 0x0\n").find("t.stl:1: the cycle does not fit 64"),
            std::string::npos);
  EXPECT_EQ(read_all("18446744073709551615: read 0x0\n").at(0).cycle, 18446744073709551615ull);
  EXPECT_NE(error_of("0: read 0x10000000000000000\n").find("the address does not fit 64 bits"),
            std::string::npos);
  EXPECT_EQ(read_all("0: read 0x000000000000000000ffffffffffffffc0\n").at(0).address,
            0xffffffffffffffc0ull);  // leading zeros are not significant
  // The last byte must be addressable: 0xff..c0 + 64 - 1 is, 0xff..c1 + 64 - 1 wraps.
  EXPECT_NE(error_of("0: read 0xffffffffffffffc1\n").find("runs past the end of the 64-bit"),
            std::string::npos);
  EXPECT_NE(error_of("0: (99999999999999999999) read 0x0\n").find("length must be between"),
            std::string::npos);
  EXPECT_NE(error_of("0: read 0x0x10\n"), "(accepted)") << "one 0x prefix only";
  EXPECT_THROW(StlTraceReader(std::cin, "x", 0), std::invalid_argument);
}

TEST(StlTrace, BinaryInputIsAnErrorNotTheEndOfTheTrace) {
  const std::string nul("0: read 0x0\n1: read 0x40\0\n", 25);
  EXPECT_NE(error_of(nul).find("t.stl:2: NUL byte at column 13"), std::string::npos)
      << error_of(nul);
  // Lines are bounded: a 1 MiB write with its data fits, a longer line does not.
  const std::string longest = "0: (1048576) write 0x0 0x" + std::string(2u << 20, '0') + "\n";
  ASSERT_EQ(read_all(longest).size(), 1u);
  const std::string blob(kMaxTraceLineBytes + 1, 'x');
  EXPECT_NE(error_of("0: read 0x0\n" + blob).find("t.stl:2: line 2 is longer than 2101248 bytes"),
            std::string::npos);
  // The reader takes its input a chunk at a time: checks and line numbers hold across chunks
  // (a NUL far into a line, lines on both sides of a chunk boundary).
  const std::string comment = "# " + std::string(100000, 'c') + "\n";
  EXPECT_NE(error_of(comment + "0: read 0x40" + std::string(1, '\0') + "\n")
                .find("t.stl:2: NUL byte at column 13"),
            std::string::npos);
  EXPECT_NE(error_of("# " + std::string(70000, 'c') + std::string(1, '\0') + "\n")
                .find("t.stl:1: NUL byte at column 70003"),
            std::string::npos);
  std::string many;
  for (int i = 0; i < 20000; ++i)
    many += std::to_string(i) + ": read 0x" + std::to_string(i) + "0\n";
  const auto requests = read_all(many);  // about 330 KB: several chunks
  ASSERT_EQ(requests.size(), 20000u);
  EXPECT_EQ(requests.back().cycle, 19999u);
  EXPECT_EQ(requests.back().address, 0x199990u);
  EXPECT_EQ(requests.back().line, 20000);
  // Quoted text is escaped and cut: junk must not flood the terminal.
  const std::string junk = error_of("\x01" + std::string(500, 'z') + "\n");
  EXPECT_NE(junk.find("got '\\x01zzz"), std::string::npos) << junk;
  EXPECT_LT(junk.size(), 400u);
}

TEST(StlTrace, ReadErrorsAreErrors) {
  // A directory opens like a file and then fails to read (EISDIR): not an empty trace.
  std::ifstream dir(HMASIM_SOURCE_DIR "/tests");
  ASSERT_TRUE(dir.is_open());
  StlTraceReader reader(dir, "tests/", 64);
  TraceRequest r;
  try {
    reader.next(r);
    ADD_FAILURE() << "a directory read as a trace";
  } catch (const TraceError& e) {
    EXPECT_NE(std::string(e.what()).find("tests/:1: cannot read the trace: Is a directory"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace hmasim
