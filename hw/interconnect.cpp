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
      stats_(links_.size()) {
  for (const Link& l : links_) {
    ports_.push_back(std::make_unique<tlm_utils::simple_initiator_socket<Interconnect>>(
        ("to_" + l.memory).c_str()));
  }
  target.register_b_transport(this, &Interconnect::b_transport);
  target.register_transport_dbg(this, &Interconnect::transport_dbg);
}

void Interconnect::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const std::uint64_t global = trans.get_address();
  const std::size_t link = static_cast<std::size_t>(global >> kWindowBits);
  if (link >= links_.size()) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  const Link& l = links_[link];
  const Time arrival = from_sc_time(sc_core::sc_time_stamp() + delay);
  const Time start = max(arrival, link_free_[link]);
  // Whole picoseconds, rounded up; the tolerance keeps an exact quotient from rounding up on
  // floating-point noise (256 B at 16 GB/s is 16000 ps, not 16001).
  const double transfer_ps =
      static_cast<double>(trans.get_data_length()) / l.bandwidth.value() * 1e12;
  const Time occupancy(static_cast<std::uint64_t>(std::ceil(transfer_ps - 1e-6)));
  const Time link_end = start + occupancy;
  link_free_[link] = link_end;
  LinkStats& s = stats_[link];
  s.requests += 1;
  s.bytes += trans.get_data_length();
  s.busy += occupancy;
  s.wait += start - arrival;

  // The memory reports when it took the request through the timing extension (MemoryTarget sets
  // it on success); lend the payload one for the call if the initiator attached none.
  TimingExtension lent;
  TimingExtension* timing = trans.get_extension<TimingExtension>();
  if (timing == nullptr) trans.set_extension(&lent);
  TimingExtension& reported = timing ? *timing : lent;

  // The request reaches the memory after the link latency, with the global window removed.
  const Time at_memory = start + l.latency;
  trans.set_address(global & ((std::uint64_t(1) << kWindowBits) - 1));
  sc_core::sc_time memory_delay = to_sc_time(at_memory) - sc_core::sc_time_stamp();
  (*ports_[link])->b_transport(trans, memory_delay);
  trans.set_address(global);
  const Time memory_accepted = reported.accepted;
  if (timing == nullptr) trans.clear_extension(&lent);
  const Time memory_done = from_sc_time(sc_core::sc_time_stamp() + memory_delay);
  const Time link_done = link_end + l.latency;
  const Time done = max(memory_done, link_done);
  delay = to_sc_time(done) - sc_core::sc_time_stamp();

  // Who held the request up (LinkStats): the link if its transfer ended last, or if the request
  // queued for it and the memory then took it within the link's transfer time.
  if (trans.get_response_status() == tlm::TLM_OK_RESPONSE) {
    const bool link_finished_last = link_done > memory_done;
    const bool memory_had_room = memory_accepted < at_memory + occupancy;
    if (link_finished_last || (start > arrival && memory_had_room)) {
      s.link_limited_requests += 1;
      s.link_limited_bytes += trans.get_data_length();
    }
  }
}

unsigned Interconnect::transport_dbg(tlm::tlm_generic_payload& trans) {
  const std::uint64_t global = trans.get_address();
  const std::size_t link = static_cast<std::size_t>(global >> kWindowBits);
  if (link >= links_.size()) return 0;
  trans.set_address(global & ((std::uint64_t(1) << kWindowBits) - 1));
  const unsigned n = (*ports_[link])->transport_dbg(trans);
  trans.set_address(global);
  return n;
}

}  // namespace hmasim
