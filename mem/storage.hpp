// Backing storage of a memory model, separate from its protocol and timing: the same model runs
// with real bytes (sparse pages, so a model of several GB allocates only what is written) or with
// no storage at all (timing-only studies; reads return zeros).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <unordered_map>

#include "core/units.hpp"

namespace hmasim {

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

// Pages of 4 KiB allocated on first write; bytes never written read as zero.
class SparseStorage final : public Storage {
 public:
  static constexpr std::size_t kPageBytes = 4096;
  void read(std::uint64_t address, std::uint8_t* dst, std::size_t length) const override;
  void write(std::uint64_t address, const std::uint8_t* src, std::size_t length) override;
  void clear() override { pages_.clear(); }
  Bytes resident() const override { return Bytes(pages_.size() * kPageBytes); }
  bool holds_data() const override { return true; }

 private:
  using Page = std::array<std::uint8_t, kPageBytes>;
  std::unordered_map<std::uint64_t, std::unique_ptr<Page>> pages_;
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
