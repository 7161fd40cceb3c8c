// The interconnect's per-link accounting of who held requests up, the link or its memory: exact
// figures for requests sent all at once through a 6.4 GB/s link (256 B take 40 ns on it) to ideal
// memories faster and slower than the link.
#include <gtest/gtest.h>

#include "hw/interconnect.hpp"
#include "support/memory_bench.hpp"

namespace hmasim {
namespace {

// One `simple` memory at 1 GHz behind one link of 6.4 GB/s and no latency.
std::string memory_yaml(const std::string& bandwidth, const std::string& latency) {
  return "memories:\n  m:\n    model: simple\n    capacity: 1MiB\n    clock: 1GHz\n"
         "    bandwidth: " +
         bandwidth + "\n    latency: " + latency + "\n";
}

struct Result {
  Interconnect::LinkStats stats;
  std::vector<Time> completed;
};

// Sends `n` reads of 256 B at time 0 (as a DMA with requests to spare does) and records them.
Result send_burst(const std::string& yaml, int n) {
  EnergyLedger ledger;
  auto memory = test::build_memory(yaml, ledger);
  Result result;
  if (!memory) return result;
  Interconnect ic("ic", {{"m", Bandwidth(6.4e9), Time(0)}});
  ic.port(0).bind(memory->socket);
  test::ScriptedInitiator init("init", [&](test::ScriptedInitiator& i) {
    for (int k = 0; k < n; ++k) {
      const auto r = i.read(Interconnect::address(0, 256u * static_cast<unsigned>(k)), 256);
      EXPECT_EQ(r.status, tlm::TLM_OK_RESPONSE);
      result.completed.push_back(r.completed);
    }
  });
  init.socket.bind(ic.target);
  sc_core::sc_start();
  result.stats = ic.stats(0);
  return result;
}

TEST(InterconnectLinkStats, SlowLinkSetsTheCompletionOfAFastShortLatencyMemory) {
  // 100 GB/s and 10 ns: a request is done 13 ns after it reaches the memory, before its 40 ns
  // on the link are over, so the link sets every completion: request k at 40 (k + 1) ns.
  const Result r = send_burst(memory_yaml("100GB/s", "10ns"), 10);
  ASSERT_EQ(r.completed.size(), 10u);
  for (int k = 0; k < 10; ++k) EXPECT_EQ(r.completed[k], nanoseconds(40 * (k + 1))) << k;
  EXPECT_EQ(r.stats.requests, 10u);
  EXPECT_EQ(r.stats.link_limited_requests, 10u);
  EXPECT_EQ(r.stats.link_limited_bytes, 2560u);
  EXPECT_EQ(r.stats.wait, nanoseconds(40 * 45));  // request k waited 40 k ns for the link
  EXPECT_EQ(r.stats.busy, nanoseconds(400));
}

TEST(InterconnectLinkStats, SlowLinkCapsAFastMemoryWhoseLatencyHidesIt) {
  // 100 GB/s but 100 ns: the memory's latency ends after the link's transfer, yet request k
  // waited 40 k ns for the link and the memory took it on arrival: the link held it up.
  const Result r = send_burst(memory_yaml("100GB/s", "100ns"), 10);
  ASSERT_EQ(r.completed.size(), 10u);
  // 256 B at 100 GB/s is 2.56 ns: 3 cycles of the memory's port, then 100 ns.
  for (int k = 0; k < 10; ++k) EXPECT_EQ(r.completed[k], nanoseconds(40 * k + 103)) << k;
  EXPECT_EQ(r.stats.link_limited_requests, 9u);  // the first did not wait
  EXPECT_EQ(r.stats.link_limited_bytes, 9u * 256);
  EXPECT_EQ(r.stats.wait, nanoseconds(40 * 45));
}

TEST(InterconnectLinkStats, SlowMemoryIsItsOwnLimitThoughRequestsQueueForTheLink) {
  // 3.2 GB/s: 80 ns per request on the memory's port, twice the link's 40 ns. Requests still
  // queue for the link (the same wait as above), but the memory keeps them waiting longer.
  const Result r = send_burst(memory_yaml("3.2GB/s", "10ns"), 10);
  ASSERT_EQ(r.completed.size(), 10u);
  for (int k = 0; k < 10; ++k) EXPECT_EQ(r.completed[k], nanoseconds(80 * (k + 1) + 10)) << k;
  EXPECT_EQ(r.stats.link_limited_requests, 0u);
  EXPECT_EQ(r.stats.link_limited_bytes, 0u);
  EXPECT_EQ(r.stats.wait, nanoseconds(40 * 45));
}

TEST(InterconnectLinkStats, OccupancyIsExactWhenTheQuotientIsWhole) {
  // 256 B at 16 GB/s is 16000 ps, not a picosecond more from floating-point noise (which made a
  // link at a memory's own rate look slower than the memory).
  EnergyLedger ledger;
  auto memory = test::build_memory(memory_yaml("1TB/s", "1ns"), ledger);
  ASSERT_TRUE(memory);
  Interconnect ic("ic", {{"m", Bandwidth(16e9), Time(0)}});
  ic.port(0).bind(memory->socket);
  test::ScriptedInitiator init("init", [&](test::ScriptedInitiator& i) {
    for (int k = 0; k < 4; ++k) i.read(Interconnect::address(0, 256u * k), 256);
  });
  init.socket.bind(ic.target);
  sc_core::sc_start();
  EXPECT_EQ(ic.stats(0).busy, picoseconds(4 * 16000));
}

TEST(InterconnectLinkStats, ErrorResponsesAreNotCountedAsLimited) {
  EnergyLedger ledger;
  auto memory = test::build_memory(memory_yaml("100GB/s", "10ns"), ledger);
  ASSERT_TRUE(memory);
  Interconnect ic("ic", {{"m", Bandwidth(6.4e9), Time(0)}});
  ic.port(0).bind(memory->socket);
  test::ScriptedInitiator init("init", [&](test::ScriptedInitiator& i) {
    // Past the end of the 1 MiB memory: the memory answers with an address error.
    EXPECT_EQ(i.read(Interconnect::address(0, 1u << 20), 256).status,
              tlm::TLM_ADDRESS_ERROR_RESPONSE);
  });
  init.socket.bind(ic.target);
  sc_core::sc_start();
  EXPECT_EQ(ic.stats(0).requests, 1u);
  EXPECT_EQ(ic.stats(0).link_limited_requests, 0u);
}

}  // namespace
}  // namespace hmasim
