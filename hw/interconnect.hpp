// The interconnect between the accelerator's DMA and the memories: one target socket, one link
// per memory. A global address selects the memory in its top bits (memory index << 40, so each
// memory has a 1 TiB window) and the offset inside it. Each link carries a bandwidth and a
// latency: a request occupies its link for length / bandwidth from when the link is free, and
// completes no earlier than that plus the latency (DESIGN.md: resources reserve time).
//
// Each link also counts what it did to its memory's bandwidth: the requests it, rather than the
// memory, held up (see LinkStats), so a run can say when a link capped a faster memory.
//
// Both TLM-2.0 styles pass, with the same decoding, translation and link timing:
//  - b_transport (loosely timed): to every memory.
//  - nb_transport (AT, base protocol's 4 phases), for initiators with requests in flight (the
//    DMA's AT path). To a memory marked set_at_target() (it implements nb_transport_fw itself:
//    a buffered LPDDR4 controller) BEGIN_REQ goes on after the link's queueing and latency, and
//    no earlier than the memory's END_REQ of the link's previous request (request exclusion per
//    link); the initiator gets END_REQ when the link takes the request, on arrival (the link
//    queues requests for its memory, as on b_transport; the initiator's max_outstanding bounds
//    them), or, if the memory answers TLM_ACCEPTED, when the memory sends END_REQ. BEGIN_RESP
//    goes back no earlier than the link's transfer plus latency (as b_transport's completion);
//    END_RESP goes to the memory that sent the response. To any other memory the interconnect
//    serves BEGIN_REQ through the memory's b_transport and completes early (TLM_COMPLETED, the
//    completion as the annotated delay). That adapter is exact for the project's memories, whose
//    b_transport never waits (they annotate the delay): the request gets the timing b_transport
//    gives it. A b_transport that called wait() would break it (nb_transport_fw must not block); no
//    model here does.
// Errors are responses: an address outside every window gets TLM_ADDRESS_ERROR_RESPONSE (on the
// AT path by early completion), the memory's own error responses pass through.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <algorithm>
#include <memory>
#include <string>
#include <systemc>
#include <tlm>
#include <unordered_map>
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
  // The memory of link i implements nb_transport_fw itself: AT requests go to it as AT (before
  // the simulation starts; default false: AT requests to it are served by its b_transport).
  void set_at_target(std::size_t i, bool native = true) { at_target_[i] = native; }
  bool at_target(std::size_t i) const { return at_target_[i]; }
  // AT requests that went to a memory and have not completed yet (their END_RESP is owed).
  std::size_t at_in_flight() const { return pending_.size(); }
  static std::uint64_t address(std::size_t link, std::uint64_t offset) {
    return (static_cast<std::uint64_t>(link) << kWindowBits) | offset;
  }

 private:
  // A request's use of its link: it queued from `arrival` to `start`, holds the link for
  // `occupancy`, and reaches the memory at start + latency.
  struct Reservation {
    std::size_t link = 0;
    Time arrival{0};
    Time start{0};
    Time occupancy{0};
    Time link_end() const { return start + occupancy; }
  };
  // An AT request at its memory: the initiator's address and when the memory accepted it.
  struct Pending {
    Reservation reservation;
    std::uint64_t global = 0;
    Time accepted{0};
    bool accepted_known = false;
  };
  // The link of `global`, or links() for an address outside every window.
  std::size_t decode(std::uint64_t global) const {
    return static_cast<std::size_t>(std::min<std::uint64_t>(global >> kWindowBits, links_.size()));
  }
  static std::uint64_t offset_of(std::uint64_t global) {
    return global & ((std::uint64_t(1) << kWindowBits) - 1);
  }
  // Takes the link for a request arriving at `arrival` (statistics of the link's use included).
  Reservation reserve(std::size_t link, std::uint64_t length, Time arrival);
  // The completion as the initiator sees it: the memory's, but no earlier than the link's transfer
  // plus latency; counts the request as link-limited if the link held it up (LinkStats).
  Time complete(const Reservation& r, const tlm::tlm_generic_payload& trans, Time memory_accepted,
                Time memory_done);
  // Serves `trans` through link r.link's b_transport, reaching the memory at start + latency.
  // Returns the completion (complete()); the address is the initiator's again afterwards.
  Time serve_blocking(const Reservation& r, tlm::tlm_generic_payload& trans);

  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned transport_dbg(tlm::tlm_generic_payload& trans);
  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);
  tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);

  std::vector<Link> links_;
  std::vector<std::unique_ptr<tlm_utils::simple_initiator_socket<Interconnect>>> ports_;
  std::vector<Time> link_free_;
  std::vector<LinkStats> stats_;
  std::vector<bool> at_target_;
  std::vector<Time> memory_free_;  // AT: when each memory took its latest request (END_REQ)
  std::unordered_map<const tlm::tlm_generic_payload*, Pending> pending_;
};

}  // namespace hmasim
