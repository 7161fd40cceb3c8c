#include "mem/lpddr4/controller/channel_controller.hpp"

#include <algorithm>
#include <array>

namespace hmasim {

Lpddr4ChannelController::Lpddr4ChannelController(const Lpddr4Config& config,
                                                 const Lpddr4Energy& energy,
                                                 const Lpddr4LedgerActions& ledger, unsigned index)
    : config_(config),
      t_(config.timing),
      energy_(energy),
      ledger_(ledger),
      index_(static_cast<std::uint16_t>(index)),
      bl2_(config.burst_cycles()),
      rd_to_wr_(Lpddr4Distances::read_to_write(t_, bl2_)),
      wr_to_rd_(Lpddr4Distances::write_to_read(t_, bl2_)),
      rd_to_pre_(Lpddr4Distances::read_to_precharge(t_, bl2_)),
      wr_to_pre_(Lpddr4Distances::write_to_precharge(t_, bl2_)),
      rd_end_(Lpddr4Distances::read_data_end(t_, bl2_)),
      wr_end_(Lpddr4Distances::write_data_end(t_, bl2_)),
      buffer_(config.controller.buffer, config.banks, config.controller.buffer_depth),
      scheduler_(make_scheduler(config.controller.scheduler)),
      uses_direction_(scheduler_->uses_direction()),
      page_(make_page_policy(config.page_policy)),
      refresh_(make_refresh_policy(config)),
      power_down_(make_power_down_policy(config.power_down)),
      pd_active_(power_down_->active()),
      banks_(config.banks),
      keys_(config.banks) {}

// ---------------------------------------------------------------------------------------------
// Proposals: each bank's next command at its earliest legal cycle

Cycles Lpddr4ChannelController::act_constraints(Cycles t) const {
  t = max(t, bus_free_);
  if (any_act_like_) t = max(t, last_act_like_ + t_.RRD);
  if (act_count_ >= 4) t = max(t, acts_[act_count_ % 4] + t_.FAW);
  return t;
}

Cycles Lpddr4ChannelController::pre_constraints(Cycles t) const {
  t = max(t, bus_free_);
  if (any_pre_) t = max(t, last_pre_ + t_.PPD);
  return t;
}

void Lpddr4ChannelController::bank_proposal(unsigned b) const {
  // The bank's own part of its proposal (command, burst, earliest cycle by the bank's timing),
  // kept until the bank's queue or state changes; the channel's part is added per step.
  const Bank& bank = banks_[b];
  const auto& q = buffer_.queue(b);
  if (q.empty()) {  // nothing to propose: never chosen
    keys_[b] = LocalKey{kNever, ~std::uint64_t{0}, 0, Lpddr4Command::ACT};
    return;
  }
  const std::size_t entry = scheduler_->pick(q, BankView{bank.open, bank.row, last_write_});
  const BufferedBurst& e = q[entry];
  Lpddr4Command command;
  Cycles at;
  if (bank.open && bank.row == e.row) {
    command = e.write ? Lpddr4Command::WR : Lpddr4Command::RD;
    at = max(e.arrival, bank.col_ok);
  } else if (bank.open) {
    command = Lpddr4Command::PRE;
    at = max(e.arrival, bank.pre_ok);
  } else {
    command = Lpddr4Command::ACT;
    at = max(e.arrival, bank.act_ok);
  }
  keys_[b] = LocalKey{at, e.seq, static_cast<std::uint32_t>(entry), command};
}

Lpddr4ChannelController::ChannelMinimum Lpddr4ChannelController::channel_minimum() const {
  ChannelMinimum m;
  m.act = act_constraints(Cycles(0));
  m.pre = pre_constraints(Cycles(0));
  Cycles col = bus_free_;
  if (any_col_) col = max(col, last_col_ + max(t_.CCD, bl2_));
  m.rd = any_wr_ ? max(col, last_wr_ + wr_to_rd_) : col;
  m.wr = any_rd_ ? max(col, last_rd_ + rd_to_wr_) : col;
  return m;
}

Lpddr4ChannelController::Proposal Lpddr4ChannelController::propose_refresh() const {
  Proposal p;
  p.refresh = true;
  p.seq = 0;  // a due refresh wins ties
  const Cycles due = refresh_->due();
  if (due >= kNever) return p;
  const int rb = refresh_->bank();
  if (rb == RefreshPolicyIf::kAllBanks) {
    Cycles prea = max(due, bus_free_);
    bool any_open = false;
    for (const Bank& b : banks_) {
      if (b.open) {
        any_open = true;
        prea = max(prea, b.pre_ok);
      }
    }
    if (any_open) {
      // A pending auto-precharge closes its bank before the PREA.
      for (const AutoPrecharge& a : auto_pre_) prea = max(prea, a.at);
      p.command = Lpddr4Command::PREA;
      p.at = prea;
      return p;
    }
    Cycles ref = max(max(due, bus_free_), refreshing_until_);
    for (const Bank& b : banks_) ref = max(ref, b.act_ok);
    p.command = Lpddr4Command::REF;
    p.at = ref;
    return p;
  }
  const unsigned b = static_cast<unsigned>(rb);
  p.bank = b;
  if (banks_[b].open) {
    p.command = Lpddr4Command::PRE;
    p.at = pre_constraints(max(due, banks_[b].pre_ok));
  } else {
    p.command = Lpddr4Command::REFPB;
    Cycles t = max(max(due, bus_free_), banks_[b].act_ok);
    if (any_act_like_) t = max(t, last_act_like_ + t_.RRD);
    p.at = t;
  }
  return p;
}

const Lpddr4ChannelController::Proposal& Lpddr4ChannelController::select(Cycles horizon) {
  if (best_valid_) return best_;
  const Cycles due = refresh_->due();
  const ChannelMinimum m = channel_minimum();
  // The channel's minimum by the proposal's command (a bank proposes ACT, PRE, RD or WR).
  static_assert(
      static_cast<int>(Lpddr4Command::ACT) == 0 && static_cast<int>(Lpddr4Command::PRE) == 1 &&
          static_cast<int>(Lpddr4Command::RD) == 3 && static_cast<int>(Lpddr4Command::WR) == 4,
      "channel_min is indexed by the command");
  const std::array<std::uint64_t, 5> channel_min = {m.act.value(), m.pre.value(), m.act.value(),
                                                    m.rd.value(), m.wr.value()};
  const int refresh_bank = refresh_->bank();
  const bool all_banks = refresh_bank == RefreshPolicyIf::kAllBanks;
  const std::uint64_t due_at = due.value();
  unsigned chosen = ~0u;
  std::uint64_t chosen_at = kNever.value();
  std::uint64_t chosen_seq = ~std::uint64_t{0};
  const unsigned banks = static_cast<unsigned>(keys_.size());
  // Branch-free over banks (which bank wins is data, and mispredicts cost more than the
  // comparisons): the earliest, the oldest on ties, skipping banks a due refresh holds.
  // Stale keys first, so the scan itself makes no call and keeps its state in registers. A bank
  // with no waiting burst proposes nothing (at = kNever, never chosen).
  for (unsigned b = 0; b < banks; ++b) {
    if (keys_[b].at == kUnknown) bank_proposal(b);
  }
  const LocalKey* keys = keys_.data();
  for (unsigned b = 0; b < banks; ++b) {
    const LocalKey& k = keys[b];
    const std::uint64_t at =
        std::max(k.at.value(), channel_min[static_cast<std::size_t>(k.command)]);
    // From its due cycle on, a refresh holds the banks it takes.
    const bool held = (at >= due_at) & (all_banks | (static_cast<unsigned>(refresh_bank) == b));
    const bool take = (!held) & ((at < chosen_at) | ((at == chosen_at) & (k.seq < chosen_seq)));
    chosen = take ? b : chosen;
    chosen_at = take ? at : chosen_at;
    chosen_seq = take ? k.seq : chosen_seq;
  }
  best_ = Proposal{};
  if (chosen != ~0u) {
    const LocalKey& k = keys_[chosen];
    best_.command = k.command;
    best_.bank = chosen;
    best_.entry = k.entry;
    best_.seq = k.seq;
  }
  best_.at = Cycles(chosen_at);
  // Refreshes are issued while bursts wait, or up to a known horizon (a refresh proposal is
  // never before its due cycle).
  // With a power-down policy, refreshes of an idle channel are idle_until()'s.
  if ((!buffer_.empty() || (horizon < kNever && !pd_active_)) && due <= best_.at) {
    const Proposal r = propose_refresh();
    if (r.at <= best_.at) best_ = r;
  }
  // Nothing that select() reads changes until issue(), push() or power_on(); the auto-precharges
  // that advance() flushes after its last choice lie before bus_free_, so they no longer bound a
  // PREA. With no burst waiting, the refresh choice depends on the horizon: not kept.
  best_valid_ = !buffer_.empty();
  return best_;
}

// ---------------------------------------------------------------------------------------------
// Issue

Cycles Lpddr4ChannelController::advance(Cycles horizon, std::vector<Completion>& out,
                                        std::uint64_t max_commands) {
  Cycles next = kNever;
  std::uint64_t issued = 0;
  for (;;) {
    const Proposal& best = select(horizon);
    if (best.at >= kNever) {
      next = kNever;
      break;
    }
    if (best.at >= horizon || issued >= max_commands) {
      next = buffer_.empty() ? kNever : best.at;
      break;
    }
    const Proposal chosen = best;  // issue() invalidates best_
    issue(chosen, out);
    ++issued;
  }
  // The idle span up to a known horizon (kNever: none known, settle() ends the run).
  if (pd_active_ && buffer_.empty() && powered_ && horizon < kNever) {
    idle_until(horizon, /*wake=*/false);
  }
  // Every later command issues at or after bus_free_: auto-precharges before it are final.
  const Cycles safe = min(horizon, bus_free_);
  if (safe.value() > 0) flush_auto_precharges(safe - Cycles(1));
  integrate(max(bg_time_, min(now_, horizon)));
  charge_background();
  return next;
}

void Lpddr4ChannelController::emit(Lpddr4Command c, Cycles at, std::uint16_t bank,
                                   std::uint32_t row, bool automatic) {
  ++counts_[static_cast<std::size_t>(c)];
  if (log_ || checker_) {
    const Lpddr4CommandRecord r{at, c, index_, bank, row, automatic};
    if (log_) log_->push_back(r);
    if (checker_) checker_->check(r);
  }
}

void Lpddr4ChannelController::flush_pending_precharges(Cycles upto) {
  std::sort(auto_pre_.begin(), auto_pre_.end(), [](const AutoPrecharge& a, const AutoPrecharge& b) {
    return a.at < b.at || (a.at == b.at && a.bank < b.bank);
  });
  std::size_t n = 0;
  for (; n < auto_pre_.size() && auto_pre_[n].at <= upto; ++n) {
    const AutoPrecharge& a = auto_pre_[n];
    integrate(a.at);
    --open_banks_;
    emit(Lpddr4Command::PRE, a.at, static_cast<std::uint16_t>(a.bank), 0, /*automatic=*/true);
  }
  auto_pre_.erase(auto_pre_.begin(), auto_pre_.begin() + static_cast<std::ptrdiff_t>(n));
}

void Lpddr4ChannelController::issue(const Proposal& p, std::vector<Completion>& out) {
  best_valid_ = false;
  const Cycles t = p.at;
  flush_auto_precharges(t);
  integrate(t);
  now_ = max(now_, t);
  const auto b16 = static_cast<std::uint16_t>(p.bank);
  const Time at = t_.tCK * t.value();
  // The bank's own proposal changes with its row, timing and queue.
  if (p.command != Lpddr4Command::REF && p.command != Lpddr4Command::PREA) {
    keys_[p.bank].at = kUnknown;
  } else {
    for (LocalKey& k : keys_) k.at = kUnknown;
  }
  if (uses_direction_ && (p.command == Lpddr4Command::RD || p.command == Lpddr4Command::WR)) {
    for (LocalKey& k : keys_) k.at = kUnknown;
  }
  switch (p.command) {
    case Lpddr4Command::ACT: {
      Bank& b = banks_[p.bank];
      const std::uint32_t row = buffer_.queue(p.bank)[p.entry].row;
      emit(Lpddr4Command::ACT, t, b16, row);
      ledger_.ledger->charge(ledger_.act, energy_.act.total(), 1, at, at);
      b.open = true;
      b.row = row;
      b.act_ok = max(b.act_ok, t + t_.RCpb);
      b.col_ok = t + t_.RCD;
      b.pre_ok = t + t_.RAS;
      ++open_banks_;
      acts_[act_count_ % 4] = t;
      ++act_count_;
      last_act_like_ = t;
      any_act_like_ = true;
      bus_free_ = t + Lpddr4Channel::kActSlots;
      break;
    }
    case Lpddr4Command::PRE: {
      Bank& b = banks_[p.bank];
      emit(Lpddr4Command::PRE, t, b16);
      ledger_.ledger->charge(ledger_.pre, energy_.pre.total(), 1, at, at);
      b.open = false;
      --open_banks_;
      b.act_ok = max(b.act_ok, t + t_.RPpb);
      last_pre_ = t;
      any_pre_ = true;
      bus_free_ = t + Lpddr4Channel::kPreSlots;
      break;
    }
    case Lpddr4Command::PREA: {
      emit(Lpddr4Command::PREA, t, Lpddr4CommandRecord::kAllBanks);
      for (Bank& b : banks_) {
        if (b.open) {
          ledger_.ledger->charge(ledger_.pre, energy_.pre.total(), 1, at, at);
          b.open = false;
          --open_banks_;
        }
        b.act_ok = max(b.act_ok, t + t_.RPab);
      }
      bus_free_ = t + Lpddr4Channel::kPreSlots;
      break;
    }
    case Lpddr4Command::REF: {
      emit(Lpddr4Command::REF, t, Lpddr4CommandRecord::kAllBanks);
      const Cycles end = t + t_.RFCab;
      ledger_.ledger->charge(ledger_.ref, energy_.ref.total(), 1, at, t_.tCK * end.value());
      for (Bank& b : banks_) b.act_ok = max(b.act_ok, end);
      refreshing_until_ = max(refreshing_until_, end);
      refresh_->issued();
      bus_free_ = t + Lpddr4Channel::kRefSlots;
      break;
    }
    case Lpddr4Command::REFPB: {
      emit(Lpddr4Command::REFPB, t, b16);
      const Cycles end = t + t_.RFCpb;
      ledger_.ledger->charge(ledger_.refpb, energy_.refpb.total(), 1, at, t_.tCK * end.value());
      banks_[p.bank].act_ok = max(banks_[p.bank].act_ok, end);
      refreshing_until_ = max(refreshing_until_, end);
      last_act_like_ = t;
      any_act_like_ = true;
      refresh_->issued();
      bus_free_ = t + Lpddr4Channel::kRefSlots;
      break;
    }
    case Lpddr4Command::RD:
    case Lpddr4Command::WR: {
      Bank& b = banks_[p.bank];
      const BufferedBurst e = buffer_.queue(p.bank)[p.entry];
      buffer_.erase(p.bank, p.entry);
      const bool write = p.command == Lpddr4Command::WR;
      emit(p.command, t, b16);
      if (write) {
        ledger_.ledger->charge(ledger_.wr, energy_.wr.total(), 1, at, at);
        last_wr_ = t;
        any_wr_ = true;
        b.pre_ok = max(b.pre_ok, t + wr_to_pre_);
      } else {
        ledger_.ledger->charge(ledger_.rd, energy_.rd.total(), 1, at, at);
        last_rd_ = t;
        any_rd_ = true;
        b.pre_ok = max(b.pre_ok, t + rd_to_pre_);
      }
      last_col_ = t;
      any_col_ = true;
      last_write_ = write;
      bus_free_ = t + Lpddr4Channel::kColumnSlots;
      out.push_back({e.request, t, t + (write ? wr_end_ : rd_end_)});
      request_idle_from_ = max(request_idle_from_, t + (write ? wr_end_ : rd_end_));
      if (page_->close_after(e, buffer_.queue(p.bank))) {
        // RDA/WRA: the bank precharges as soon as it may, without a command-bus slot.
        const Cycles pre = b.pre_ok;
        ledger_.ledger->charge(ledger_.pre, energy_.pre.total(), 1, t_.tCK * pre.value(),
                               t_.tCK * pre.value());
        b.open = false;
        b.act_ok = max(b.act_ok, pre + t_.RPpb);
        auto_pre_.push_back({pre, p.bank});
      }
      break;
    }
    default:
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// Background, end of run, power gating

void Lpddr4ChannelController::integrate(Cycles to) {
  while (bg_time_ < to) {
    Cycles seg = to;
    const bool refreshing = bg_time_ < refreshing_until_;
    if (refreshing && refreshing_until_ < to) seg = refreshing_until_;
    BackgroundState s = open_banks_ > 0 || refreshing ? BackgroundState::active_standby
                                                      : BackgroundState::precharge_standby;
    if (power_state_ == PowerState::power_down) {
      s = open_banks_ > 0 ? BackgroundState::active_power_down
                          : BackgroundState::precharge_power_down;
    } else if (power_state_ == PowerState::self_refresh) {
      s = BackgroundState::self_refresh;
    }
    bg_cycles_[idx(s)] += (seg - bg_time_).value();
    bg_time_ = seg;
  }
}

void Lpddr4ChannelController::charge_background() {
  Energy e(0.0);
  for (std::size_t s = 0; s < kBackgroundStateCount; ++s) {
    const std::uint64_t d = bg_cycles_[s] - charged_cycles_[s];
    if (d == 0) continue;
    e += energy_.background_energy(static_cast<BackgroundState>(s), d).total();
    charged_cycles_[s] = bg_cycles_[s];
  }
  if (e.value() != 0.0) {
    ledger_.ledger->add_static_energy(ledger_.component, e, t_.tCK * charged_to_.value(),
                                      t_.tCK * bg_time_.value());
  }
  charged_to_ = max(charged_to_, bg_time_);
}

void Lpddr4ChannelController::settle(Cycles end) {
  if (!powered_) return;
  std::vector<Completion> none;
  if (pd_active_ && buffer_.empty()) idle_until(end, /*wake=*/false);
  // Refreshes due before the end, while nothing waits (with power-down: idle_until's).
  for (; !pd_active_;) {
    const Proposal r = propose_refresh();
    if (r.at >= end) break;
    issue(r, none);
  }
  flush_auto_precharges(end);
  integrate(max(end, bg_time_));
  charge_background();
}

void Lpddr4ChannelController::power_off(Cycles at) {
  settle(at);
  powered_ = false;
}

void Lpddr4ChannelController::power_on(Cycles at) {
  best_valid_ = false;
  for (Bank& b : banks_) b = Bank{false, 0, at, at, at};
  for (LocalKey& k : keys_) k.at = kUnknown;
  open_banks_ = 0;
  auto_pre_.clear();
  bus_free_ = now_ = bg_time_ = charged_to_ = at;
  act_count_ = 0;
  any_act_like_ = any_pre_ = any_col_ = any_rd_ = any_wr_ = false;
  refreshing_until_ = request_idle_from_ = at;
  power_state_ = PowerState::awake;
  refresh_->restart(at);
  powered_ = true;
}

}  // namespace hmasim
