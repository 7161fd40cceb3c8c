#include "hw/initial_programming.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/integer_math.hpp"
#include "mem/memory_registry.hpp"
#include "workloads/encoded_layer.hpp"

namespace hmasim {

InitialProgramming::InitialProgramming(const sc_core::sc_module_name& name, const MemorySpec& spec,
                                       MemoryTarget& source, std::vector<Region> regions,
                                       std::uint64_t request_bytes)
    : TlmInitiator(name, Time(1'000'000)),
      source_(source),
      regions_(std::move(regions)),
      request_bytes_(std::max<std::uint64_t>(1, request_bytes)) {
  const auto* model = MemoryRegistry::instance().find(spec.config->common.model);
  copy_ = model->entry.create((std::string(basename()) + "_copy").c_str(), *spec.config, ledger_);
  socket.bind(copy_->socket);
  result_.memory = spec.name;
  SC_THREAD(run);
}

void InitialProgramming::run() {
  try {
    program();
  } catch (const std::exception& e) {
    error_ = e.what();
  }
}

void InitialProgramming::program() {
  std::vector<std::uint8_t> bytes(request_bytes_);
  Time end(0);
  for (const Region& r : regions_) {
    const std::uint64_t size = round_up(r.bytes, kSurfaceAlignment);
    for (std::uint64_t at = 0; at < size; at += request_bytes_) {
      const auto n = static_cast<std::uint32_t>(std::min(request_bytes_, size - at));
      if (!source_.debug_read(r.offset + at, bytes.data(), n)) {
        throw std::runtime_error(std::string(name()) + ": a weight region lies outside its memory");
      }
      const Result res = transact(tlm::TLM_WRITE_COMMAND, r.offset + at, bytes.data(), n);
      if (res.status != tlm::TLM_OK_RESPONSE) {
        throw std::runtime_error(std::string(name()) + ": a programming write failed");
      }
      end = max(end, res.completed);
      result_.bytes += n;
      ++result_.requests;
    }
  }
  ledger_.close(end);
  result_.time = end;
  result_.energy = ledger_.total();
  done_ = true;
}

}  // namespace hmasim
