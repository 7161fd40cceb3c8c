#include "hw/interconnect.hpp"

#include <cmath>

#include "core/sc_time_conversion.hpp"

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
  const double transfer_ps =
      std::ceil(static_cast<double>(trans.get_data_length()) / l.bandwidth.value() * 1e12);
  const Time occupancy(static_cast<std::uint64_t>(transfer_ps));
  link_free_[link] = start + occupancy;
  stats_[link].requests += 1;
  stats_[link].bytes += trans.get_data_length();
  stats_[link].busy += occupancy;

  // The request reaches the memory after the link latency, with the global window removed.
  trans.set_address(global & ((std::uint64_t(1) << kWindowBits) - 1));
  sc_core::sc_time at_memory = to_sc_time(start + l.latency) - sc_core::sc_time_stamp();
  (*ports_[link])->b_transport(trans, at_memory);
  trans.set_address(global);
  const Time memory_done = from_sc_time(sc_core::sc_time_stamp() + at_memory);
  const Time done = max(memory_done, start + occupancy + l.latency);
  delay = to_sc_time(done) - sc_core::sc_time_stamp();
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
