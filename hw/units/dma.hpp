// The DMA: moves a byte range between a memory and the convolution buffer as NVDLA does, in
// requests of whole min_request units (32 B), at most max_request (256 B) long and never crossing
// a max_request boundary. Each channel (read, write) keeps up to max_outstanding requests in
// flight, tracked by their completion times (no thread per request), and issues at most one
// request per accelerator cycle. Requests of both channels must be issued in time order (the
// layer sequencer merges them), so memories see non-decreasing arrival times.
#pragma once

#include <array>
#include <vector>

#include "core/clock.hpp"
#include "core/tlm_initiator.hpp"
#include "hw/accelerator_config.hpp"

namespace hmasim {

class DmaEngine : public TlmInitiator {
 public:
  enum Channel { kRead = 0, kWrite = 1 };
  struct Stats {
    std::uint64_t requests = 0;
    std::uint64_t bytes = 0;  // bytes moved, including the rounding to whole min_request units
    std::uint64_t errors = 0;
  };

  DmaEngine(const sc_core::sc_module_name& name, const DmaConfig& config, Clock clock);

  // One request of a transfer: global address and length.
  struct Request {
    std::uint64_t address;
    std::uint32_t length;
  };
  // Splits [address, address + length) into requests (appended to `out`).
  void split(std::uint64_t address, std::uint64_t length, std::vector<Request>& out) const;

  // When `channel` could issue its next request if it was ready at `ready`.
  Time next_issue(Channel channel, Time ready) const;
  // Issues one request at next_issue(channel, ready) and returns its completion time. Must be
  // called in non-decreasing issue-time order across both channels. `data` receives (read) or
  // supplies (write) request.length bytes; without it a scratch buffer is used. Throws on an
  // error response (a platform bug: the sequencer only issues in-range requests).
  Time issue(Channel channel, const Request& request, Time ready, std::uint8_t* data = nullptr);

  const Stats& stats(Channel c) const { return stats_[c]; }

 private:
  DmaConfig config_;
  Clock clock_;
  struct ChannelState {
    std::vector<Time> completions;  // ring of the last max_outstanding completions
    std::uint64_t issued = 0;
    Time last_issue{0};
    bool any = false;
  };
  std::array<ChannelState, 2> channels_;
  std::array<Stats, 2> stats_{};
  std::vector<std::uint8_t> buffer_;
};

}  // namespace hmasim
