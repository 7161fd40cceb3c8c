#include "mem/lpddr4/lpddr4_channel.hpp"

#include <algorithm>
#include <limits>

namespace hmasim {

namespace {
// a - b, or 0 if b > a (an earliest cycle that lies before time zero).
Cycles minus_or_zero(Cycles a, Cycles b) {
  return a > b ? a - b : Cycles(0);
}
}  // namespace

Lpddr4Channel::Lpddr4Channel(const Lpddr4Config& config, const Lpddr4Energy& energy,
                             const Lpddr4LedgerActions& ledger, unsigned index)
    : config_(config),
      t_(config.timing),
      energy_(energy),
      ledger_(ledger),
      index_(static_cast<std::uint16_t>(index)),
      burst_cycles_(config.burst_cycles()),
      rd_to_wr_(Lpddr4Distances::read_to_write(t_, burst_cycles_)),
      wr_to_rd_(Lpddr4Distances::write_to_read(t_, burst_cycles_)),
      rd_to_pre_(Lpddr4Distances::read_to_precharge(t_, burst_cycles_)),
      wr_to_pre_(Lpddr4Distances::write_to_precharge(t_, burst_cycles_)),
      banks_(config.banks) {
  next_due_ = refresh_enabled() ? t_.REFI : kNever;
}

Cycles Lpddr4Channel::first_due_at_or_after(Cycles t) const {
  if (!refresh_enabled()) return kNever;
  const std::uint64_t k = (t.value() + t_.REFI.value() - 1) / t_.REFI.value();
  return t_.REFI * std::max<std::uint64_t>(k, 1);
}

// ---------------------------------------------------------------------------------------------
// Requests

void Lpddr4Channel::begin_request(Cycles start) {
  // No later command precedes the request's start or the next refresh due time, and an idle
  // period (power-down) is accounted from the end of the busy one: events and bus slots before
  // the earliest of these are final.
  const Cycles watermark = min(min(start, next_due_), idle_from_);
  watermark_ = max(watermark_, watermark);
  meter_.flush(watermark);
  bus_.forget_before(watermark);
  pre_bus_.forget_before(watermark);
  catch_up(start, /*wake=*/true);
  charge_background();
}

Cycles Lpddr4Channel::find_pre(Cycles earliest) const {
  // A free command-bus slot at least tPPD away from every other explicit PRE.
  Cycles c = earliest;
  for (;;) {
    c = bus_.find(c, kPreSlots);
    if (t_.PPD.value() == 0) return c;
    const Cycles d = pre_bus_.find(c, t_.PPD);
    if (d == c) return c;
    c = d;
  }
}

Lpddr4Channel::Plan Lpddr4Channel::plan(const Bank& b, std::uint32_t row, bool write,
                                        Cycles t) const {
  Plan p;
  Cycles col_min = t;
  if (b.open && b.row == row) {
    col_min = max(col_min, b.col_ok);  // row hit
  } else {
    Cycles act_min = max(t, b.act_ok);
    if (b.open) {  // row miss: close the open row first
      p.pre = true;
      p.pre_at = find_pre(max(t, b.pre_ok));
      act_min = max(act_min, p.pre_at + t_.RPpb);
    }
    if (act_count_ > 0) act_min = max(act_min, act_window_[(act_count_ - 1) % 4] + t_.RRD);
    // The ACT four back (the slot about to be overwritten) opens the tFAW window.
    if (act_count_ >= 4) act_min = max(act_min, act_window_[act_count_ % 4] + t_.FAW);
    p.act = true;
    p.act_at = bus_.find(act_min, kActSlots);
    col_min = max(col_min, p.act_at + t_.RCD);
  }
  if (any_col_) col_min = max(col_min, last_col_ + t_.CCD);
  // JEDEC turnarounds between reads and writes (any bank), then the data bus in order.
  if (write) {
    if (any_rd_) col_min = max(col_min, last_rd_ + rd_to_wr_);
    col_min = max(col_min, minus_or_zero(data_free_, t_.WL + t_.DQSS));
  } else {
    if (any_wr_) col_min = max(col_min, last_wr_ + wr_to_rd_);
    col_min = max(col_min, minus_or_zero(data_free_, t_.RL + t_.DQSCK));
  }
  p.col_at = bus_.find(col_min, kColumnSlots);
  return p;
}

Lpddr4Channel::BurstTiming Lpddr4Channel::access(const Burst& burst, Cycles start) {
  const Cycles t = max(start, ready_);
  const std::uint32_t row = burst.row;
  const bool write = burst.write;
  Bank& b = banks_[burst.bank];
  Plan p = plan(b, row, write, t);
  // Lazy refresh: a column command may not reach the next due time before that refresh is done.
  while (p.col_at >= next_due_) {
    refresh_in_flight();
    p = plan(b, row, write, t);
  }
  const auto bank16 = static_cast<std::uint16_t>(burst.bank);
  if (p.pre) {
    bus_.reserve(p.pre_at, kPreSlots);
    if (t_.PPD.value() > 0) pre_bus_.reserve(p.pre_at, t_.PPD);
    record(Lpddr4Command::PRE, p.pre_at, bank16);
    ledger_.ledger->charge(ledger_.pre, energy_.pre.total());
    meter_.bank_closed(p.pre_at);
    b.open = false;
    --open_banks_;
    b.act_ok = max(b.act_ok, p.pre_at + t_.RPpb);
  }
  if (p.act) {
    bus_.reserve(p.act_at, kActSlots);
    record(Lpddr4Command::ACT, p.act_at, bank16, row);
    ledger_.ledger->charge(ledger_.act, energy_.act.total());
    meter_.bank_opened(p.act_at);
    act_window_[act_count_ % 4] = p.act_at;
    ++act_count_;
    b.open = true;
    b.row = row;
    ++open_banks_;
    b.act_ok = max(b.act_ok, p.act_at + t_.RCpb);
    b.col_ok = p.act_at + t_.RCD;
    b.pre_ok = p.act_at + t_.RAS;
  }
  const Cycles col = p.col_at;
  bus_.reserve(col, kColumnSlots);
  last_col_ = col;
  any_col_ = true;
  BurstTiming out;
  out.column = col;
  if (write) {
    record(Lpddr4Command::WR, col, bank16);
    ledger_.ledger->charge(ledger_.wr, energy_.wr.total());
    out.data_end = col + Lpddr4Distances::write_data_end(t_, burst_cycles_);
    last_wr_ = col;
    any_wr_ = true;
    b.pre_ok = max(b.pre_ok, col + wr_to_pre_);
  } else {
    record(Lpddr4Command::RD, col, bank16);
    ledger_.ledger->charge(ledger_.rd, energy_.rd.total());
    out.data_end = col + Lpddr4Distances::read_data_end(t_, burst_cycles_);
    last_rd_ = col;
    any_rd_ = true;
    b.pre_ok = max(b.pre_ok, col + rd_to_pre_);
  }
  data_free_ = out.data_end;
  busy_cycles_ += burst_cycles_.value();
  Cycles bank_quiet = b.pre_ok;
  if (burst.close_after) {
    // Auto-precharge (RDA/WRA): no command-bus slot; the bank closes as soon as it may.
    const Cycles pre = b.pre_ok;
    ++counts_[static_cast<std::size_t>(Lpddr4Command::PRE)];
    if (log_ || check_log_ || trace_) note(Lpddr4Command::PRE, pre, bank16, 0, /*automatic=*/true);
    ledger_.ledger->charge(ledger_.pre, energy_.pre.total());
    meter_.bank_closed(pre);
    b.open = false;
    --open_banks_;
    b.act_ok = max(b.act_ok, pre + t_.RPpb);
    bank_quiet = b.act_ok;
  }
  const Cycles end = max(max(col + kColumnSlots, out.data_end), bank_quiet);
  idle_from_ = max(idle_from_, end);
  request_idle_from_ = max(request_idle_from_, end);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Refresh between requests

void Lpddr4Channel::refresh_in_flight() {
  Cycles ref_min = max(next_due_, ready_);
  if (open_banks_ > 0) {
    Cycles prea_min = ref_min;
    // Every bank must be ready to precharge: the open ones, and a closed-page bank whose
    // auto-precharge is still to come (it is open until then; pre_ok is when it closes).
    for (const Bank& b : banks_) prea_min = max(prea_min, b.pre_ok);
    const Cycles prea = bus_.find(prea_min, kPreSlots);
    bus_.reserve(prea, kPreSlots);
    record(Lpddr4Command::PREA, prea);
    for (Bank& b : banks_) {
      if (!b.open) continue;
      b.open = false;
      b.act_ok = max(b.act_ok, prea + t_.RPab);
      meter_.bank_closed(prea);
      ledger_.ledger->charge(ledger_.pre, energy_.pre.total(), 1, time_of(prea), time_of(prea));
    }
    open_banks_ = 0;
  }
  for (const Bank& b : banks_) ref_min = max(ref_min, b.act_ok);
  const Cycles ref = bus_.find(ref_min, kRefSlots);
  bus_.reserve(ref, kRefSlots);
  record(Lpddr4Command::REF, ref);
  const Cycles ref_end = ref + t_.RFCab;
  // A refresh may be placed before the request that caused it arrived: its own span, not the
  // request's.
  ledger_.ledger->charge(ledger_.ref, energy_.ref.total(), 1, time_of(ref), time_of(ref_end));
  meter_.refresh(ref, ref_end);
  for (Bank& b : banks_) b.act_ok = max(b.act_ok, ref_end);
  next_due_ += t_.REFI;
  idle_from_ = max(idle_from_, ref_end);
}

void Lpddr4Channel::catch_up(Cycles t, bool wake) {
  while (next_due_ < t && next_due_ <= idle_from_) refresh_in_flight();
  if (t > idle_from_) idle_period(t, wake);
}

// ---------------------------------------------------------------------------------------------
// Idle periods: every command here is in time order, and the background is added directly.

void Lpddr4Channel::idle_period(Cycles t, bool wake) {
  Cycles cur = max(idle_from_, meter_.time());
  meter_.flush(cur);  // every buffered event is at or before the end of the busy period
  if (t <= cur) return;
  const auto standby = [&] {
    return open_banks_ > 0 ? BackgroundState::active_standby : BackgroundState::precharge_standby;
  };
  const auto powered_down = [&] {
    return open_banks_ > 0 ? BackgroundState::active_power_down
                           : BackgroundState::precharge_power_down;
  };
  const auto spend = [&](Cycles until, BackgroundState s) {
    if (until > cur) {
      meter_.add(s, until - cur);
      cur = until;
    }
  };
  const auto close_all = [&] {  // PREA at `cur`: every constraint is met in an idle channel
    record(Lpddr4Command::PREA, cur);
    bus_.reserve(cur, kPreSlots);
    for (Bank& b : banks_) {
      if (!b.open) continue;
      b.open = false;
      ledger_.ledger->charge(ledger_.pre, energy_.pre.total(), 1, time_of(cur), time_of(cur));
    }
    open_banks_ = 0;
    spend(cur + t_.RPab, BackgroundState::active_standby);
  };

  const PowerDownPolicy& pd = config_.power_down;
  // Power-down timers count from the last request activity: refreshes do not reset them.
  const Cycles pd_at = pd.enabled ? max(cur, request_idle_from_ + pd.idle) : kNever;
  const Cycles sr_at = pd.enabled && pd.self_refresh_idle.value() > 0
                           ? max(cur, request_idle_from_ + pd.self_refresh_idle)
                           : kNever;
  bool in_pd = false;
  Cycles pd_since{0};

  for (;;) {
    const Cycles due = next_due_;
    // The earliest of self-refresh entry, refresh and power-down entry; ties in that order.
    if (sr_at < t && sr_at <= due && (in_pd || sr_at <= pd_at)) {
      spend(sr_at, in_pd ? powered_down() : standby());
      if (in_pd) {
        const Cycles exit = max(cur, pd_since + t_.CKE);
        spend(exit, powered_down());
        record(Lpddr4Command::PDX, cur);
        spend(cur + t_.XP, standby());
      }
      if (open_banks_ > 0) close_all();  // self-refresh needs every bank precharged
      record(Lpddr4Command::SRE, cur);
      const Cycles entered = cur;
      if (!wake) {
        spend(t, BackgroundState::self_refresh);
      } else {
        spend(max(t, entered + t_.SR), BackgroundState::self_refresh);
        record(Lpddr4Command::SRX, cur);
        ready_ = cur + t_.XSR;
        // The device refreshed itself; the grid resumes at its next point after the exit.
        next_due_ = first_due_at_or_after(ready_);
      }
      for (Bank& b : banks_) b.act_ok = max(b.act_ok, cur);
      break;
    }
    if (due < t && (in_pd || due <= pd_at)) {
      if (in_pd) {  // wake up for the refresh, then return to power-down
        spend(due, powered_down());
        const Cycles exit = max(cur, pd_since + t_.CKE);
        spend(exit, powered_down());
        record(Lpddr4Command::PDX, cur);
        spend(cur + t_.XP, standby());
      } else {
        spend(due, standby());
      }
      if (open_banks_ > 0) close_all();
      record(Lpddr4Command::REF, cur);
      bus_.reserve(cur, kRefSlots);
      // Idle periods are accounted when the next request arrives: charges carry their own spans.
      ledger_.ledger->charge(ledger_.ref, energy_.ref.total(), 1, time_of(cur),
                             time_of(cur + t_.RFCab));
      spend(cur + t_.RFCab, BackgroundState::active_standby);
      next_due_ += t_.REFI;
      if (in_pd) {
        record(Lpddr4Command::PDE, cur);
        pd_since = cur;
      }
      // Bulk: once a refresh sat exactly at its due time (plus the exit latency) with all banks
      // closed, every further period until the next state change (bound) is identical: add them
      // in one step, so an idle second costs a few operations instead of 256k iterations.
      const Cycles overhead = (in_pd ? t_.XP : Cycles(0)) + t_.RFCab;
      const Cycles bound = min(min(t, sr_at), in_pd ? kNever : pd_at);
      const bool steady = open_banks_ == 0 && cur + t_.REFI == next_due_ + overhead &&
                          (!in_pd || t_.REFI >= overhead + t_.CKE);
      if (steady && bound >= next_due_ + overhead) {
        const std::uint64_t n = (bound - next_due_ - overhead).value() / t_.REFI.value() + 1;
        const Cycles first_ref = next_due_ + overhead - t_.RFCab;
        if (log_ || check_log_ || trace_) {
          for (std::uint64_t j = 0; j < n; ++j) {
            const Cycles d = next_due_ + t_.REFI * j;
            if (in_pd) note(Lpddr4Command::PDX, d);
            note(Lpddr4Command::REF, first_ref + t_.REFI * j);
            if (in_pd) note(Lpddr4Command::PDE, d + overhead);
          }
        }
        counts_[static_cast<std::size_t>(Lpddr4Command::REF)] += n;
        // Spread over the refreshes' span: the windows of power.csv are longer than tREFI.
        ledger_.ledger->charge(ledger_.ref, energy_.ref.total(), n, time_of(first_ref),
                               time_of(first_ref + t_.REFI * (n - 1) + t_.RFCab));
        meter_.add(BackgroundState::active_standby, t_.RFCab * n);
        if (in_pd) {
          counts_[static_cast<std::size_t>(Lpddr4Command::PDX)] += n;
          counts_[static_cast<std::size_t>(Lpddr4Command::PDE)] += n;
          meter_.add(BackgroundState::precharge_standby, t_.XP * n);
          meter_.add(BackgroundState::precharge_power_down, (t_.REFI - overhead) * n);
        } else {
          meter_.add(BackgroundState::precharge_standby, (t_.REFI - overhead) * n);
        }
        cur += t_.REFI * n;
        next_due_ += t_.REFI * n;
        pd_since = cur;
      }
      for (Bank& b : banks_) b.act_ok = max(b.act_ok, cur);
      continue;
    }
    if (!in_pd && pd_at < t) {
      spend(pd_at, standby());
      record(Lpddr4Command::PDE, cur);
      in_pd = true;
      pd_since = cur;
      continue;
    }
    // Nothing else happens before `t`.
    if (!wake) {
      spend(t, in_pd ? powered_down() : standby());
    } else if (in_pd) {
      spend(t, powered_down());
      spend(max(cur, pd_since + t_.CKE), powered_down());
      record(Lpddr4Command::PDX, cur);
      ready_ = cur + t_.XP;
    } else {
      spend(t, standby());
    }
    break;
  }
  meter_.resume(cur, open_banks_);
  idle_from_ = max(idle_from_, cur);
}

// ---------------------------------------------------------------------------------------------
// Energy, end of run, power gating

void Lpddr4Channel::charge_background() {
  const auto& now = meter_.all_cycles();
  Energy e(0.0);
  for (std::size_t s = 0; s < kBackgroundStateCount; ++s) {
    const std::uint64_t delta = now[s] - charged_cycles_[s];
    if (delta == 0) continue;
    e += energy_.background_energy(static_cast<BackgroundState>(s), delta).total();
    charged_cycles_[s] = now[s];
  }
  // Spent over the span the meter has integrated since the last charge (tCK is whole ps).
  const Cycles to = meter_.time();
  if (e.value() != 0.0) {
    ledger_.ledger->add_static_energy(ledger_.component, e, t_.tCK * charged_to_.value(),
                                      t_.tCK * to.value());
  }
  charged_to_ = max(charged_to_, to);
}

void Lpddr4Channel::settle(Cycles end) {
  if (!powered_) return;
  catch_up(end, /*wake=*/false);
  meter_.flush(end);
  charge_background();
}

void Lpddr4Channel::power_off(Cycles at) {
  settle(at);
  // Supply removed: nothing draws current until power_on.
  meter_.reset(at);
  powered_ = false;
  if (trace_) {
    for (std::size_t b = 0; b < banks_.size(); ++b) trace_bank(b, at, Lpddr4BankState::precharged);
  }
}

void Lpddr4Channel::power_on(Cycles at) {
  for (Bank& b : banks_) b = Bank{false, 0, at, at, at};
  open_banks_ = 0;
  bus_.clear();
  pre_bus_.clear();
  act_count_ = 0;
  any_col_ = any_rd_ = any_wr_ = false;
  data_free_ = idle_from_ = request_idle_from_ = ready_ = at;
  next_due_ = first_due_at_or_after(at + Cycles(1));
  meter_.reset(at);
  charged_to_ = at;  // the next background charge starts here, not at the power-off
  powered_ = true;
}

// ---------------------------------------------------------------------------------------------
// Traces

void Lpddr4Channel::set_trace(TraceSink* sink, const std::string& scope) {
  trace_ = sink;
  bank_signals_.clear();
  if (!sink) return;
  for (std::size_t b = 0; b < banks_.size(); ++b) {
    bank_signals_.push_back(sink->integer_signal(scope, "bank" + std::to_string(b), 2));
  }
}

Time Lpddr4Channel::accounted_until() const {
  if (!powered_) return Time(std::numeric_limits<std::uint64_t>::max());  // nothing pending
  return time_of(min(charged_to_, min(next_due_, idle_from_)));
}

void Lpddr4Channel::trace_bank(std::size_t bank, Cycles at, Lpddr4BankState s) {
  trace_->set(bank_signals_[bank], time_of(at), static_cast<std::uint64_t>(s));
}

void Lpddr4Channel::trace_command(Lpddr4Command c, Cycles at, std::uint16_t bank) {
  // Reports of one bank come in time order (its commands are placed in order). Where two states
  // meet at one cycle (a refresh ends as power-down starts), the one reported last wins (the VCD
  // writer's rule, traces/vcd_writer.hpp).
  const std::size_t n = banks_.size();
  switch (c) {
    case Lpddr4Command::ACT:
      trace_bank(bank, at, Lpddr4BankState::active);
      break;
    case Lpddr4Command::PRE:
      trace_bank(bank, at, Lpddr4BankState::precharged);
      break;
    case Lpddr4Command::PREA:  // the banks it closes (the others are precharged already)
      for (std::size_t b = 0; b < n; ++b) {
        if (banks_[b].open) trace_bank(b, at, Lpddr4BankState::precharged);
      }
      break;
    case Lpddr4Command::REF:
      for (std::size_t b = 0; b < n; ++b) {
        trace_bank(b, at, Lpddr4BankState::refreshing);
        trace_bank(b, at + t_.RFCab, Lpddr4BankState::precharged);
      }
      break;
    case Lpddr4Command::PDE:
    case Lpddr4Command::SRE:
      for (std::size_t b = 0; b < n; ++b) trace_bank(b, at, Lpddr4BankState::powered_down);
      break;
    case Lpddr4Command::PDX:
      for (std::size_t b = 0; b < n; ++b) {
        trace_bank(b, at, banks_[b].open ? Lpddr4BankState::active : Lpddr4BankState::precharged);
      }
      break;
    case Lpddr4Command::SRX:
      for (std::size_t b = 0; b < n; ++b) trace_bank(b, at, Lpddr4BankState::precharged);
      break;
    case Lpddr4Command::RD:
    case Lpddr4Command::WR:
    case Lpddr4Command::REFPB:  // not issued by this controller
      break;
  }
}

}  // namespace hmasim
