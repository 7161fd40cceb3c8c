#include "mem/lpddr4/controller/page_policy.hpp"

namespace hmasim {

namespace {

bool any_hit(const BufferedBurst& served, const BurstQueue& waiting) {
  for (const BufferedBurst& b : waiting) {
    if (b.row == served.row) return true;
  }
  return false;
}

class OpenPage final : public PagePolicyIf {
 public:
  bool close_after(const BufferedBurst&, const BurstQueue&) const override { return false; }
};

class ClosedPage final : public PagePolicyIf {
 public:
  bool close_after(const BufferedBurst& served, const BurstQueue&) const override {
    return served.last_in_row;
  }
};

class ClosedAdaptivePage final : public PagePolicyIf {
 public:
  bool close_after(const BufferedBurst& served, const BurstQueue& waiting) const override {
    return !any_hit(served, waiting);
  }
};

class OpenAdaptivePage final : public PagePolicyIf {
 public:
  bool close_after(const BufferedBurst& served, const BurstQueue& waiting) const override {
    return !any_hit(served, waiting) && !waiting.empty();
  }
};

}  // namespace

std::unique_ptr<PagePolicyIf> make_page_policy(PagePolicy p) {
  switch (p) {
    case PagePolicy::closed:
      return std::make_unique<ClosedPage>();
    case PagePolicy::closed_adaptive:
      return std::make_unique<ClosedAdaptivePage>();
    case PagePolicy::open_adaptive:
      return std::make_unique<OpenAdaptivePage>();
    case PagePolicy::open:
      break;
  }
  return std::make_unique<OpenPage>();
}

}  // namespace hmasim
