// Page policies of the buffered controller: after a column command, whether the bank closes its
// row at once (auto-precharge, RDA/WRA) or keeps it open. One interface, one class per policy:
//   open             never (a later miss pays PRE + ACT);
//   closed           after the request's last burst to the row;
//   closed_adaptive  as closed, unless another waiting burst hits the row;
//   open_adaptive    keep it open, unless no waiting burst hits the row and one misses it.
#pragma once

#include <memory>

#include "mem/lpddr4/controller/burst_queue.hpp"
#include "mem/lpddr4/lpddr4_config.hpp"

namespace hmasim {

class PagePolicyIf {
 public:
  virtual ~PagePolicyIf() = default;
  // `served` was just issued; `waiting` is the bank's queue without it.
  virtual bool close_after(const BufferedBurst& served, const BurstQueue& waiting) const = 0;
};

std::unique_ptr<PagePolicyIf> make_page_policy(PagePolicy p);

}  // namespace hmasim
