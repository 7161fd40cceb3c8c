// The TLM plumbing every model inherits: protocol-legal bad requests get the matching error
// response (never an abort), bytes really move, and power gating behaves.
#include <gtest/gtest.h>

#include "mem/storage.hpp"
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

TEST(MemoryTarget, ErrorResponsesForBadRequests) {
  EnergyLedger ledger;
  auto mem = test::build_memory(kMemory, ledger);
  ASSERT_TRUE(mem);
  test::run_script(*mem, [&](test::ScriptedInitiator& init) {
    EXPECT_EQ(init.read(4096, 8).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);   // past the end
    EXPECT_EQ(init.read(4088, 16).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);  // straddles the end
    EXPECT_EQ(init.read(4, 8).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);      // unaligned
    EXPECT_EQ(init.read(4088, 8).status, tlm::TLM_OK_RESPONSE);

    std::vector<unsigned char> data(16), enables(16, 0xFF);
    tlm::tlm_generic_payload p;
    p.set_address(0);
    p.set_data_ptr(data.data());
    p.set_data_length(16);
    p.set_streaming_width(16);

    p.set_command(tlm::TLM_READ_COMMAND);
    p.set_byte_enable_ptr(enables.data());
    p.set_byte_enable_length(16);
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    EXPECT_EQ(init.send(p), tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    p.set_byte_enable_ptr(nullptr);

    p.set_streaming_width(8);  // streaming bursts are not supported
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    EXPECT_EQ(init.send(p), tlm::TLM_BURST_ERROR_RESPONSE);
    p.set_streaming_width(16);

    p.set_data_length(0);
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    EXPECT_EQ(init.send(p), tlm::TLM_BURST_ERROR_RESPONSE);
    p.set_data_length(16);

    p.set_command(tlm::TLM_IGNORE_COMMAND);
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    EXPECT_EQ(init.send(p), tlm::TLM_OK_RESPONSE);

    // A transaction that is not fresh is the initiator's bug: answered, not aborted.
    p.set_command(tlm::TLM_READ_COMMAND);
    p.set_response_status(tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(init.send(p), tlm::TLM_GENERIC_ERROR_RESPONSE);
  });
  EXPECT_EQ(mem->stats().errors, 7u);
  EXPECT_EQ(mem->stats().reads, 1u);
}

TEST(MemoryTarget, MovesRealBytes) {
  EnergyLedger ledger;
  auto mem = test::build_memory(kMemory, ledger);
  ASSERT_TRUE(mem);
  test::run_script(*mem, [&](test::ScriptedInitiator& init) {
    std::vector<std::uint8_t> data(64);
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 7 + 1);
    EXPECT_EQ(init.write(128, data).status, tlm::TLM_OK_RESPONSE);
    std::vector<std::uint8_t> back;
    EXPECT_EQ(init.read(128, 64, &back).status, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(back, data);
    EXPECT_EQ(init.read(1024, 8, &back).status, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(back, std::vector<std::uint8_t>(8, 0));  // never written: zeros
  });
  std::vector<std::uint8_t> peek(4);
  ASSERT_TRUE(mem->debug_read(130, peek.data(), peek.size()));
  EXPECT_EQ(peek[0], 2 * 7 + 1);
  EXPECT_FALSE(mem->debug_read(4094, peek.data(), peek.size()));
}

TEST(MemoryTarget, TimingOnlyModeStoresNothing) {
  EnergyLedger ledger;
  auto mem = test::build_memory(std::string(kMemory) + "    storage: none\n", ledger);
  ASSERT_TRUE(mem);
  test::run_script(*mem, [&](test::ScriptedInitiator& init) {
    EXPECT_EQ(init.write(0, std::vector<std::uint8_t>(64, 0xAB)).status, tlm::TLM_OK_RESPONSE);
    std::vector<std::uint8_t> back;
    EXPECT_EQ(init.read(0, 64, &back).status, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(back, std::vector<std::uint8_t>(64, 0));
  });
  EXPECT_EQ(mem->storage().resident().value(), 0u);
}

TEST(MemoryTarget, SparseStorageAllocatesOnlyWrittenPages) {
  EnergyLedger ledger;
  auto mem = test::build_memory(R"(memories:
  m:
    model: simple
    capacity: 8GiB
    latency: 10ns
    bandwidth: 8GB/s
)",
                                ledger);
  ASSERT_TRUE(mem);
  const std::uint8_t byte = 0x5A;
  ASSERT_TRUE(mem->debug_write(7ull << 30, &byte, 1));
  EXPECT_EQ(mem->storage().resident().value(), SparseStorage::kPageBytes);
}

TEST(MemoryTarget, AccessWhilePoweredOffIsAnErrorResponse) {
  EnergyLedger ledger;
  auto mem = test::build_memory(kMemory, ledger);
  ASSERT_TRUE(mem);
  test::run_script(*mem, [&](test::ScriptedInitiator& init) {
    EXPECT_EQ(init.write(0, std::vector<std::uint8_t>(8, 1)).status, tlm::TLM_OK_RESPONSE);
    mem->power_off(init.local_time());
    EXPECT_EQ(init.read(0, 8).status, tlm::TLM_GENERIC_ERROR_RESPONSE);
    mem->power_on(init.local_time());
    std::vector<std::uint8_t> back;
    EXPECT_EQ(init.read(0, 8, &back).status, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(back, std::vector<std::uint8_t>(8, 1));  // `simple` retains its contents
  });
}

}  // namespace
}  // namespace hmasim
