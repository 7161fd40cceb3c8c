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
      keys_(config.banks) {
  stale_.reserve(config.banks);
}

// ---------------------------------------------------------------------------------------------
// Proposals: each bank's next command at its earliest legal cycle

Cycles Lpddr4ChannelController::act_constraints(Cycles t) const {
  return max(t, max(bus_free_, own_.act));
}

Cycles Lpddr4ChannelController::pre_constraints(Cycles t) const {
  return max(t, max(bus_free_, own_.pre));
}

inline void Lpddr4ChannelController::bank_proposal(unsigned b) const {
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
    p.at = max(max(max(due, bus_free_), banks_[b].act_ok), rrd_ok_);
  }
  return p;
}

namespace {

// Of the banks in `busy` (in bank order), the one whose key is earliest, at no earlier than its
// command's channel minimum (the oldest request, then the lowest bank, on ties); with kHolds,
// skipping the banks a refresh due at `due` holds (every bank, or `refresh_bank`). Branch-free:
// which bank wins is data, and mispredicts cost more than the comparisons.
struct Earliest {
  unsigned bank = ~0u;
  std::uint64_t at;
  std::uint64_t seq = ~std::uint64_t{0};
};
template <bool kHolds, class Key>
Earliest earliest_key(const Key* keys, const std::vector<unsigned>& busy,
                      const std::array<std::uint64_t, 5>& cmin, std::uint64_t never,
                      std::uint64_t due, int refresh_bank) {
  const bool all_banks = refresh_bank == RefreshPolicyIf::kAllBanks;
  Earliest e;
  e.at = never;
  for (const unsigned b : busy) {
    const Key& k = keys[b];
    const std::uint64_t at = std::max(k.at.value(), cmin[static_cast<std::size_t>(k.command)]);
    bool take = (at < e.at) | ((at == e.at) & (k.seq < e.seq));
    if (kHolds) {
      // From its due cycle on, a refresh holds the banks it takes.
      take &= !((at >= due) & (all_banks | (static_cast<unsigned>(refresh_bank) == b)));
    }
    // Selected by mask: `take ? :` here compiles to branches, which mispredict.
    const std::uint64_t m = 0 - static_cast<std::uint64_t>(take);
    e.bank = static_cast<unsigned>((b & m) | (e.bank & ~m));
    e.at = (at & m) | (e.at & ~m);
    e.seq = (k.seq & m) | (e.seq & ~m);
  }
  return e;
}

}  // namespace

inline void Lpddr4ChannelController::earliest_bank(Cycles due) {
  // Only the keys that changed are computed again, before the scan, so the scan makes no call.
  for (const unsigned b : stale_) bank_proposal(b);
  stale_.clear();
  const ChannelMinimum m = channel_minimum();
  // The channel's minimum by the proposal's command (a bank proposes ACT, PRE, RD or WR).
  static_assert(
      static_cast<int>(Lpddr4Command::ACT) == 0 && static_cast<int>(Lpddr4Command::PRE) == 1 &&
          static_cast<int>(Lpddr4Command::RD) == 3 && static_cast<int>(Lpddr4Command::WR) == 4,
      "cmin is indexed by the command");
  const std::array<std::uint64_t, 5> cmin = {m.act.value(), m.pre.value(), m.act.value(),
                                             m.rd.value(), m.wr.value()};
  // The earliest bank with waiting bursts; a refresh that is due by then may hold it (and
  // others): only then scan again without the held banks (refreshes are rare, so this is too).
  const std::vector<unsigned>& busy = buffer_.busy_banks();
  Earliest e;
  if (busy.size() == 1) {  // often, behind a streaming initiator: no comparison to make
    const LocalKey& k = keys_[busy[0]];
    e.bank = busy[0];
    e.at = std::max(k.at.value(), cmin[static_cast<std::size_t>(k.command)]);
    e.seq = k.seq;
  } else {
    e = earliest_key<false>(keys_.data(), busy, cmin, kNever.value(), due.value(), 0);
  }
  if (e.at >= due.value()) {
    e = earliest_key<true>(keys_.data(), busy, cmin, kNever.value(), due.value(), refresh_->bank());
  }
  Proposal& p = best_;
  p = Proposal{};
  if (e.bank != ~0u) {
    const LocalKey& k = keys_[e.bank];
    p.command = k.command;
    p.bank = e.bank;
    p.entry = k.entry;
    p.seq = k.seq;
  }
  p.at = Cycles(e.at);
}

