// The buffered controller's front end of the lpddr4 model: TLM-2.0 AT nb_transport (4 phases),
// admission into the request buffers, completions and responses, and the blocking b_transport.
//
// Arrivals are the horizon: when a request arrives at cycle t, every command before t is issued
// first (no request that could change them can still come: initiators send in time order), then
// the request enters the buffers. If its banks have no room, the controller runs on until they
// have (the initiator waits for END_REQ meanwhile) and the request is accepted then. A request is
// done when its last burst's data has crossed the bus; BEGIN_RESP goes back at that time, in
// arrival order (responses: in_order) or as requests finish (out_of_order), one at a time (the
// base protocol's response exclusion). Between arrivals an SC_METHOD issues what falls due as
// SystemC time passes, so responses also come when no new request arrives.
#include <algorithm>

#include "core/sc_time_conversion.hpp"
#include "core/timing_extension.hpp"
#include "mem/lpddr4/lpddr4.hpp"

namespace hmasim {

tlm::tlm_response_status Lpddr4::check_nb(const tlm::tlm_generic_payload& trans) const {
  // The same checks, in the same order, as MemoryTarget applies to b_transport.
  return check(trans);
}

void Lpddr4::collect(std::uint32_t channel) {
  (void)channel;
  for (const auto& c : completions_) {
    InFlight& f = slots_[c.request];
    f.done = max(f.done, c.data_end);
    if (--f.bursts_left == 0) finish_request(c.request);
  }
  completions_.clear();
}

void Lpddr4::finish_request(std::uint32_t slot) {
  InFlight& f = slots_[slot];
  f.finished = true;
  if (f.trans == nullptr) return;  // blocking: MemoryTarget::b_transport keeps its statistics
  MemoryStats& s = mutable_stats();
  const std::uint64_t latency = f.done.value() - f.accepted.value();
  s.latency_cycles += latency;
  s.max_latency_cycles = std::max(s.max_latency_cycles, latency);
  s.last_done = max(s.last_done, f.done);
  if (!config_.controller.responses_in_order) done_out_of_order_.push_back(slot);
}

void Lpddr4::advance_all(Cycles horizon) {
  for (std::uint32_t c = 0; c < controllers_.size(); ++c) {
    next_command_[c] = controllers_[c]->advance(horizon, completions_);
    collect(c);
  }
}

std::uint32_t Lpddr4::admit(tlm::tlm_generic_payload* trans, tlm::tlm_command command,
                            std::uint64_t address, std::uint32_t length, Cycles arrival) {
  const std::uint64_t burst = config_.burst_bytes().value();
  const std::uint64_t first = address & ~(burst - 1);
  const std::uint64_t last = (address + length - 1) & ~(burst - 1);
  const bool write = command == tlm::TLM_WRITE_COMMAND;
  // The request's bursts as runs of consecutive bursts to one channel, bank and row (a new run
  // where an address bit that chooses them changes: mapped only then), the bursts per (channel,
  // bank) for the admission rule, and the (channel, bank) pairs touched.
  touched_.clear();
  runs_.clear();
  for (std::uint64_t a = first;; a += burst) {
    if (runs_.empty() || ((a ^ (a - burst)) & placement_bits_) != 0) {
      runs_.push_back({locate(a), 0});
    }
    ++runs_.back().bursts;
    if (a == last) break;
  }
  for (const Run& r : runs_) {
    const std::uint32_t cb = r.where.channel * config_.banks + r.where.bank;
    if (channel_bursts_[cb] == 0) touched_.push_back({r.where.channel, r.where.bank, cb});
    channel_bursts_[cb] += r.bursts;
  }
  const auto has_room = [&] {
    for (const Touched& t : touched_) {
      if (!controllers_[t.channel]->has_room(t.bank, channel_bursts_[t.index])) return false;
    }
    return true;
  };
  // No room: the controller runs on, one command at a time on the earliest channel, until the
  // banks have room. A burst leaves the buffer when its column command issues.
  Cycles accepted = arrival;
  while (!has_room()) {
    std::uint32_t ch = 0;
    for (std::uint32_t c = 1; c < controllers_.size(); ++c) {
      if (next_command_[c] < next_command_[ch]) ch = c;
    }
    if (next_command_[ch] >= Lpddr4ChannelController::kNever) break;  // cannot happen: full
    accepted = max(accepted, next_command_[ch] + Cycles(1));
    next_command_[ch] = controllers_[ch]->advance(Lpddr4ChannelController::kNever, completions_, 1);
    collect(ch);
  }
  for (const Touched& t : touched_) channel_bursts_[t.index] = 0;  // all zero between requests
  // Catch the other channels up to the acceptance (commands before it are final).
  if (accepted > arrival) advance_all(accepted);

  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  InFlight& f = slots_[slot];
  f = InFlight{};
  f.trans = trans;
  f.arrival = arrival;
  f.accepted = accepted;
  f.done = accepted;
  f.seq = ++sequence_;
  BufferedBurst b;
  b.seq = f.seq;
  b.request = slot;
  b.write = write;
  b.arrival = accepted;
  std::uint32_t bursts = 0;
  for (const Run& r : runs_) {
    b.row = r.where.row;
    controllers_[r.where.channel]->push(r.where.bank, b, r.bursts);
    next_command_[r.where.channel] = min(next_command_[r.where.channel], accepted);
    bursts += r.bursts;
  }
  mutable_stats().busy_cycles += config_.burst_cycles().value() * bursts;
  f.bursts_left = bursts;
  if (trans) response_queue_.push_back(slot);
  return slot;
}

void Lpddr4::deliver_responses() {
  // Usually none is ready: that is found out first.
  const auto none_ready = [&] {
    if (response_busy_) return true;
    if (config_.controller.responses_in_order) {
      return response_queue_.empty() || !slots_[response_queue_.front()].finished;
    }
    return done_out_of_order_.empty();
  };
  if (none_ready()) return;
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  const Time now_t = from_sc_time(now);
  for (;;) {
    if (none_ready()) return;
    std::uint32_t slot;
    if (config_.controller.responses_in_order) {
      slot = response_queue_.front();
      response_queue_.pop_front();
    } else {
      // Earliest done first (ties: arrival order).
      auto it = std::min_element(
          done_out_of_order_.begin(), done_out_of_order_.end(),
          [&](std::uint32_t a, std::uint32_t b) {
            return slots_[a].done < slots_[b].done ||
                   (slots_[a].done == slots_[b].done && slots_[a].seq < slots_[b].seq);
          });
      slot = *it;
      done_out_of_order_.erase(it);
      response_queue_.erase(std::find(response_queue_.begin(), response_queue_.end(), slot));
    }
    InFlight& f = slots_[slot];
    Cycles at = f.done;
    if (config_.controller.responses_in_order) {
      at = max(at, response_floor_);
      response_floor_ = at;
    }
    const Time t = max(clock().time_of(at), now_t);
    tlm::tlm_generic_payload& trans = *f.trans;
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    if (auto* ext = trans.get_extension<TimingExtension>()) {
      ext->accepted = clock().time_of(f.accepted);
      ext->completed = t;
    }
    free_slots_.push_back(slot);
    f.trans = nullptr;
    tlm::tlm_phase phase = tlm::BEGIN_RESP;
    sc_core::sc_time delay = to_sc_time(t) - now;
    const tlm::tlm_sync_enum r = socket->nb_transport_bw(trans, phase, delay);
    // TLM_ACCEPTED: the initiator sends END_RESP later; until then no other response.
    if (r == tlm::TLM_ACCEPTED || (r == tlm::TLM_UPDATED && phase != tlm::END_RESP)) {
      response_busy_ = true;
    }
  }
}

void Lpddr4::schedule_wake() {
  Cycles next = Lpddr4ChannelController::kNever;
  for (const Cycles c : next_command_) next = min(next, c);
  if (next >= Lpddr4ChannelController::kNever) return;
  const Time t = clock().time_of(next);
  const Time now = from_sc_time(sc_core::sc_time_stamp());
  wake_.notify(t > now ? to_sc_time(t - now) : sc_core::SC_ZERO_TIME);
}

void Lpddr4::progress() {
  // Commands up to the current cycle are decided now; a request arriving later in this cycle is
  // seen from the next one (as by a controller deciding at the clock edge).
  const Cycles now = clock().cycle_at_or_after(from_sc_time(sc_core::sc_time_stamp()));
  advance_all(now + Cycles(1));
  deliver_responses();
  schedule_wake();
}

tlm::tlm_sync_enum Lpddr4::nb_transport_fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase,
                                           sc_core::sc_time& delay) {
  if (phase == tlm::END_RESP) {
    response_busy_ = false;
    deliver_responses();
    return tlm::TLM_COMPLETED;
  }
  if (phase != tlm::BEGIN_REQ) return tlm::TLM_ACCEPTED;  // END_REQ / BEGIN_RESP: not ours
  const tlm::tlm_response_status status = check_nb(trans);
  if (status != tlm::TLM_OK_RESPONSE) {
    // Early completion: the error is the response.
    ++mutable_stats().errors;
    trans.set_response_status(status);
    phase = tlm::BEGIN_RESP;
    return tlm::TLM_COMPLETED;
  }
  const Time at = from_sc_time(sc_core::sc_time_stamp() + delay);
  // Initiators send in time order; a request "before" the previous one is taken after it.
  const Cycles arrival = max(clock().cycle_at_or_after(at), last_arrival_);
  last_arrival_ = arrival;
  advance_all(arrival);
  const std::uint32_t slot = admit(&trans, trans.get_command(), trans.get_address(),
                                   static_cast<std::uint32_t>(trans.get_data_length()), arrival);
  const Cycles accepted = slots_[slot].accepted;
  last_arrival_ = max(last_arrival_, accepted);
  // Data moves at acceptance; the timing is the controller's.
  unsigned char* data = trans.get_data_ptr();
  const auto len = static_cast<std::uint32_t>(trans.get_data_length());
  MemoryStats& s = mutable_stats();
  if (trans.get_command() == tlm::TLM_READ_COMMAND) {
    storage().read(trans.get_address(), data, len);
    on_read_data(trans.get_address(), data, len);
    ++s.reads;
    s.bytes_read += len;
  } else {
    storage().write(trans.get_address(), data, len);
    ++s.writes;
    s.bytes_written += len;
  }
  deliver_responses();
  schedule_wake();
  phase = tlm::END_REQ;
  const Time acc = clock().time_of(accepted);
  const Time now = from_sc_time(sc_core::sc_time_stamp());
  delay = acc > now ? to_sc_time(acc - now) : sc_core::SC_ZERO_TIME;
  return tlm::TLM_UPDATED;
}

Lpddr4::Outcome Lpddr4::serve_buffered(const Request& r) {
  // Blocking: everything before the arrival is issued, then the controller runs until this
  // request is done; a later request cannot overtake it.
  const Cycles arrival = max(r.arrival, last_arrival_);
  last_arrival_ = arrival;
  advance_all(arrival);
  const std::uint32_t slot = admit(nullptr, r.command, r.address, r.length, arrival);
  while (!slots_[slot].finished) {
    std::uint32_t ch = 0;
    for (std::uint32_t c = 1; c < controllers_.size(); ++c) {
      if (next_command_[c] < next_command_[ch]) ch = c;
    }
    next_command_[ch] = controllers_[ch]->advance(Lpddr4ChannelController::kNever, completions_, 1);
    collect(ch);
  }
  Outcome out;
  out.accepted = slots_[slot].accepted;
  out.done = slots_[slot].done;
  last_arrival_ = max(last_arrival_, out.done);
  free_slots_.push_back(slot);
  deliver_responses();
  return out;
}

}  // namespace hmasim
