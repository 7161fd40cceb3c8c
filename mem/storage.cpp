#include "mem/storage.hpp"

#include <algorithm>
#include <cstring>

namespace hmasim {

void SparseStorage::read(std::uint64_t address, std::uint8_t* dst, std::size_t length) const {
  while (length > 0) {
    const std::uint64_t page = address / kPageBytes;
    const std::size_t offset = address % kPageBytes;
    const std::size_t n = std::min(length, kPageBytes - offset);
    auto it = pages_.find(page);
    if (it == pages_.end()) {
      std::memset(dst, 0, n);
    } else {
      std::memcpy(dst, it->second->data() + offset, n);
    }
    address += n;
    dst += n;
    length -= n;
  }
}

void SparseStorage::write(std::uint64_t address, const std::uint8_t* src, std::size_t length) {
  while (length > 0) {
    const std::uint64_t page = address / kPageBytes;
    const std::size_t offset = address % kPageBytes;
    const std::size_t n = std::min(length, kPageBytes - offset);
    auto& slot = pages_[page];
    if (!slot) slot = std::make_unique<Page>(Page{});
    std::memcpy(slot->data() + offset, src, n);
    address += n;
    src += n;
    length -= n;
  }
}

void NoStorage::read(std::uint64_t, std::uint8_t* dst, std::size_t length) const {
  std::memset(dst, 0, length);
}

}  // namespace hmasim
