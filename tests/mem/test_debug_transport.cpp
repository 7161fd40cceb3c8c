// transport_dbg answers every request as b_transport does: the same checks, the same response
// status, and no byte moved (0 returned) for a refused request. A null data pointer used to reach
// SparseStorage::write and crash.
#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "support/memory_bench.hpp"

namespace hmasim {
namespace {

const char* kMemory = R"(memories:
  m:
    model: simple
    capacity: 4KiB
    alignment: 8B
    latency: 10ns
    bandwidth: 8GB/s
)";

struct Answers {
  tlm::tlm_response_status blocking;
  tlm::tlm_response_status debug;
  unsigned debug_bytes;
};

// Sends the payload that `shape` builds through b_transport, then (built afresh) through
// transport_dbg.
Answers both(test::ScriptedInitiator& init,
             const std::function<void(tlm::tlm_generic_payload&)>& shape) {
  Answers a{};
  tlm::tlm_generic_payload p;
  shape(p);
  p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  a.blocking = init.send(p);
  tlm::tlm_generic_payload d;
  shape(d);
  d.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  a.debug_bytes = init.socket->transport_dbg(d);
  a.debug = d.get_response_status();
  return a;
}

TEST(DebugTransport, RefusesWhatBTransportRefusesWithTheSameStatus) {
  EnergyLedger ledger;
  auto mem = test::build_memory(kMemory, ledger);
  ASSERT_TRUE(mem);
  std::vector<unsigned char> data(16, 0xAB), enables(16, 0xFF);
  // A well-formed 16 B request at `address`; each case then breaks one attribute.
  auto request = [&](tlm::tlm_command cmd, std::uint64_t address) {
    return [&, cmd, address](tlm::tlm_generic_payload& p) {
      p.set_command(cmd);
      p.set_address(address);
      p.set_data_ptr(data.data());
      p.set_data_length(16);
      p.set_streaming_width(16);
    };
  };
  struct Case {
    const char* what;
    std::function<void(tlm::tlm_generic_payload&)> shape;
    tlm::tlm_response_status expected;
  };
  std::vector<Case> cases;
  for (tlm::tlm_command cmd : {tlm::TLM_READ_COMMAND, tlm::TLM_WRITE_COMMAND}) {
    auto ok = request(cmd, 64);
    cases.push_back({"null data pointer",
                     [=](tlm::tlm_generic_payload& p) {
                       ok(p);
                       p.set_data_ptr(nullptr);
                     },
                     tlm::TLM_BURST_ERROR_RESPONSE});
    cases.push_back({"zero length",
                     [=](tlm::tlm_generic_payload& p) {
                       ok(p);
                       p.set_data_length(0);
                     },
                     tlm::TLM_BURST_ERROR_RESPONSE});
    cases.push_back({"streaming width below the length",
                     [=](tlm::tlm_generic_payload& p) {
                       ok(p);
                       p.set_streaming_width(8);
                     },
                     tlm::TLM_BURST_ERROR_RESPONSE});
    cases.push_back({"byte enables",
                     [=, &enables](tlm::tlm_generic_payload& p) {
                       ok(p);
                       p.set_byte_enable_ptr(enables.data());
                       p.set_byte_enable_length(16);
                     },
                     tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE});
    cases.push_back({"past the end", request(cmd, 4096), tlm::TLM_ADDRESS_ERROR_RESPONSE});
    cases.push_back({"straddles the end", request(cmd, 4088), tlm::TLM_ADDRESS_ERROR_RESPONSE});
    cases.push_back({"address wraps 64 bits", request(cmd, ~std::uint64_t{0} - 7),
                     tlm::TLM_ADDRESS_ERROR_RESPONSE});
    cases.push_back({"unaligned", request(cmd, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE});
  }
  test::run_script(*mem, [&](test::ScriptedInitiator& init) {
    for (const Case& c : cases) {
      const Answers a = both(init, c.shape);
      EXPECT_EQ(a.blocking, c.expected) << c.what;
      EXPECT_EQ(a.debug, a.blocking) << c.what;
      EXPECT_EQ(a.debug_bytes, 0u) << c.what;
    }
    // Nothing was written by any refused request.
    std::vector<std::uint8_t> back;
    EXPECT_EQ(init.read(64, 16, &back).status, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(back, std::vector<std::uint8_t>(16, 0));
  });
}

TEST(DebugTransport, MovesBytesLikeBTransportAndAnswersOk) {
  EnergyLedger ledger;
  auto mem = test::build_memory(kMemory, ledger);
  ASSERT_TRUE(mem);
  test::run_script(*mem, [&](test::ScriptedInitiator& init) {
    std::vector<unsigned char> data(16);
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<unsigned char>(3 * i + 1);
    tlm::tlm_generic_payload p;
    p.set_command(tlm::TLM_WRITE_COMMAND);
    p.set_address(128);
    p.set_data_ptr(data.data());
    p.set_data_length(16);
    p.set_streaming_width(16);
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    EXPECT_EQ(init.socket->transport_dbg(p), 16u);
    EXPECT_EQ(p.get_response_status(), tlm::TLM_OK_RESPONSE);
    std::vector<std::uint8_t> back;
    EXPECT_EQ(init.read(128, 16, &back).status, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(back, std::vector<std::uint8_t>(data.begin(), data.end()));

    std::vector<unsigned char> peek(16, 0);
    p.set_command(tlm::TLM_READ_COMMAND);
    p.set_data_ptr(peek.data());
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    EXPECT_EQ(init.socket->transport_dbg(p), 16u);
    EXPECT_EQ(peek, data);

    p.set_command(tlm::TLM_IGNORE_COMMAND);  // a no-op, as for b_transport
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    EXPECT_EQ(init.socket->transport_dbg(p), 0u);
    EXPECT_EQ(p.get_response_status(), tlm::TLM_OK_RESPONSE);
  });
  // Debug accesses are not traffic: only the one b_transport read counts.
  EXPECT_EQ(mem->stats().reads, 1u);
  EXPECT_EQ(mem->stats().writes, 0u);
}

TEST(DebugTransport, PoweredOffMemoryAnswersGenericError) {
  EnergyLedger ledger;
  auto mem = test::build_memory(kMemory, ledger);
  ASSERT_TRUE(mem);
  mem->power_off(Time(0));
  test::run_script(*mem, [&](test::ScriptedInitiator& init) {
    std::vector<unsigned char> data(16, 1);
    const Answers a = both(init, [&](tlm::tlm_generic_payload& p) {
      p.set_command(tlm::TLM_WRITE_COMMAND);
      p.set_address(0);
      p.set_data_ptr(data.data());
      p.set_data_length(16);
      p.set_streaming_width(16);
    });
    EXPECT_EQ(a.blocking, tlm::TLM_GENERIC_ERROR_RESPONSE);
    EXPECT_EQ(a.debug, tlm::TLM_GENERIC_ERROR_RESPONSE);
    EXPECT_EQ(a.debug_bytes, 0u);
  });
}

}  // namespace
}  // namespace hmasim
