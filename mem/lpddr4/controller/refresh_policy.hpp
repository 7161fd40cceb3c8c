// Refresh policies of the buffered controller: when the next refresh is due and which banks it
// takes. One interface, one class per policy ("none" is an object too, not an if):
//   all_bank  REF of every bank at k x tREFI (open banks closed by PREA first);
//   per_bank  REFpb of bank k mod banks at k x tREFIpb; the other banks go on serving;
//   none      never.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>

#include "core/units.hpp"
#include "mem/lpddr4/lpddr4_config.hpp"

namespace hmasim {

class RefreshPolicyIf {
 public:
  static constexpr Cycles kNever{std::numeric_limits<std::uint64_t>::max() / 4};
  static constexpr int kAllBanks = -1;
  virtual ~RefreshPolicyIf() = default;
  // When the next refresh is due (kNever: none). Not virtual: the controller asks before every
  // command it chooses; the policies keep it up to date.
  Cycles due() const { return due_; }
  // The bank of the refresh that is due, or kAllBanks.
  virtual int bank() const = 0;
  // The due refresh was issued: move on to the next one.
  virtual void issued() = 0;
  // Power-on at `at`: the grid restarts there.
  virtual void restart(Cycles at) = 0;

 protected:
  explicit RefreshPolicyIf(Cycles first_due) : due_(first_due) {}
  Cycles due_;
};

std::unique_ptr<RefreshPolicyIf> make_refresh_policy(const Lpddr4Config& c);

}  // namespace hmasim