const Lpddr4ChannelController::Proposal& Lpddr4ChannelController::select(Cycles horizon) {
  if (best_valid_) return best_;
  const Cycles due = refresh_->due();
  if (buffer_.empty()) {
    best_ = Proposal{};  // no burst waits: no bank proposes anything
  } else {
    earliest_bank(due);
  }
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
  // The usual call on a channel whose next command lies beyond the horizon: nothing to issue,
  // flush, integrate or charge (what the rest of this function would find out, at more cost).
  if (best_valid_ && best_.at >= horizon && auto_pre_.empty() && uncharged_ == 0 &&
      min(now_, horizon) <= bg_time_ && bg_time_ <= charged_to_) {
    return best_.at >= kNever ? kNever : best_.at;
  }
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
    issue(best, out);  // issue() reads best_ (and only clears best_valid_)
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

void Lpddr4ChannelController::record(const Lpddr4CommandRecord& r) {
  if (log_) log_->push_back(r);
  if (checker_) checker_->check(r);
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
    invalidate(p.bank);
  } else {
    invalidate_all();
  }
  if (uses_direction_ && (p.command == Lpddr4Command::RD || p.command == Lpddr4Command::WR)) {
    invalidate_all();
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
      rrd_ok_ = t + t_.RRD;
      if (act_count_ >= 4) faw_ok_ = acts_[act_count_ % 4] + t_.FAW;
      own_.act = max(rrd_ok_, faw_ok_);
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
      own_.pre = t + t_.PPD;
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
      rrd_ok_ = t + t_.RRD;
      own_.act = max(rrd_ok_, faw_ok_);
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
        rd_after_wr_ = t + wr_to_rd_;
        b.pre_ok = max(b.pre_ok, t + wr_to_pre_);
      } else {
        ledger_.ledger->charge(ledger_.rd, energy_.rd.total(), 1, at, at);
        wr_after_rd_ = t + rd_to_wr_;
        b.pre_ok = max(b.pre_ok, t + rd_to_pre_);
      }
      col_ok_ = t + max(t_.CCD, bl2_);
      own_.rd = max(col_ok_, rd_after_wr_);
      own_.wr = max(col_ok_, wr_after_rd_);
      last_write_ = write;
      bus_free_ = t + Lpddr4Channel::kColumnSlots;
      out.emplace_back(e.request, t, t + (write ? wr_end_ : rd_end_));
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
    uncharged_ |= 1u << idx(s);
    bg_time_ = seg;
  }
}

void Lpddr4ChannelController::charge_uncharged() {
  // The states in ascending order, as their energies are summed (the ledger's sum depends on it).
  Energy e(0.0);
  for (std::size_t s = 0; s < kBackgroundStateCount; ++s) {
    if ((uncharged_ & (1u << s)) == 0) continue;
    const std::uint64_t d = bg_cycles_[s] - charged_cycles_[s];
    e += energy_.background_energy(static_cast<BackgroundState>(s), d).total();
    charged_cycles_[s] = bg_cycles_[s];
  }
  uncharged_ = 0;
  if (e.value() != 0.0) {
    ledger_.ledger->add_static_energy(ledger_.component, e, t_.tCK * charged_to_.value(),
                                      t_.tCK * bg_time_.value());
  }
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
  invalidate_all();
  open_banks_ = 0;
  auto_pre_.clear();
  bus_free_ = now_ = bg_time_ = charged_to_ = at;
  act_count_ = 0;
  any_pre_ = false;
  rrd_ok_ = faw_ok_ = col_ok_ = rd_after_wr_ = wr_after_rd_ = Cycles(0);
  own_ = ChannelMinimum{};
  refreshing_until_ = request_idle_from_ = at;
  power_state_ = PowerState::awake;
  refresh_->restart(at);
  powered_ = true;
}

}  // namespace hmasim
