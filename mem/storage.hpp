// Backing storage of a memory model, separate from its protocol and timing: the same model runs
// with real bytes (sparse pages, so a model of several GB allocates only what is written) or with
// no storage at all (timing-only studies; reads return zeros).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/units.hpp"

namespace hmasim {

// read and write take a buffer of `length` bytes and a range inside the memory; they do not check
// either (they sit on the hot path): MemoryTarget answers a null data pointer or an out-of-range
// request with a TLM error response before it reaches the storage, for b_transport and
// transport_dbg alike.
class Storage {
 public:
  virtual ~Storage() = default;
  virtual void read(std::uint64_t address, std::uint8_t* dst, std::size_t length) const = 0;
  virtual void write(std::uint64_t address, const std::uint8_t* src, std::size_t length) = 0;
  // Contents lost (e.g. SRAM powered off): every byte reads as zero again.
  virtual void clear() = 0;
  // Bytes actually allocated to hold contents.
  virtual Bytes resident() const = 0;
  virtual bool holds_data() const = 0;
};

// Pages of 1 KiB allocated on the first write of a non-zero byte; bytes never written read as zero.
// Pages come from zeroed slabs and are found through an open-addressing table: random traffic over
// gigabytes of address space must cost a hash probe, not an allocation and a page fault per access.
class SparseStorage final : public Storage {
 public:
  static constexpr std::size_t kPageBytes = 1024;
  void read(std::uint64_t address, std::uint8_t* dst, std::size_t length) const override;
  void write(std::uint64_t address, const std::uint8_t* src, std::size_t length) override;
  void clear() override;
  Bytes resident() const override { return Bytes(pages_ * kPageBytes); }
  bool holds_data() const override { return true; }

 private:
  struct Slot {
    std::uint64_t key = 0;  // page number + 1; 0 marks an empty slot
    std::uint8_t* page = nullptr;
  };
  static constexpr std::size_t kPagesPerSlab = 64;
  std::uint8_t* find(std::uint64_t page) const;
  std::uint8_t* find_or_create(std::uint64_t page);
  void grow();

  std::vector<Slot> slots_;  // power-of-two size, at most half full
  std::size_t pages_ = 0;
  std::vector<std::unique_ptr<std::uint8_t[]>> slabs_;
  std::size_t slab_used_ = kPagesPerSlab;  // pages handed out from the newest slab
};

// Timing-only mode: writes are dropped, reads return zeros.
class NoStorage final : public Storage {
 public:
  void read(std::uint64_t, std::uint8_t* dst, std::size_t length) const override;
  void write(std::uint64_t, const std::uint8_t*, std::size_t) override {}
  void clear() override {}
  Bytes resident() const override { return Bytes(0); }
  bool holds_data() const override { return false; }
};

}  // namespace hmasim
