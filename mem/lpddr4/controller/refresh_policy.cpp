#include "mem/lpddr4/controller/refresh_policy.hpp"

namespace hmasim {

namespace {

class NoRefresh final : public RefreshPolicyIf {
 public:
  NoRefresh() : RefreshPolicyIf(kNever) {}
  int bank() const override { return kAllBanks; }
  void issued() override {}
  void restart(Cycles) override {}
};

class AllBankRefresh final : public RefreshPolicyIf {
 public:
  explicit AllBankRefresh(Cycles refi) : RefreshPolicyIf(refi), refi_(refi) {}
  int bank() const override { return kAllBanks; }
  void issued() override { due_ += refi_; }
  void restart(Cycles at) override { due_ = at + refi_; }

 private:
  Cycles refi_;
};

class PerBankRefresh final : public RefreshPolicyIf {
 public:
  PerBankRefresh(Cycles refipb, unsigned banks)
      : RefreshPolicyIf(refipb), refi_(refipb), banks_(banks) {}
  int bank() const override { return static_cast<int>(count_ % banks_); }
  void issued() override {
    due_ += refi_;
    ++count_;
  }
  void restart(Cycles at) override { due_ = at + refi_; }

 private:
  Cycles refi_;
  unsigned banks_;
  std::uint64_t count_ = 0;
};

}  // namespace

std::unique_ptr<RefreshPolicyIf> make_refresh_policy(const Lpddr4Config& c) {
  switch (c.refresh) {
    case RefreshPolicy::all_bank:
      return std::make_unique<AllBankRefresh>(c.timing.REFI);
    case RefreshPolicy::per_bank:
      return std::make_unique<PerBankRefresh>(c.timing.REFIpb, c.banks);
    case RefreshPolicy::none:
      break;
  }
  return std::make_unique<NoRefresh>();
}

}  // namespace hmasim
