// timeline.json (traces/timeline_writer) and endurance.csv (traces/endurance_writer).
#include <gtest/gtest.h>

#include "support/trace_files.hpp"
#include "traces/endurance_writer.hpp"
#include "traces/timeline_writer.hpp"

namespace {

using hmasim::EnduranceWriter;
using hmasim::Time;
using hmasim::TimelineWriter;
using namespace hmasim::test;

// Every event: ph, ts, pid, tid; X events a dur too.
void check_events(const Json& root) {
  ASSERT_EQ(root.kind, Json::Kind::object);
  ASSERT_EQ(root["displayTimeUnit"].text, "ns");
  for (const Json& e : root["traceEvents"].items) {
    ASSERT_TRUE(e.has("ph") && e.has("ts") && e.has("pid") && e.has("tid"));
    EXPECT_EQ(e["ts"].kind, Json::Kind::number);
    if (e["ph"].text == "X") {
      EXPECT_TRUE(e.has("dur"));
    }
  }
}

TEST(traceTimeline, ValidJsonWithNamedTracksSlicesAndCounters) {
  const fs::path dir = scratch("timeline");
  const std::string path = (dir / "timeline.json").string();
  {
    TimelineWriter w(path);
    const auto conv = w.track("accelerator", "conv");
    const auto dma = w.track("accelerator", "dma");
    const auto dram = w.track("memories", "dram \"ch0\"");
    // Out of order, as units compute ahead.
    w.slice(dma, Time(3'000'000), Time(3'000'001), "burst", "dma");
    w.slice(conv, Time(1'000'001), Time(3'500'000), "conv1\n\"stem\"", "layer");
    w.slice(conv, Time(0), Time(7), "tile 0", "tile");
    w.counter(dram, Time(2'500'000), "queue", 3.0);
    w.counter(dram, Time(2'600'000), "queue", 0.5);
    EXPECT_EQ(w.events(), 3u * 2 + 2 /* process_name, sort index */ * 2 + 5);
    w.finish();
  }
  const Json root = parse_json(slurp(path));
  check_events(root);
  const auto& events = root["traceEvents"].items;
  std::map<std::string, const Json*> slices;
  std::map<std::pair<std::string, std::string>, std::string> names;  // (what, pid.tid) -> name
  int counters = 0;
  for (const Json& e : events) {
    const std::string where = e["pid"].text + "." + e["tid"].text;
    if (e["ph"].text == "X") slices[e["name"].text] = &e;
    if (e["ph"].text == "M" && e.has("args") && e["args"].has("name")) {
      names[{e["name"].text, where}] = e["args"]["name"].text;
    }
    if (e["ph"].text == "C") {
      ++counters;
      EXPECT_EQ(e["name"].text, "dram \"ch0\".queue");
      EXPECT_EQ(where, "2.3");
    }
  }
  EXPECT_EQ(counters, 2);
  EXPECT_EQ((names[{"process_name", "1.0"}]), "accelerator");
  EXPECT_EQ((names[{"process_name", "2.0"}]), "memories");
  EXPECT_EQ((names[{"thread_name", "1.1"}]), "conv");
  EXPECT_EQ((names[{"thread_name", "1.2"}]), "dma");
  EXPECT_EQ((names[{"thread_name", "2.3"}]), "dram \"ch0\"");
  ASSERT_TRUE(slices.count("conv1\n\"stem\"")) << "names escaped and read back";
  const Json& conv1 = *slices["conv1\n\"stem\""];
  EXPECT_EQ(conv1["ts"].text, "1.000001") << "microseconds, exact to the picosecond";
  EXPECT_EQ(conv1["dur"].text, "2.499999");
  EXPECT_EQ(conv1["cat"].text, "layer");
  EXPECT_EQ(conv1["pid"].text, "1");
  EXPECT_EQ(conv1["tid"].text, "1");
  EXPECT_EQ((*slices["burst"])["dur"].text, "0.000001");
  EXPECT_EQ((*slices["burst"])["tid"].text, "2");
  EXPECT_EQ((*slices["tile 0"])["ts"].text, "0");
  EXPECT_EQ((*slices["tile 0"])["dur"].text, "0.000007");
}

TEST(traceTimeline, ZeroEventsIsValidJson) {
  const fs::path dir = scratch("timeline_empty");
  const std::string path = (dir / "timeline.json").string();
  {
    TimelineWriter w(path);
    w.finish();
    w.finish();  // idempotent
  }
  const Json root = parse_json(slurp(path));
  EXPECT_TRUE(root["traceEvents"].items.empty());
  EXPECT_EQ(root["displayTimeUnit"].text, "ns");
}

TEST(traceTimeline, TheParserRejectsBrokenJson) {
  // The checks above can fail: the parser is strict.
  EXPECT_THROW(parse_json("{\"traceEvents\": [{\"ph\":\"X\"},]}"), std::runtime_error);
  EXPECT_THROW(parse_json("{\"a\": \"line\nbreak\"}"), std::runtime_error);
  EXPECT_THROW(parse_json("{\"a\": 01}"), std::runtime_error);
  EXPECT_THROW(parse_json("{\"a\": 1} x"), std::runtime_error);
  EXPECT_NO_THROW(parse_json("{\"a\": [1.5e-3, -0, true, null, \"\\u0041\"]}"));
}

TEST(traceEndurance, OneRowPerGroupPerReport) {
  const fs::path dir = scratch("endurance");
  const std::string path = (dir / "endurance.csv").string();
  {
    EnduranceWriter w(path);
    w.block_writes("rram", 0, Time(1'500'000), {3, 0, 7});
    w.block_writes("mram,2", 0, Time(1'600'000), {1});
    w.block_writes("rram", 1, Time(3'000'000'000'000), {6, 0, 14});
    EXPECT_EQ(w.rows(), 7u);
    w.finish();
  }
  const auto rows = read_csv(slurp(path));
  ASSERT_EQ(rows.size(), 8u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"memory", "frame", "time_s", "group", "writes"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"rram", "0", "0.0000015", "0", "3"}));
  EXPECT_EQ(rows[3], (std::vector<std::string>{"rram", "0", "0.0000015", "2", "7"}));
  EXPECT_EQ(rows[4], (std::vector<std::string>{"mram,2", "0", "0.0000016", "0", "1"}));
  EXPECT_EQ(rows[7], (std::vector<std::string>{"rram", "1", "3", "2", "14"}));
}

}  // namespace
