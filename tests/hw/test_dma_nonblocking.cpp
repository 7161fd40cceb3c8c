// The DMA's AT path (DmaEngine::set_nonblocking): requests really in flight together, so the
// buffered LPDDR4 controller (FR-FCFS) can reorder them. Each test builds two identical DMAs in
// one simulation, one on the blocking path to an in-order LPDDR4 and one on the AT path to an
// FR-FCFS one, drives both with the same transfers and compares when the data was in. Every
// LPDDR4 here is audited by the independent timing checker (the environment linked in).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/platform_file.hpp"
#include "core/config_node.hpp"
#include "core/energy_ledger.hpp"
#include "hw/units/dma.hpp"
#include "mem/lpddr4/lpddr4.hpp"
#include "mem/memory_system.hpp"

namespace hmasim {
namespace {

// Row-major mapping: 2 KB rows, bank in the top bits (each bank a contiguous 128 MiB).
constexpr std::uint64_t kBankBytes = 128ull << 20;
constexpr std::uint64_t kRowBytes = 2048;
unsigned g_depth = 32;  // bursts per bank of the FR-FCFS buffers: four 256 B requests

std::vector<MemorySpec> two_drams() {
  std::string y = "memories:\n";
  for (const char* c : {"in_order", "fr_fcfs"}) {
    y += std::string("  ") + c +
         ":\n    preset: lpddr4-3200\n    model: lpddr4\n    capacity: 1GiB\n"
         "    address_mapping: {byte: [0], column: [\"1-10\"], row: [\"11-26\"], "
         "bank: [\"27-29\"], channel: []}\n"
         "    controller: {scheduler: " +
         c + (std::string(c) == "fr_fcfs" ? ", buffer_depth: " + std::to_string(g_depth) : "") +
         "}\n";
  }
  ConfigDocument::set_preset_directory(HMASIM_SOURCE_DIR "/platforms/presets");
  auto doc = ConfigDocument::load_string(y, "test.yaml");
  std::vector<MemorySpec> specs = parse_memories(doc->root().child("memories"));
  doc->finish();
  return specs;
}

// Each read lands in its own 256 B piece of one buffer per DMA (a read at an address read before
// reuses that piece).
class BufferClient : public DmaClient {
 public:
  BufferClient(std::vector<std::uint8_t>& buffer, const std::map<std::uint64_t, std::size_t>& at)
      : buffer_(buffer), at_(at) {}
  std::uint8_t* destination(const DmaRequest& r) override {
    return buffer_.data() + at_.at(r.address);
  }
  void arrived(const DmaRequest&, Time issued, Time completed) override {
    EXPECT_LE(issued, completed);
    ++arrivals;
    last = max(last, completed);
  }
  int arrivals = 0;
  Time last{0};

