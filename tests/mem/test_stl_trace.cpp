#include <gtest/gtest.h>

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

}  // namespace
}  // namespace hmasim
