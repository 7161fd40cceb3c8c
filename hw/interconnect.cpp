#include "hw/interconnect.hpp"

#include <cmath>

#include "core/sc_time_conversion.hpp"
#include "core/timing_extension.hpp"

namespace hmasim {

Interconnect::Interconnect(const sc_core::sc_module_name& name, std::vector<Link> links)
    : sc_core::sc_module(name),
      target("target"),
      links_(std::move(links)),
      link_free_(links_.size(), Time(0)),
      stats_(links_.size()),
      at_target_(links_.size(), false),
      memory_free_(links_.size(), Time(0)) {
  for (const Link& l : links_) {
    ports_.push_back(std::make_unique<tlm_utils::simple_initiator_socket<Interconnect>>(
        ("to_" + l.memory).c_str()));
    ports_.back()->register_nb_transport_bw(this, &Interconnect::nb_transport_bw);
  }
  target.register_b_transport(this, &Interconnect::b_transport);
  target.register_transport_dbg(this, &Interconnect::transport_dbg);
  target.register_nb_transport_fw(this, &Interconnect::nb_transport_fw);
}

Interconnect::Reservation Interconnect::reserve(std::size_t link, std::uint64_t length,
                                                Time arrival) {
  const Link& l = links_[link];
  Reservation r;
  r.link = link;
  r.arrival = arrival;
  r.start = max(arrival, link_free_[link]);
  // Whole picoseconds, rounded up; the tolerance keeps an exact quotient from rounding up on
  // floating-point noise (256 B at 16 GB/s is 16000 ps, not 16001).
  const double transfer_ps = static_cast<double>(length) / l.bandwidth.value() * 1e12;
  r.occupancy = Time(static_cast<std::uint64_t>(std::ceil(transfer_ps - 1e-6)));
  link_free_[link] = r.link_end();
  LinkStats& s = stats_[link];
  s.requests += 1;
  s.bytes += length;
  s.busy += r.occupancy;
  s.wait += r.start - arrival;
  return r;
}

Time Interconnect::complete(const Reservation& r, const tlm::tlm_generic_payload& trans,
                            Time memory_accepted, Time memory_done) {
  const Time latency = links_[r.link].latency;
  const Time link_done = r.link_end() + latency;
  // Who held the request up (LinkStats): the link if its transfer ended last, or if the request
  // queued for it and the memory then took it within the link's transfer time.
  if (trans.get_response_status() == tlm::TLM_OK_RESPONSE) {
    const bool link_finished_last = link_done > memory_done;
    const bool memory_had_room = memory_accepted < r.start + latency + r.occupancy;
    if (link_finished_last || (r.start > r.arrival && memory_had_room)) {
      LinkStats& s = stats_[r.link];
      s.link_limited_requests += 1;
      s.link_limited_bytes += trans.get_data_length();
    }
  }
  return max(memory_done, link_done);
}

Time Interconnect::serve_blocking(const Reservation& r, tlm::tlm_generic_payload& trans) {
  // The memory reports when it took the request through the timing extension (MemoryTarget sets
  // it on success); lend the payload one for the call if the initiator attached none.
  TimingExtension lent;
  TimingExtension* timing = trans.get_extension<TimingExtension>();
  if (timing == nullptr) trans.set_extension(&lent);
  TimingExtension& reported = timing ? *timing : lent;

  // The request reaches the memory after the link latency, with the global window removed.
  const std::uint64_t global = trans.get_address();
  const Time at_memory = r.start + links_[r.link].latency;
  trans.set_address(offset_of(global));
  sc_core::sc_time memory_delay = to_sc_time(at_memory) - sc_core::sc_time_stamp();
  (*ports_[r.link])->b_transport(trans, memory_delay);
  trans.set_address(global);
  const Time memory_accepted = reported.accepted;
  if (timing == nullptr) trans.clear_extension(&lent);
  const Time memory_done = from_sc_time(sc_core::sc_time_stamp() + memory_delay);
  return complete(r, trans, memory_accepted, memory_done);
}

void Interconnect::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const std::size_t link = decode(trans.get_address());
  if (link >= links_.size()) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  const Time arrival = from_sc_time(sc_core::sc_time_stamp() + delay);
  const Reservation r = reserve(link, trans.get_data_length(), arrival);
  const Time done = serve_blocking(r, trans);
  delay = to_sc_time(done) - sc_core::sc_time_stamp();
}

unsigned Interconnect::transport_dbg(tlm::tlm_generic_payload& trans) {
  const std::uint64_t global = trans.get_address();
  const std::size_t link = decode(global);
  if (link >= links_.size()) return 0;
  trans.set_address(offset_of(global));
  const unsigned n = (*ports_[link])->transport_dbg(trans);
  trans.set_address(global);
  return n;
}

