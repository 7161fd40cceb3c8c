#include "mem/lpddr4/checker/timing_checker.hpp"

#include <algorithm>

namespace hmasim {

namespace {
using C = Lpddr4Command;
constexpr std::size_t idx(C c) {
  return static_cast<std::size_t>(c);
}
bool all_bank(C c) {
  return c == C::PREA || c == C::REF || c == C::PDE || c == C::PDX || c == C::SRE || c == C::SRX;
}
}  // namespace

Lpddr4TimingChecker::Lpddr4TimingChecker(const Lpddr4Timing& t, unsigned banks,
                                         unsigned burst_length)
    : banks_(banks), t_(t), last_(banks), seen_(banks), open_(banks, false) {
  for (auto& s : seen_) s.fill(false);
  const std::uint64_t bl2 = burst_length / 2;
  const auto cyc = [](std::uint64_t v) { return Cycles(v); };
  // Same bank.
  rule(C::ACT, C::ACT, true, t.RCpb, "tRCpb (ACT -> ACT, same bank)");
  rule(C::ACT, C::RD, true, t.RCD, "tRCD (ACT -> RD)");
  rule(C::ACT, C::WR, true, t.RCD, "tRCD (ACT -> WR)");
  rule(C::ACT, C::PRE, true, t.RAS, "tRAS (ACT -> PRE)");
  rule(C::ACT, C::PREA, true, t.RAS, "tRAS (ACT -> PREA)");
  rule(C::PRE, C::ACT, true, t.RPpb, "tRPpb (PRE -> ACT)");
  rule(C::PREA, C::ACT, true, t.RPab, "tRPab (PREA -> ACT)");
  rule(C::PRE, C::REF, true, t.RPpb, "tRPpb (PRE -> REF)");
  rule(C::PREA, C::REF, true, t.RPab, "tRPab (PREA -> REF)");
  rule(C::PRE, C::REFPB, true, t.RPpb, "tRPpb (PRE -> REFpb)");
  rule(C::PREA, C::REFPB, true, t.RPab, "tRPab (PREA -> REFpb)");
  rule(C::PRE, C::SRE, true, t.RPpb, "tRPpb (PRE -> SRE)");
  rule(C::PREA, C::SRE, true, t.RPab, "tRPab (PREA -> SRE)");
  // JESD209-4 read to precharge: BL/2 + max(8, nRTP) - 8.
  const std::uint64_t rtp = bl2 + std::max<std::uint64_t>(8, t.RTP.value()) - 8;
  rule(C::RD, C::PRE, true, cyc(rtp), "tRTP (RD -> PRE: BL/2 + max(8, RTP) - 8)");
  rule(C::RD, C::PREA, true, cyc(rtp), "tRTP (RD -> PREA: BL/2 + max(8, RTP) - 8)");
  // Write recovery from the end of the write data: WL + BL/2 + 1 + nWR.
  const std::uint64_t wr_pre = t.WL.value() + bl2 + 1 + t.WR.value();
  rule(C::WR, C::PRE, true, cyc(wr_pre), "tWR (WR -> PRE: WL + BL/2 + 1 + WR)");
  rule(C::WR, C::PREA, true, cyc(wr_pre), "tWR (WR -> PREA: WL + BL/2 + 1 + WR)");
  for (C later : {C::ACT, C::REF, C::REFPB, C::SRE}) {
    rule(C::REF, later, true, t.RFCab, "tRFCab (REF -> next command)");
  }
  for (C later : {C::ACT, C::REF, C::REFPB}) {
    rule(C::REFPB, later, true, t.RFCpb, "tRFCpb (REFpb -> next command to the bank)");
  }
  for (C later : {C::ACT, C::RD, C::WR, C::PRE, C::PREA, C::REF, C::REFPB, C::SRE, C::PDE}) {
    rule(C::PDX, later, true, t.XP, "tXP (power-down exit -> command)");
    rule(C::SRX, later, true, t.XSR, "tXSR (self-refresh exit -> command)");
  }
  rule(C::PDE, C::PDX, true, t.CKE, "tCKE (power-down entry -> exit)");
  rule(C::SRE, C::SRX, true, t.SR, "tSR (self-refresh entry -> exit)");
  // Any bank of the channel.
  for (bool same : {true, false}) {
    rule(C::RD, C::RD, same, t.CCD, "tCCD (RD -> RD)");
    rule(C::WR, C::WR, same, t.CCD, "tCCD (WR -> WR)");
    rule(C::RD, C::WR, same,
         cyc(t.RL.value() + t.DQSCK.value() + bl2 + t.WPRE.value() + t.RPST.value() > t.WL.value()
                 ? t.RL.value() + t.DQSCK.value() + bl2 + t.WPRE.value() + t.RPST.value() -
                       t.WL.value()
                 : 0),
         "read to write (RL + tDQSCK + BL/2 - WL + tWPRE + tRPST)");
    rule(C::WR, C::RD, same, cyc(t.WL.value() + 1 + bl2 + t.WTR.value()),
         "write to read (WL + 1 + BL/2 + tWTR)");
  }
  rule(C::ACT, C::ACT, false, t.RRD, "tRRD (ACT -> ACT, another bank)");
  rule(C::REFPB, C::ACT, false, t.RRD, "tRRD (REFpb -> ACT, another bank)");
  rule(C::ACT, C::REFPB, false, t.RRD, "tRRD (ACT -> REFpb, another bank)");
}

void Lpddr4TimingChecker::rule(Lpddr4Command earlier, Lpddr4Command later, bool same_bank,
                               Cycles gap, const char* name) {
  Rule& r = table_[idx(earlier)][idx(later)][same_bank ? 0 : 1];
  if (gap.value() >= r.gap) r = {gap.value(), name};
}

bool Lpddr4TimingChecker::on_bus(const Lpddr4CommandRecord& r) {
  // Power-down and self-refresh entry/exit are CKE transitions, not CA-bus commands; an
  // auto-precharge is part of its RDA/WRA.
  switch (r.command) {
    case C::PDE:
    case C::PDX:
    case C::SRE:
    case C::SRX:
      return false;
    case C::PRE:
      return !r.automatic;
    default:
      return true;
  }
}

unsigned Lpddr4TimingChecker::bus_slots(Lpddr4Command c) {
  // Two-part commands (ACT-1/ACT-2, RD-1/WR-1 + CAS-2) hold the CA bus for 4 clocks.
  return c == C::ACT || c == C::RD || c == C::WR ? 4 : 2;
}

void Lpddr4TimingChecker::fail(const Lpddr4CommandRecord& earlier, const Lpddr4CommandRecord& later,
                               const std::string& rule, std::uint64_t required) {
  ++violation_count_;
  if (violations_.size() < kKept) violations_.push_back({earlier, later, rule, required});
}

void Lpddr4TimingChecker::distances(const Lpddr4CommandRecord& r, unsigned bank, bool all_banks) {
  const std::uint64_t at = r.cycle.value();
  const std::size_t next = idx(r.command);
  for (unsigned b = 0; b < banks_; ++b) {
    const bool same = all_banks || b == bank;
    for (std::size_t p = 0; p < kN; ++p) {
      if (!seen_[b][p]) continue;
      const Rule& rl = table_[p][next][same ? 0 : 1];
      if (rl.gap == 0) continue;
      const Lpddr4CommandRecord& prev = last_[b][p];
      // An all-bank command sits on every bank: look at one copy only.
      if (all_bank(prev.command) && b != (all_banks ? 0 : bank)) continue;
      if (at < prev.cycle.value() + rl.gap) fail(prev, r, rl.name, rl.gap);
    }
  }
}

void Lpddr4TimingChecker::check(const Lpddr4CommandRecord& r) {
  ++checked_;
  const std::uint64_t at = r.cycle.value();
  if (any_ && at < last_cycle_) {
    fail(r, r, "commands out of issue order (cycle decreases)", 0);
  }
  const bool all = all_bank(r.command);
  const unsigned bank = all ? 0 : r.bank;
  if (!all && bank >= banks_) {
    fail(r, r, "bank out of range", 0);
    return;
  }
  // Command bus.
  if (on_bus(r)) {
    if (any_ && at < bus_free_) fail(last_on_bus_, r, "command bus overlap", 0);
    bus_free_ = std::max(bus_free_, at + bus_slots(r.command));
    last_on_bus_ = r;
  }
  // Power states: PDE ... PDX and SRE ... SRX enclose nothing.
  const bool exit = r.command == C::PDX || r.command == C::SRX;
  if (power_ == Power::kPowerDown && r.command != C::PDX) {
    fail(power_entry_, r, std::string(to_string(r.command)) + " in power-down (PDE without PDX)",
         0);
  } else if (power_ == Power::kSelfRefresh && r.command != C::SRX) {
    fail(power_entry_, r, std::string(to_string(r.command)) + " in self-refresh (SRE without SRX)",
         0);
  } else if (exit && power_ != (r.command == C::PDX ? Power::kPowerDown : Power::kSelfRefresh)) {
    fail(r, r, std::string(to_string(r.command)) + " outside its power state", 0);
  }
  if (r.command == C::PDE || r.command == C::SRE) {
    power_ = r.command == C::PDE ? Power::kPowerDown : Power::kSelfRefresh;
    power_entry_ = r;
  } else if (exit) {
    power_ = Power::kAwake;
  }
  // Bank states.
  switch (r.command) {
    case C::ACT:
      if (open_[bank]) fail(r, r, "ACT to an open bank", 0);
      break;
    case C::RD:
    case C::WR:
    case C::PRE:
      if (!open_[bank]) fail(r, r, std::string(to_string(r.command)) + " to a precharged bank", 0);
      break;
    case C::REFPB:
      if (open_[bank]) fail(r, r, "REFpb to an open bank", 0);
      break;
    case C::REF:
    case C::SRE:
      for (unsigned b = 0; b < banks_; ++b) {
        if (open_[b]) {
          fail(r, r,
               std::string(to_string(r.command)) + " with bank " + std::to_string(b) + " open", 0);
          break;
        }
      }
      break;
    default:
      break;
  }
  distances(r, bank, all);
  // tFAW: at most four ACTs in any window of tFAW.
  if (r.command == C::ACT) {
    if (act_count_ >= 4) {
      const Lpddr4CommandRecord& four_back = acts_[act_count_ % 4];
      if (at < four_back.cycle.value() + t_.FAW.value()) {
        fail(four_back, r, "tFAW (a fifth ACT inside the window of four)", t_.FAW.value());
      }
    }
    acts_[act_count_ % 4] = r;
    ++act_count_;
  }
  // tPPD between precharge commands (an auto-precharge is none).
  if (r.command == C::PRE && !r.automatic) {
    if (any_pre_ && at < last_pre_.cycle.value() + t_.PPD.value()) {
      fail(last_pre_, r, "tPPD (PRE -> PRE)", t_.PPD.value());
    }
    last_pre_ = r;
    any_pre_ = true;
  }
  // Record.
  const std::size_t k = idx(r.command);
  for (unsigned b = 0; b < banks_; ++b) {
    if (!all && b != bank) continue;
    last_[b][k] = r;
    seen_[b][k] = true;
  }
  if (r.command == C::ACT) open_[bank] = true;
  if (r.command == C::PRE) open_[bank] = false;
  if (r.command == C::PREA) std::fill(open_.begin(), open_.end(), false);
  any_ = true;
  last_cycle_ = std::max(last_cycle_, at);
}

void Lpddr4TimingChecker::power_cycle() {
  for (auto& s : seen_) s.fill(false);
  std::fill(open_.begin(), open_.end(), false);
  act_count_ = 0;
  any_pre_ = false;
  power_ = Power::kAwake;
}

std::string Lpddr4TimingChecker::report() const {
  const auto name = [](const Lpddr4CommandRecord& r) {
    std::string s = to_string(r.command);
    if (r.automatic) s += " (auto)";
    if (r.bank != Lpddr4CommandRecord::kAllBanks) s += " bank " + std::to_string(r.bank);
    return s + " at cycle " + std::to_string(r.cycle.value());
  };
  std::string out;
  for (const Violation& v : violations_) {
    out += "channel " + std::to_string(v.later.channel) + ": " + v.rule + ": ";
    if (v.required == 0) {
      out += name(v.later);
      if (v.earlier.cycle != v.later.cycle || v.earlier.command != v.later.command) {
        out += " (after " + name(v.earlier) + ")";
      }
    } else {
      out += name(v.earlier) + " -> " + name(v.later) + " (distance " +
             std::to_string(v.later.cycle.value() - v.earlier.cycle.value()) + ", needs " +
             std::to_string(v.required) + ")";
    }
    out += "\n";
  }
  if (violation_count_ > violations_.size()) {
    out += "... and " + std::to_string(violation_count_ - violations_.size()) + " more\n";
  }
  return out;
}

}  // namespace hmasim
