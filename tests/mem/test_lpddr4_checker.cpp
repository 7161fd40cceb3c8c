// The independent LPDDR4 timing checker on hand-built command sequences: each illegal sequence
// names the rule it breaks, and the same sequence with the distance just met is clean. The
// distances are written out here from the JEDEC 8Gb LPDDR4-3200 memspec values.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mem/lpddr4/checker/timing_checker.hpp"

namespace hmasim {
namespace {

// JEDEC_8Gb_LPDDR4-3200_16bit: RL 28, WL 14, RCD 29, RPpb 29, RPab 34, RAS 68, RCpb 97, WR 29,
// WTR 16, RTP 12, RRD 16, FAW 64, CCD 8, RFCab 448, RFCpb 224, PPD 4, DQSCK 6, WPRE 2, RPST 0.
Lpddr4Timing memspec() {
  Lpddr4Timing t;
  t.tCK = Time(625);
  t.RL = Cycles(28), t.WL = Cycles(14), t.RCD = Cycles(29), t.RPpb = Cycles(29);
  t.RPab = Cycles(34), t.RAS = Cycles(68), t.RCpb = Cycles(97), t.WR = Cycles(29);
  t.WTR = Cycles(16), t.RTP = Cycles(12), t.RRD = Cycles(16), t.FAW = Cycles(64);
  t.CCD = Cycles(8), t.REFI = Cycles(6246), t.RFCab = Cycles(448), t.XP = Cycles(12);
  t.CKE = Cycles(12), t.SR = Cycles(24), t.XSR = Cycles(460), t.REFIpb = Cycles(780);
  t.RFCpb = Cycles(224), t.PPD = Cycles(4), t.DQSCK = Cycles(6), t.DQSS = Cycles(1);
  t.DQS2DQ = Cycles(2), t.WPRE = Cycles(2), t.RPST = Cycles(0);
  return t;
}

using C = Lpddr4Command;
Lpddr4CommandRecord cmd(std::uint64_t at, C c, std::uint16_t bank = Lpddr4CommandRecord::kAllBanks,
                        bool automatic = false) {
  return {Cycles(at), c, 0, bank, 7, automatic};
}

// Violations of `seq` (8 banks, BL16), as the rules' text.
std::vector<std::string> violations(const std::vector<Lpddr4CommandRecord>& seq) {
  Lpddr4TimingChecker k(memspec(), 8, 16);
  for (const auto& r : seq) k.check(r);
  std::vector<std::string> v;
  for (const auto& x : k.violations()) v.push_back(x.rule);
  EXPECT_EQ(k.violation_count(), v.size());
  return v;
}
bool mentions(const std::vector<std::string>& v, const std::string& what) {
  for (const auto& s : v) {
    if (s.find(what) != std::string::npos) return true;
  }
  return false;
}

TEST(Lpddr4Checker, LegalSequenceIsClean) {
  // ACT, RD after tRCD, PRE after tRAS, ACT after tRPpb (and tRC), REF after PRE + tRPpb.
  const std::vector<Lpddr4CommandRecord> seq = {cmd(0, C::ACT, 0),
                                                cmd(29, C::RD, 0),
                                                cmd(37, C::RD, 0),
                                                cmd(68, C::PRE, 0),
                                                cmd(97, C::ACT, 0),
                                                cmd(126, C::WR, 0),
                                                cmd(126 + 14 + 8 + 1 + 29, C::PRE, 0),
                                                cmd(178 + 29, C::REF),
                                                cmd(207 + 448, C::ACT, 1)};
  EXPECT_TRUE(violations(seq).empty());
}

TEST(Lpddr4Checker, ReadBeforeTrcdIsReported) {
  const auto v = violations({cmd(0, C::ACT, 0), cmd(28, C::RD, 0)});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_TRUE(mentions(v, "tRCD"));
  EXPECT_TRUE(violations({cmd(0, C::ACT, 0), cmd(29, C::RD, 0)}).empty());
}

TEST(Lpddr4Checker, ReadToWriteNeedsTheJedecDistance) {
  // RL + tDQSCK + BL/2 - WL + tWPRE + tRPST = 28 + 6 + 8 - 14 + 2 + 0 = 30, any bank.
  const auto bad = violations(
      {cmd(0, C::ACT, 0), cmd(16, C::ACT, 1), cmd(45, C::RD, 0), cmd(45 + 29, C::WR, 1)});
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_TRUE(mentions(bad, "read to write"));
  EXPECT_TRUE(
      violations({cmd(0, C::ACT, 0), cmd(16, C::ACT, 1), cmd(45, C::RD, 0), cmd(45 + 30, C::WR, 1)})
          .empty());
}

TEST(Lpddr4Checker, WriteToReadNeedsTheJedecDistance) {
  // WL + 1 + BL/2 + tWTR = 14 + 1 + 8 + 16 = 39.
  const auto bad = violations({cmd(0, C::ACT, 0), cmd(29, C::WR, 0), cmd(29 + 38, C::RD, 0)});
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_TRUE(mentions(bad, "write to read"));
  EXPECT_TRUE(violations({cmd(0, C::ACT, 0), cmd(29, C::WR, 0), cmd(29 + 39, C::RD, 0)}).empty());
}

TEST(Lpddr4Checker, WriteRecoveryAndReadToPrechargeAreChecked) {
  // WR -> PRE: WL + BL/2 + 1 + WR = 52; RD -> PRE: BL/2 + max(8, RTP) - 8 = 12 (tRAS first).
  EXPECT_TRUE(
      mentions(violations({cmd(0, C::ACT, 0), cmd(40, C::WR, 0), cmd(91, C::PRE, 0)}), "tWR"));
  EXPECT_TRUE(violations({cmd(0, C::ACT, 0), cmd(40, C::WR, 0), cmd(92, C::PRE, 0)}).empty());
  EXPECT_TRUE(
      mentions(violations({cmd(0, C::ACT, 0), cmd(60, C::RD, 0), cmd(71, C::PRE, 0)}), "tRTP"));
  EXPECT_TRUE(violations({cmd(0, C::ACT, 0), cmd(60, C::RD, 0), cmd(72, C::PRE, 0)}).empty());
}

TEST(Lpddr4Checker, FifthActivateInsideTfawIsReported) {
  // With tRRD 10 (so that tFAW binds alone): four ACTs at 0, 10, 20, 30; a fifth at 63 < tFAW.
  Lpddr4Timing t = memspec();
  t.RRD = Cycles(10);
  const auto run = [&](std::uint64_t fifth) {
    Lpddr4TimingChecker k(t, 8, 16);
    for (std::uint16_t b = 0; b < 4; ++b) k.check(cmd(10u * b, C::ACT, b));
    k.check(cmd(fifth, C::ACT, 4));
    return k.report();
  };
  const std::string bad = run(63);
  EXPECT_NE(bad.find("tFAW"), std::string::npos) << bad;
  EXPECT_EQ(bad.find("tRRD"), std::string::npos) << bad;
  EXPECT_EQ(run(64), "");
}

TEST(Lpddr4Checker, BankStatesAreChecked) {
  EXPECT_TRUE(mentions(violations({cmd(0, C::ACT, 0), cmd(200, C::ACT, 0)}), "ACT to an open"));
  EXPECT_TRUE(mentions(violations({cmd(0, C::RD, 3)}), "RD to a precharged bank"));
  EXPECT_TRUE(mentions(violations({cmd(0, C::ACT, 2), cmd(500, C::REF)}), "REF with bank 2 open"));
  EXPECT_TRUE(
      mentions(violations({cmd(0, C::ACT, 2), cmd(500, C::REFPB, 2)}), "REFpb to an open bank"));
}

TEST(Lpddr4Checker, CommandBusAndRefreshWindowsAreChecked) {
  // ACT holds the CA bus 4 cycles; a PRE of another bank at cycle 2 overlaps it.
  EXPECT_TRUE(mentions(violations({cmd(0, C::ACT, 0), cmd(2, C::PRE, 1)}), "command bus"));
  // tRFCab after REF, tRFCpb after REFpb to the bank; tRRD from a REFpb to another bank's ACT.
  EXPECT_TRUE(mentions(violations({cmd(0, C::REF), cmd(447, C::ACT, 5)}), "tRFCab"));
  EXPECT_TRUE(mentions(violations({cmd(0, C::REFPB, 1), cmd(223, C::ACT, 1)}), "tRFCpb"));
  EXPECT_TRUE(mentions(violations({cmd(0, C::REFPB, 1), cmd(15, C::ACT, 2)}), "tRRD"));
  EXPECT_TRUE(violations({cmd(0, C::REFPB, 1), cmd(16, C::ACT, 2), cmd(224, C::ACT, 1)}).empty());
}

TEST(Lpddr4Checker, AutoPrechargeTakesNoBusSlotButKeepsItsDistances) {
  // An auto-precharge at the cycle of another bank's ACT is fine; one before tRAS is not.
  EXPECT_TRUE(violations({cmd(0, C::ACT, 0), cmd(29, C::RD, 0), cmd(68, C::ACT, 1),
                          cmd(68, C::PRE, 0, /*automatic=*/true)})
                  .empty());
  EXPECT_TRUE(mentions(
      violations({cmd(0, C::ACT, 0), cmd(29, C::RD, 0), cmd(60, C::PRE, 0, /*automatic=*/true)}),
      "tRAS"));
}

TEST(Lpddr4Checker, PowerDownAndSelfRefreshTimingIsChecked) {
  // Legal: PDE, PDX after tCKE (12), ACT tXP (12) after it; PRE, SRE after tRPpb, SRX after tSR
  // (24), ACT tXSR (460) after it.
  const std::vector<Lpddr4CommandRecord> legal = {cmd(0, C::PDE),           cmd(12, C::PDX),
                                                  cmd(24, C::ACT, 2),       cmd(24 + 68, C::PRE, 2),
                                                  cmd(92 + 29, C::SRE),     cmd(121 + 24, C::SRX),
                                                  cmd(145 + 460, C::ACT, 3)};
  EXPECT_TRUE(violations(legal).empty());
  // One cycle short each: PDX before tCKE, ACT before tXP, SRX before tSR, ACT before tXSR, SRE
  // before tRPpb after the PRE.
  EXPECT_TRUE(mentions(violations({cmd(0, C::PDE), cmd(11, C::PDX)}), "tCKE"));
  EXPECT_TRUE(mentions(violations({cmd(0, C::PDE), cmd(12, C::PDX), cmd(23, C::ACT, 0)}), "tXP"));
  EXPECT_TRUE(mentions(violations({cmd(0, C::SRE), cmd(23, C::SRX)}), "tSR"));
  EXPECT_TRUE(mentions(violations({cmd(0, C::SRE), cmd(24, C::SRX), cmd(483, C::ACT, 1)}), "tXSR"));
  EXPECT_TRUE(mentions(violations({cmd(0, C::ACT, 0), cmd(68, C::PRE, 0), cmd(96, C::SRE)}),
                       "tRPpb (PRE -> SRE)"));
}

TEST(Lpddr4Checker, CommandsInsidePowerDownOrSelfRefreshAreReported) {
  // An ACT with no PDX after the PDE; a REF in self-refresh (the device refreshes itself).
  EXPECT_TRUE(mentions(violations({cmd(0, C::PDE), cmd(100, C::ACT, 0)}),
                       "ACT in power-down (PDE without PDX)"));
  EXPECT_TRUE(mentions(violations({cmd(0, C::SRE), cmd(6246, C::REF)}),
                       "REF in self-refresh (SRE without SRX)"));
  // Exits that match no entry, and an SRX closing a power-down.
  EXPECT_TRUE(mentions(violations({cmd(0, C::PDX)}), "PDX outside its power state"));
  EXPECT_TRUE(mentions(violations({cmd(0, C::PDE), cmd(100, C::SRX)}), "SRX in power-down"));
  // The same with the exits in place is clean.
  EXPECT_TRUE(violations({cmd(0, C::PDE), cmd(88, C::PDX), cmd(100, C::ACT, 0)}).empty());
  EXPECT_TRUE(violations({cmd(0, C::SRE), cmd(6000, C::SRX), cmd(6460, C::REF)}).empty());
}

TEST(Lpddr4Checker, ReportNamesBothCommandsTheirCyclesAndTheRule) {
  Lpddr4TimingChecker k(memspec(), 8, 16);
  k.check(cmd(100, C::ACT, 3));
  k.check(cmd(110, C::WR, 3));
  const std::string r = k.report();
  EXPECT_NE(r.find("tRCD"), std::string::npos) << r;
  EXPECT_NE(r.find("ACT bank 3 at cycle 100"), std::string::npos) << r;
  EXPECT_NE(r.find("WR bank 3 at cycle 110"), std::string::npos) << r;
  EXPECT_NE(r.find("needs 29"), std::string::npos) << r;
}

}  // namespace
}  // namespace hmasim
