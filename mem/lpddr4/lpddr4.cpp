#include "mem/lpddr4/lpddr4.hpp"

#include "mem/memory_registry.hpp"

namespace hmasim {

Lpddr4::Lpddr4(const sc_core::sc_module_name& name, const Lpddr4Config& config,
               EnergyLedger& ledger)
    : MemoryTarget(name, config.common, ledger, "background"),
      config_(config),
      energy_(Lpddr4Energy::from_config(config_)),
      channel_request_(config_.channels, 0),
      leave_ring_(config_.queue_depth, Cycles(0)) {
  Lpddr4LedgerActions actions;
  actions.ledger = &ledger;
  actions.component = component();
  actions.act = ledger.add_action(component(), "ACT");
  actions.pre = ledger.add_action(component(), "PRE");
  actions.rd = ledger.add_action(component(), "RD");
  actions.wr = ledger.add_action(component(), "WR");
  actions.ref = ledger.add_action(component(), "REF");
  channels_.reserve(config_.channels);
  for (unsigned c = 0; c < config_.channels; ++c) {
    channels_.emplace_back(config_, energy_, actions, c);
  }
}

Bandwidth Lpddr4::peak_bandwidth() const {
  const double bytes_per_cycle = 2.0 * config_.width_bits / 8.0;  // both clock edges
  return Bandwidth(bytes_per_cycle * static_cast<double>(clock().frequency().value()) *
                   config_.channels);
}

std::uint64_t Lpddr4::count(Lpddr4Command c) const {
  std::uint64_t n = 0;
  for (const Lpddr4Channel& ch : channels_) n += ch.count(c);
  return n;
}

Cycles Lpddr4::background_cycles(BackgroundState s) const {
  Cycles n(0);
  for (const Lpddr4Channel& ch : channels_) n += ch.background_cycles(s);
  return n;
}

std::map<std::string, std::uint64_t> Lpddr4::command_counts() const {
  std::map<std::string, std::uint64_t> m;
  for (Lpddr4Command c : {Lpddr4Command::ACT, Lpddr4Command::PRE, Lpddr4Command::PREA,
                          Lpddr4Command::RD, Lpddr4Command::WR, Lpddr4Command::REF}) {
    m[to_string(c)] = count(c);
  }
  if (config_.power_down.enabled) {
    for (Lpddr4Command c :
         {Lpddr4Command::PDE, Lpddr4Command::PDX, Lpddr4Command::SRE, Lpddr4Command::SRX}) {
      m[to_string(c)] = count(c);
    }
  }
  return m;
}

Time Lpddr4::accounted_until() const {
  Time t = kAllAccounted;
  for (const Lpddr4Channel& ch : channels_) t = min(t, ch.accounted_until());
  return t;
}

void Lpddr4::on_trace(TraceSink* sink) {
  for (unsigned c = 0; c < channels_.size(); ++c) {
    channels_[c].set_trace(sink, trace_scope() + ".ch" + std::to_string(c));
  }
}

void Lpddr4::enable_command_log(bool on) {
  for (Lpddr4Channel& ch : channels_) ch.set_log(on ? &log_ : nullptr);
}

Lpddr4::Outcome Lpddr4::serve(const Request& r) {
  // FCFS: a request that arrives "before" the previous one (initiators with separate local
  // times) is taken after it. This also makes arrivals a watermark for the channels.
  const Cycles arrival = max(r.arrival, last_arrival_);
  last_arrival_ = arrival;
  Cycles& slot = leave_ring_[requests_ % leave_ring_.size()];
  const Cycles accepted = max(arrival, slot);  // when request k - queue_depth left the queue
  const std::uint64_t id = ++requests_;

  const std::uint64_t burst = config_.burst_bytes().value();
  const std::uint64_t first = r.address & ~(burst - 1);
  const std::uint64_t last = (r.address + r.length - 1) & ~(burst - 1);
  const bool write = r.command == tlm::TLM_WRITE_COMMAND;
  const bool closed_page = config_.page_policy == PagePolicy::closed;

  Outcome out;
  out.accepted = accepted;
  out.done = accepted;
  Cycles leave = accepted;
  Location here = locate(first);
  for (std::uint64_t a = first;; a += burst) {
    const bool final_burst = a == last;
    const Location next = final_burst ? here : locate(a + burst);
    Lpddr4Channel& ch = channels_[here.channel];
    if (channel_request_[here.channel] != id) {
      channel_request_[here.channel] = id;
      ch.begin_request(accepted);
    }
    // Closed page: precharge after the request's last burst to this row (a 64 B request is two
    // bursts of one row; closing between them would only cost a second ACT).
    const bool close = closed_page && (final_burst || next.channel != here.channel ||
                                       next.bank != here.bank || next.row != here.row);
    const auto timing = ch.access({here.bank, here.row, write, close}, accepted);
    out.done = max(out.done, timing.data_end);
    leave = max(leave, timing.column);
    mutable_stats().busy_cycles += config_.burst_cycles().value();
    if (final_burst) break;
    here = next;
  }
  // In-order retirement keeps the queue a FIFO even when channels finish out of order.
  last_leave_ = max(last_leave_, leave);
  slot = last_leave_;
  return out;
}

void Lpddr4::on_finish(Time end) {
  const Cycles c = clock().cycle_at_or_after(end);
  for (Lpddr4Channel& ch : channels_) ch.settle(c);
}

void Lpddr4::on_power_off(Time at) {
  const Cycles c = clock().cycle_at_or_after(at);
  for (Lpddr4Channel& ch : channels_) ch.power_off(c);
}

void Lpddr4::on_power_on(Time at) {
  const Cycles c = clock().cycle_at_or_after(at);
  for (Lpddr4Channel& ch : channels_) ch.power_on(c);
  std::fill(leave_ring_.begin(), leave_ring_.end(), c);
  last_arrival_ = last_leave_ = c;
}

HMASIM_REGISTER_MEMORY(Lpddr4, Lpddr4Config, "lpddr4",
                       "JEDEC LPDDR4 channels: bank state machines, FCFS controller with ACT/PRE "
                       "lookahead, all-bank refresh, power-down, DRAMPower IDD energy");

}  // namespace hmasim
