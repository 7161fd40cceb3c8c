#include "hw/dma_engine.hpp"

#include <stdexcept>

namespace hmasim {

DmaEngine::DmaEngine(const sc_core::sc_module_name& name, const DmaConfig& config, Clock clock)
    // The quantum bounds how far the DMA runs ahead of SystemC time between syncs.
    : TlmInitiator(name, Time(1'000'000)), config_(config), clock_(clock) {
  for (auto& c : channels_) c.completions.assign(config_.max_outstanding, Time(0));
  buffer_.assign(config_.max_request.value(), 0);
}

void DmaEngine::split(std::uint64_t address, std::uint64_t length,
                      std::vector<Request>& out) const {
  if (length == 0) return;
  const std::uint64_t unit = config_.min_request.value();
  const std::uint64_t max = config_.max_request.value();
  std::uint64_t a = address / unit * unit;  // whole units: the rounding is real traffic
  const std::uint64_t end = (address + length + unit - 1) / unit * unit;
  while (a < end) {
    const std::uint64_t boundary = (a / max + 1) * max;
    const std::uint64_t n = std::min(end, boundary) - a;
    out.push_back({a, static_cast<std::uint32_t>(n)});
    a += n;
  }
}

Time DmaEngine::next_issue(Channel channel, Time ready) const {
  const ChannelState& c = channels_[channel];
  Time t = max(ready, c.completions[c.issued % c.completions.size()]);
  if (c.any) t = max(t, c.last_issue + clock_.period());
  // Issue on an accelerator clock edge.
  return clock_.time_of(clock_.cycle_at_or_after(t));
}

Time DmaEngine::issue(Channel channel, const Request& request, Time ready, std::uint8_t* data) {
  ChannelState& c = channels_[channel];
  const Time at = next_issue(channel, ready);
  advance_to(at);
  const Result r = transact(channel == kRead ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND,
                            request.address, data ? data : buffer_.data(), request.length);
  if (r.status != tlm::TLM_OK_RESPONSE) {
    ++stats_[channel].errors;
    const std::string what =
        r.status == tlm::TLM_ADDRESS_ERROR_RESPONSE ? "an address error" : "an error response";
    throw std::runtime_error(std::string(name()) + ": " + (channel == kRead ? "read" : "write") +
                             " of " + std::to_string(request.length) + " B failed with " + what);
  }
  c.completions[c.issued % c.completions.size()] = r.completed;
  ++c.issued;
  c.last_issue = at;
  c.any = true;
  ++stats_[channel].requests;
  stats_[channel].bytes += request.length;
  return r.completed;
}

}  // namespace hmasim
