#include "mem/envm/envm_endurance.hpp"

#include <algorithm>
#include <stdexcept>

namespace hmasim {

EnduranceCounter::EnduranceCounter(Bytes capacity, Bytes block) : block_(block) {
  if (block.value() == 0) throw std::invalid_argument("endurance block size must be positive");
  counts_.assign((capacity.value() + block.value() - 1) / block.value(), 0);
}

void EnduranceCounter::record_write(std::uint64_t address, std::uint64_t length) {
  if (length == 0) return;
  const std::uint64_t first = address / block_.value();
  const std::uint64_t last =
      std::min<std::uint64_t>((address + length - 1) / block_.value(), counts_.size() - 1);
  for (std::uint64_t b = first; b <= last; ++b) {
    const std::uint64_t n = ++counts_[b];
    max_ = std::max(max_, n);
    ++total_;
  }
}

}  // namespace hmasim
