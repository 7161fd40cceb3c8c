// An independent JEDEC LPDDR4 timing checker for one channel: it audits a command stream in issue
// order and reports every pair of commands closer than the standard allows. It knows only the
// memspec (timing and bank count), never the controller: its rules are a table of minimum
// distances per (earlier command, later command, same bank or another bank), the tFAW window,
// command-bus occupancy and the bank states each command needs (ACT to a precharged bank, RD/WR
// and PRE to an open one, REF with every bank precharged, REFpb with its bank precharged) and
// the power states: no command between PDE and PDX or between SRE and SRX (no REF either: the
// device refreshes itself), PDX only in power-down, SRX only in self-refresh.
//
// Distances are from the first CA cycle of one command to the first CA cycle of the next
// (JESD209-4), e.g. RD -> WR >= RL + tDQSCK + BL/2 - WL + tWPRE + tRPST, WR -> RD >= WL + 1 +
// BL/2 + tWTR, WR -> PRE (same bank) >= WL + BL/2 + 1 + tWR. The table is written out here from
// the timing parameters, on purpose without the models' helpers, so that a wrong formula in a
// controller is not repeated by its checker.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "mem/lpddr4/lpddr4_command.hpp"
#include "mem/lpddr4/lpddr4_config.hpp"

namespace hmasim {

class Lpddr4TimingChecker {
 public:
  struct Violation {
    Lpddr4CommandRecord earlier;  // for state rules: the command itself
    Lpddr4CommandRecord later;
    std::string rule;            // e.g. "tRCD (ACT -> RD, same bank)"
    std::uint64_t required = 0;  // minimum distance in tCK (0 for state rules)
  };

  // `burst_length`: 16 or 32 (BL/2 data cycles per burst).
  Lpddr4TimingChecker(const Lpddr4Timing& timing, unsigned banks, unsigned burst_length);

  // The next command of this channel; cycles must not decrease (that itself is a violation).
  void check(const Lpddr4CommandRecord& r);

  // The supply was removed and restored: every bank is precharged, no earlier command binds.
  void power_cycle();

  const std::vector<Violation>& violations() const { return violations_; }
  // Violations beyond the first kKept are counted, not kept.
  std::uint64_t violation_count() const { return violation_count_; }
  std::uint64_t checked() const { return checked_; }
  // One line per kept violation: "rule: CMD bank b at cycle c -> CMD bank b at cycle c
  // (distance d, needs r)".
  std::string report() const;

  static constexpr std::size_t kKept = 64;

 private:
  static constexpr std::size_t kN = kLpddr4CommandCount;
  static constexpr std::uint64_t kNone = ~std::uint64_t{0};
  struct Rule {
    std::uint64_t gap = 0;  // 0: no constraint
    const char* name = nullptr;
  };
  void rule(Lpddr4Command earlier, Lpddr4Command later, bool same_bank, Cycles gap,
            const char* name);
  void fail(const Lpddr4CommandRecord& earlier, const Lpddr4CommandRecord& later,
            const std::string& rule, std::uint64_t required);
  void distances(const Lpddr4CommandRecord& r, unsigned bank, bool all_banks);
  static bool on_bus(const Lpddr4CommandRecord& r);
  static unsigned bus_slots(Lpddr4Command c);

  unsigned banks_;
  Lpddr4Timing t_;
  // table_[earlier][later][0 = same bank, 1 = another bank]
  std::array<std::array<std::array<Rule, 2>, kN>, kN> table_{};
  // The latest command of each kind per bank (all-bank commands are recorded on every bank).
  std::vector<std::array<Lpddr4CommandRecord, kN>> last_;
  std::vector<std::array<bool, kN>> seen_;
  std::vector<bool> open_;
  std::array<Lpddr4CommandRecord, 4> acts_{};  // the last four ACTs (ring)
  std::uint64_t act_count_ = 0;
  Lpddr4CommandRecord last_on_bus_{};
  Lpddr4CommandRecord last_pre_{};
  bool any_pre_ = false;
  std::uint64_t bus_free_ = 0;
  bool any_ = false;
  std::uint64_t last_cycle_ = 0;
  // The latest PDE / SRE while in that state; kAwake otherwise.
  enum class Power : std::uint8_t { kAwake, kPowerDown, kSelfRefresh };
  Power power_ = Power::kAwake;
  Lpddr4CommandRecord power_entry_{};
  std::vector<Violation> violations_;
  std::uint64_t violation_count_ = 0;
  std::uint64_t checked_ = 0;
};

}  // namespace hmasim
