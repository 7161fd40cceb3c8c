// Test support: builds a memory model from a YAML `memories:` text and drives it through real
// TLM-2.0 b_transport from a scripted initiator thread.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/config_node.hpp"
#include "core/energy_ledger.hpp"
#include "core/tlm_initiator.hpp"
#include "mem/memory_system.hpp"

namespace hmasim::test {

// Parses `yaml` (a document with a `memories:` map) and returns its validated memory specs;
// throws ConfigError with every diagnostic.
inline std::vector<MemorySpec> parse_platform(const std::string& yaml) {
  ConfigDocument::set_preset_directory(HMASIM_SOURCE_DIR "/platforms/presets");
  auto doc = ConfigDocument::load_string(yaml, "test.yaml");
  std::vector<MemorySpec> specs = parse_memories(doc->root().child("memories"));
  doc->finish();
  return specs;
}

// Parses `yaml` (a document with a `memories:` map), fails the test on any diagnostic, and builds
// the memory called `name`.
inline std::unique_ptr<MemoryTarget> build_memory(const std::string& yaml, EnergyLedger& ledger,
                                                  const std::string& name = "m") {
  ConfigDocument::set_preset_directory(HMASIM_SOURCE_DIR "/platforms/presets");
  auto doc = ConfigDocument::load_string(yaml, "test.yaml");
  auto specs = parse_memories(doc->root().child("memories"));
  try {
    doc->finish();
  } catch (const ConfigError& e) {
    ADD_FAILURE() << e.what();
    return nullptr;
  }
  for (const auto& s : specs) {
    if (s.name != name) continue;
    const auto* item = MemoryRegistry::instance().find(s.config->common.model);
    return item->entry.create(s.name.c_str(), *s.config, ledger);
  }
  ADD_FAILURE() << "no memory " << name;
  return nullptr;
}

// Runs `body` in an SC_THREAD with the initiator's helpers available.
class ScriptedInitiator : public TlmInitiator {
 public:
  SC_HAS_PROCESS(ScriptedInitiator);
  using Body = std::function<void(ScriptedInitiator&)>;
  ScriptedInitiator(const sc_core::sc_module_name& name, Body body)
      : TlmInitiator(name, Time(1'000'000)), body_(std::move(body)) {
    SC_THREAD(run);
  }
  // Also binds the socket to `target`.
  ScriptedInitiator(const sc_core::sc_module_name& name, MemoryTarget& target, Body body)
      : ScriptedInitiator(name, std::move(body)) {
    socket.bind(target.socket);
  }
  Result read(std::uint64_t address, std::uint32_t length,
              std::vector<std::uint8_t>* out = nullptr) {
    std::vector<std::uint8_t> buf(length, 0xEE);
    Result r = transact(tlm::TLM_READ_COMMAND, address, buf.data(), length);
    if (out) *out = buf;
    return r;
  }
  // Reads data.size() bytes into `data`.
  Result read(std::uint64_t address, std::vector<std::uint8_t>& data) {
    return transact(tlm::TLM_READ_COMMAND, address, data.data(),
                    static_cast<std::uint32_t>(data.size()));
  }
  Result write(std::uint64_t address, std::vector<std::uint8_t> data) {
    return transact(tlm::TLM_WRITE_COMMAND, address, data.data(),
                    static_cast<std::uint32_t>(data.size()));
  }
  // Sends a caller-built payload as is (for protocol-violation tests).
  tlm::tlm_response_status send(tlm::tlm_generic_payload& p) {
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(p, delay);
    return p.get_response_status();
  }

 private:
  void run() {
    body_(*this);
    sync();
  }
  Body body_;
};

// Builds the initiator, binds it to `target`, runs the simulation to completion.
inline void run_script(MemoryTarget& target, std::function<void(ScriptedInitiator&)> body) {
  ScriptedInitiator init("initiator", std::move(body));
  init.socket.bind(target.socket);
  sc_core::sc_start();
}

}  // namespace hmasim::test