 private:
  std::vector<std::uint8_t>& buffer_;
  const std::map<std::uint64_t, std::size_t>& at_;
};

// One DMA and a thread that runs `body` on it.
class DmaDriver : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(DmaDriver);
  DmaDriver(const sc_core::sc_module_name& name, std::function<void(DmaEngine&)> body)
      : sc_core::sc_module(name),
        dma("dma", DmaConfig{}, Clock(Frequency(1'000'000'000))),
        body_(std::move(body)) {
    SC_THREAD(run);
  }
  DmaEngine dma;

 private:
  void run() { body_(dma); }
  std::function<void(DmaEngine&)> body_;
};

struct Outcome {
  Time fetched{0};  // when the last read's data was in
  Time drained{0};  // when the last write was done
  int arrivals = 0;
  std::uint64_t max_reads_in_flight = 0;
  std::vector<std::uint8_t> data;  // what the reads returned
};

// Fills both memories with the same bytes at the read addresses, then has both DMAs read
// `reads` (one fetch) and write `writes` (posted at 0, drained).
void run_both(const std::vector<DmaRequest>& reads, const std::vector<DmaRequest>& writes,
              Outcome& blocking, Outcome& at) {
  EnergyLedger ledger;
  MemorySystem memories(two_drams(), ledger);
  MemoryTarget* in_order = memories.find("in_order");
  MemoryTarget* fr_fcfs = memories.find("fr_fcfs");
  ASSERT_TRUE(in_order && fr_fcfs);
  ASSERT_TRUE(static_cast<Lpddr4*>(fr_fcfs)->accepts_nb_transport());
  std::mt19937 rng(5);
  std::map<std::uint64_t, std::size_t> piece;
  for (const DmaRequest& r : reads) {
    if (!piece.emplace(r.address, 256 * piece.size()).second) continue;
    std::vector<std::uint8_t> bytes(r.length);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    ASSERT_TRUE(in_order->debug_write(r.address, bytes.data(), bytes.size()));
    ASSERT_TRUE(fr_fcfs->debug_write(r.address, bytes.data(), bytes.size()));
  }
  const std::size_t span = 256 * piece.size();
  std::vector<std::uint8_t> write_data(writes.empty() ? 0 : 256 * writes.size(), 0x5A);
  const auto body = [&](Outcome& out) {
    return [&, span](DmaEngine& dma) {
      out.data.assign(span, 0);
      BufferClient client(out.data, piece);
      std::vector<DmaRead> rs;
      for (const DmaRequest& r : reads) rs.push_back({r, &client});
      dma.begin_layer();
      std::vector<DmaRequest> ws = writes;
      for (std::size_t k = 0; k < ws.size(); ++k) ws[k].address = writes.front().address + 256 * k;
      if (!ws.empty()) dma.post_writes(ws, Time(0), write_data.data());
      out.fetched = dma.fetch(rs, Time(0));
      out.drained = dma.drain_writes(Time(0));
      out.arrivals = client.arrivals;
      EXPECT_EQ(client.last, out.fetched);
      out.max_reads_in_flight = dma.max_in_flight(DmaEngine::kRead);
      dma.end_layer(max(out.fetched, out.drained));
    };
  };
  DmaDriver a("blocking", body(blocking));
  DmaDriver b("at", body(at));
  b.dma.set_nonblocking();
  a.dma.socket.bind(in_order->socket);
  b.dma.socket.bind(fr_fcfs->socket);
  sc_core::sc_start();
  const Time end = max(max(blocking.fetched, blocking.drained), max(at.fetched, at.drained));
  in_order->finish(end);
  fr_fcfs->finish(end);
  // The written bytes are in the memory.
  if (!writes.empty()) {
    std::vector<std::uint8_t> back(256 * writes.size());
    ASSERT_TRUE(fr_fcfs->debug_read(writes.front().address, back.data(), back.size()));
    EXPECT_EQ(back, write_data);
  }
  EXPECT_EQ(a.dma.stats(DmaEngine::kRead).requests, b.dma.stats(DmaEngine::kRead).requests);
  EXPECT_EQ(a.dma.stats(DmaEngine::kWrite).bytes, b.dma.stats(DmaEngine::kWrite).bytes);
  EXPECT_GT(static_cast<Lpddr4*>(fr_fcfs)->commands_checked(), 0u);
  std::printf(
      "in order (blocking): reads in at %.4g s, writes done at %.4g s; FR-FCFS (AT, up to "
      "%llu reads in flight): %.4g s, %.4g s\n",
      to_seconds(blocking.fetched), to_seconds(blocking.drained),
      static_cast<unsigned long long>(at.max_reads_in_flight), to_seconds(at.fetched),
      to_seconds(at.drained));
}

// 256 B reads alternating between two rows of one bank: in arrival order every read misses the
// row (a full tRC each); FR-FCFS serves the hits among the requests in flight first.
std::vector<DmaRequest> alternating_rows(int n) {
  std::vector<DmaRequest> r;
  for (int i = 0; i < n; ++i) {
    const std::uint64_t column = static_cast<std::uint64_t>(i / 2 % 8) * 256;
    r.push_back({(i % 2 ? 5 * kRowBytes : 9 * kRowBytes) + column, 256});
  }
  return r;
}

TEST(DmaNonblocking, FrFcfsReordersRequestsInFlightAndIsNoSlower) {
  const std::vector<DmaRequest> reads = alternating_rows(128);
  Outcome blocking, at;
  run_both(reads, {}, blocking, at);
  EXPECT_GT(at.max_reads_in_flight, 1u);
  EXPECT_EQ(blocking.max_reads_in_flight, 1u);
  EXPECT_EQ(at.arrivals, static_cast<int>(reads.size()));
  EXPECT_EQ(blocking.arrivals, static_cast<int>(reads.size()));
  EXPECT_EQ(at.data, blocking.data);
  // Row hits served first: the DRAM is done strictly earlier.
  EXPECT_LT(at.fetched, blocking.fetched)
      << "FR-FCFS " << to_seconds(at.fetched) << " s, in order " << to_seconds(blocking.fetched);
}

TEST(DmaNonblocking, RandomReadsAndWritesAreNoSlowerThanInOrder) {
  std::mt19937_64 rng(11);
  std::vector<DmaRequest> reads;
  // Random 256 B reads over the first 64 MiB of every bank.
  for (int i = 0; i < 400; ++i) {
    const std::uint64_t bank = rng() % 8;
    reads.push_back({bank * kBankBytes + (rng() % (64ull << 20)) / 256 * 256, 256});
  }
  std::vector<DmaRequest> writes(64, DmaRequest{512ull << 20, 256});
  Outcome blocking, at;
  run_both(reads, writes, blocking, at);
  EXPECT_GT(at.max_reads_in_flight, 1u);
  EXPECT_EQ(at.data, blocking.data);
  EXPECT_LE(max(at.fetched, at.drained), max(blocking.fetched, blocking.drained))
      << "FR-FCFS " << to_seconds(max(at.fetched, at.drained)) << " s, in order "
      << to_seconds(max(blocking.fetched, blocking.drained));
}

}  // namespace
}  // namespace hmasim

namespace hmasim {
namespace {

// An error response on the AT path fails the transfer as on the blocking path (a platform bug:
// only in-range requests are issued), with the channel's error counted.
TEST(DmaNonblocking, AnErrorResponseThrows) {
  EnergyLedger ledger;
  MemorySystem memories(two_drams(), ledger);
  MemoryTarget* fr_fcfs = memories.find("fr_fcfs");
  MemoryTarget* in_order = memories.find("in_order");
  ASSERT_TRUE(fr_fcfs && in_order);
  DmaDriver idle("idle", [](DmaEngine&) {});  // the other memory's socket must be bound
  idle.dma.socket.bind(in_order->socket);
  bool threw = false;
  DmaDriver d("at", [&](DmaEngine& dma) {
    const std::vector<DmaRead> reads = {{{0, 256}, nullptr}, {{2ull << 30, 256}, nullptr}};
    try {
      dma.fetch(reads, Time(0));
    } catch (const std::runtime_error& e) {
      threw = std::string(e.what()).find("read of 256 B failed with an address error") !=
              std::string::npos;
    }
    EXPECT_EQ(dma.stats(DmaEngine::kRead).errors, 1u);
  });
  d.dma.set_nonblocking();
  d.dma.socket.bind(fr_fcfs->socket);
  sc_core::sc_start();
  EXPECT_TRUE(threw);
}

}  // namespace
}  // namespace hmasim
