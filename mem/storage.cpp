#include "mem/storage.hpp"

#include <algorithm>
#include <cstring>

namespace hmasim {

namespace {
// Fibonacci hashing: consecutive page numbers spread over the table.
inline std::size_t slot_of(std::uint64_t key, std::size_t mask) {
  return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 20) & mask;
}

bool sparse_storage_all_zero(const std::uint8_t* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}
}  // namespace

std::uint8_t* SparseStorage::find(std::uint64_t page) const {
  if (slots_.empty()) return nullptr;
  const std::uint64_t key = page + 1;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = slot_of(key, mask);; i = (i + 1) & mask) {
    if (slots_[i].key == key) return slots_[i].page;
    if (slots_[i].key == 0) return nullptr;
  }
}

void SparseStorage::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : 2 * old.size(), Slot{});
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.key == 0) continue;
    std::size_t i = slot_of(s.key, mask);
    while (slots_[i].key != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

std::uint8_t* SparseStorage::find_or_create(std::uint64_t page) {
  if (std::uint8_t* p = find(page)) return p;
  if (2 * (pages_ + 1) > slots_.size()) grow();
  if (slab_used_ == kPagesPerSlab) {
    slabs_.push_back(std::make_unique<std::uint8_t[]>(kPagesPerSlab * kPageBytes));  // zeroed
    slab_used_ = 0;
  }
  std::uint8_t* fresh = slabs_.back().get() + kPageBytes * slab_used_++;
  const std::uint64_t key = page + 1;
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = slot_of(key, mask);
  while (slots_[i].key != 0) i = (i + 1) & mask;
  slots_[i] = Slot{key, fresh};
  ++pages_;
  return fresh;
}

void SparseStorage::clear() {
  slots_.clear();
  slabs_.clear();
  pages_ = 0;
  slab_used_ = kPagesPerSlab;
}

void SparseStorage::read(std::uint64_t address, std::uint8_t* dst, std::size_t length) const {
  while (length > 0) {
    const std::size_t offset = address % kPageBytes;
    const std::size_t n = std::min(length, kPageBytes - offset);
    if (const std::uint8_t* page = find(address / kPageBytes)) {
      std::memcpy(dst, page + offset, n);
    } else {
      std::memset(dst, 0, n);
    }
    address += n;
    dst += n;
    length -= n;
  }
}

void SparseStorage::write(std::uint64_t address, const std::uint8_t* src, std::size_t length) {
  while (length > 0) {
    const std::size_t offset = address % kPageBytes;
    const std::size_t n = std::min(length, kPageBytes - offset);
    if (std::uint8_t* page = find(address / kPageBytes)) {
      std::memcpy(page + offset, src, n);
    } else if (!sparse_storage_all_zero(src, n)) {
      // Zeros into a page never written change nothing: it reads as zero already. (Timing-only
      // traffic writes zeros: a random trace over gigabytes must not allocate a page per write.)
      std::memcpy(find_or_create(address / kPageBytes) + offset, src, n);
    }
    address += n;
    src += n;
    length -= n;
  }
}

void NoStorage::read(std::uint64_t, std::uint8_t* dst, std::size_t length) const {
  std::memset(dst, 0, length);
}

}  // namespace hmasim