// ---------------------------------------------------------------------------------------------
// AT path. The memory holds the payload with its own (window-free) address from BEGIN_REQ until
// its response; the initiator's address is restored before the response goes back.

tlm::tlm_sync_enum Interconnect::nb_transport_fw(tlm::tlm_generic_payload& trans,
                                                 tlm::tlm_phase& phase, sc_core::sc_time& delay) {
  if (phase == tlm::END_RESP) {
    const auto it = pending_.find(&trans);
    if (it == pending_.end()) return tlm::TLM_COMPLETED;  // nothing owed (an early completion)
    const std::size_t link = it->second.reservation.link;
    pending_.erase(it);
    return (*ports_[link])->nb_transport_fw(trans, phase, delay);
  }
  if (phase != tlm::BEGIN_REQ) return tlm::TLM_ACCEPTED;  // END_REQ / BEGIN_RESP: not forward
  const std::uint64_t global = trans.get_address();
  const std::size_t link = decode(global);
  if (link >= links_.size()) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return tlm::TLM_COMPLETED;  // early completion: the error is the response
  }
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  const Reservation r = reserve(link, trans.get_data_length(), from_sc_time(now + delay));
  if (!at_target_[link]) {
    // The exact adapter (header): the memory's b_transport serves it now, annotating its
    // completion, which goes back as an early completion.
    const Time done = serve_blocking(r, trans);
    delay = to_sc_time(done) - now;
    return tlm::TLM_COMPLETED;
  }
  // The link holds requests for its memory in order: one reaches the memory after the link's
  // latency, and no earlier than the memory took the previous one (its END_REQ).
  trans.set_address(offset_of(global));
  const Time at_memory = max(r.start + links_[link].latency, memory_free_[link]);
  sc_core::sc_time memory_delay = to_sc_time(at_memory) - now;
  pending_[&trans] = Pending{r, global, Time(0), false};
  const tlm::tlm_sync_enum status = (*ports_[link])->nb_transport_fw(trans, phase, memory_delay);
  const Time when = from_sc_time(now + memory_delay);
  if (status == tlm::TLM_COMPLETED || (status == tlm::TLM_UPDATED && phase == tlm::BEGIN_RESP)) {
    // Done at once (early completion, or the response on the return path).
    trans.set_address(global);
    const Time done = complete(r, trans, when, when);
    delay = to_sc_time(done) - now;
    if (status == tlm::TLM_COMPLETED) pending_.erase(&trans);
    return status;
  }
  if (status == tlm::TLM_UPDATED && phase == tlm::END_REQ) {
    memory_free_[link] = when;
    // Looked up again: the call may have changed the map.
    if (const auto it = pending_.find(&trans); it != pending_.end()) {
      it->second.accepted = when;
      it->second.accepted_known = true;
    }
    // The link took the request on arrival (it queues for the link and then for the memory, as
    // on b_transport): the initiator may send its next one at once, to this memory or another.
    return tlm::TLM_UPDATED;  // END_REQ, `delay` unchanged
  }
  // TLM_ACCEPTED: the memory sends END_REQ later; the initiator waits for it (nb_transport_bw).
  delay = memory_delay;
  return status;
}

tlm::tlm_sync_enum Interconnect::nb_transport_bw(tlm::tlm_generic_payload& trans,
                                                 tlm::tlm_phase& phase, sc_core::sc_time& delay) {
  const auto it = pending_.find(&trans);
  if (it == pending_.end()) return tlm::TLM_ACCEPTED;  // not a request of ours: a memory's bug
  Pending& p = it->second;
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  const Time when = from_sc_time(now + delay);
  if (phase == tlm::END_REQ) {
    p.accepted = when;
    p.accepted_known = true;
    memory_free_[p.reservation.link] = max(memory_free_[p.reservation.link], when);
    return target->nb_transport_bw(trans, phase, delay);
  }
  if (phase != tlm::BEGIN_RESP) return tlm::TLM_ACCEPTED;
  // BEGIN_RESP (it implies END_REQ): the response, no earlier than the link's transfer.
  trans.set_address(p.global);
  const Time done = complete(p.reservation, trans, p.accepted_known ? p.accepted : when, when);
  sc_core::sc_time to_initiator = to_sc_time(done) - now;
  const tlm::tlm_sync_enum status = target->nb_transport_bw(trans, phase, to_initiator);
  // Completed, or END_RESP on the return path: nothing more passes for this request.
  if (status == tlm::TLM_COMPLETED || (status == tlm::TLM_UPDATED && phase == tlm::END_RESP)) {
    pending_.erase(&trans);  // by key: the initiator's call may have changed the map
  }
  if (status != tlm::TLM_ACCEPTED) delay = to_initiator;
  return status;
}

}  // namespace hmasim
