// The interconnect between the accelerator's DMA and the memories: one target socket, one link
// per memory. A global address selects the memory in its top bits (memory index << 40, so each
// memory has a 1 TiB window) and the offset inside it. Each link carries a bandwidth and a
// latency: a request occupies its link for length / bandwidth from when the link is free, and
// completes no earlier than that plus the latency (DESIGN.md: resources reserve time).
//
// Each link also counts what it did to its memory's bandwidth: the requests it, rather than the
// memory, held up (see LinkStats), so a run can say when a link capped a faster memory.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <memory>
#include <string>
#include <systemc>
#include <tlm>
#include <vector>

#include "core/units.hpp"

namespace hmasim {

class Interconnect : public sc_core::sc_module {
 public:
  static constexpr unsigned kWindowBits = 40;

  struct Link {
    std::string memory;
    Bandwidth bandwidth{0.0};
    Time latency{0};
  };
  struct LinkStats {
    std::uint64_t requests = 0;
    std::uint64_t bytes = 0;
    Time busy{0};
    // Requests the link rather than the memory held up, and their bytes: the link's transfer
    // ended after the memory had finished (so it set the completion), or the request queued for
    // the link while the memory then took it within the time the link needed to carry it (the
    // memory had room: a faster link would have let it start earlier). The second case catches a
    // memory whose latency exceeds the link's transfer time but whose bandwidth the link caps.
    std::uint64_t link_limited_requests = 0;
    std::uint64_t link_limited_bytes = 0;
    Time wait{0};  // summed over requests: from arrival until the link was free for it
  };

  tlm_utils::simple_target_socket<Interconnect> target;

  // One initiator socket per link, in order; bind each to its memory.
  Interconnect(const sc_core::sc_module_name& name, std::vector<Link> links);
  tlm_utils::simple_initiator_socket<Interconnect>& port(std::size_t i) { return *ports_[i]; }
  std::size_t links() const { return links_.size(); }
  const Link& link(std::size_t i) const { return links_[i]; }
  const LinkStats& stats(std::size_t i) const { return stats_[i]; }
  static std::uint64_t address(std::size_t link, std::uint64_t offset) {
    return (static_cast<std::uint64_t>(link) << kWindowBits) | offset;
  }

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned transport_dbg(tlm::tlm_generic_payload& trans);

  std::vector<Link> links_;
  std::vector<std::unique_ptr<tlm_utils::simple_initiator_socket<Interconnect>>> ports_;
  std::vector<Time> link_free_;
  std::vector<LinkStats> stats_;
};

}  // namespace hmasim
