// Seeded, order-independent injection of MLC read faults into bytes as they are read.
//
// Layout (CellLayout): a region of `length` bytes packed into b-bit cells (level_coding.hpp:
// LSB-first, binary or Gray levels), cells numbered from the region's first byte. Every
// `cells_per_unit` consecutive cells form an access unit: the cells one read access senses
// together (the technology's cells_per_access).
//
// Modes:
//   program  a persistent fault map: device variation left by programming. Each unit has one
//            draw per programming, so the same cells are misread on every read, each by the rule
//            of the level it stores, until the unit is programmed again: with set_programmings,
//            the unit's p-th reprogramming (p from that function; 0: the first programming) uses
//            draw p, so a rewrite draws its variation anew (program-and-verify settles each
//            cell afresh). Without it the seed stands for one programming of the array.
//   read     transient faults: every read access of a unit draws anew; the k-th read of a unit
//            uses draw k. A request reads every unit it touches in full, so a request split
//            inside a unit reads that unit twice, as the envm timing model counts two accesses.
//   off      nothing is injected.
//
// Randomness is counter-based, never a generator shared across reads: draw k of unit u comes
// from a splitmix64 sequence keyed by (seed, stream, mode, u, k) alone. Faults therefore do not
// depend on the order of reads, on which other units were read, or on how reads are split into
// requests: in program mode under any split, in read mode under splits at unit boundaries (and
// in general the k-th read of a cell depends on (seed, cell, k) only). `stream` separates
// regions that share a seed (envm: the region's base address and bits per cell).
//
// Speed (faults are rare, 1e-3..1e-8 per cell): each unit first draws how many candidate cells
// it has, Binomial(cells_per_unit, p_max) with p_max the largest per-level misread probability,
// then that many distinct uniform positions; a candidate storing level L is accepted as a
// down-slip with probability p_down(L) / p_max and as an up-slip with p_up(L) / p_max
// (thinning), which gives every cell exactly its level's rates, independently of the others. A
// unit without candidates, the common case, costs one hash and one comparison; a candidate
// costs two draws whether or not the request delivers it, so the outcome of a cell does not
// depend on which part of its unit was requested. (Per-unit probabilities below 2^-64 are not
// drawn: no simulation reads that many units.)
//
// A cell cut by the request's edge (3 bits per cell) is decided from the whole stored cell (the
// bits outside the request come from `stored`) and only its bits inside the request are
// corrupted, so splitting a request never changes the bytes program mode returns.
// Statistics count the cells whose bits a request delivers, misread levels among them, and the
// delivered bits those misreads flipped.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/units.hpp"
#include "mem/faults/level_coding.hpp"
#include "mem/faults/mlc_fault_model.hpp"

namespace hmasim {

enum class FaultMode { off, program, read };

const char* to_string(FaultMode mode);
// "off", "program" or "read"; nullopt for anything else.
std::optional<FaultMode> fault_mode_from_string(const std::string& text);

struct FaultStats {
  std::uint64_t cells_read = 0;    // cells whose bits were delivered (a cell per request)
  std::uint64_t level_faults = 0;  // of those, cells read as a neighbouring level
  std::uint64_t bit_errors = 0;    // delivered bits flipped by those misreads

  FaultStats& operator+=(const FaultStats& o) {
    cells_read += o.cells_read;
    level_faults += o.level_faults;
    bit_errors += o.bit_errors;
    return *this;
  }
};

struct CellLayout {
  Bytes length{0};  // bytes stored in the region
  LevelCoding coding = LevelCoding::gray;
  std::uint32_t cells_per_unit = 64;  // cells sensed by one read access
};

class FaultInjector {
 public:
  // The stored byte at a region offset outside the request (for cells cut by its edges).
  using StoredBytes = std::function<std::uint8_t(std::uint64_t offset)>;
  // How many times the cells at a region offset were programmed again after the first time.
  using Programmings = std::function<std::uint64_t(std::uint64_t offset)>;

  // The model's levels give the bits per cell. std::invalid_argument if cells_per_unit is 0.
  FaultInjector(const MlcFaultModel& model, const CellLayout& layout, FaultMode mode,
                std::uint64_t seed, std::uint64_t stream = 0);

  // Corrupts `data`, the bytes [offset, offset + length) of the region as read from storage, in
  // place. std::invalid_argument if the range leaves the region.
  void read(std::uint64_t offset, std::uint8_t* data, std::uint64_t length,
            const StoredBytes& stored);

  // Program mode: redraw a unit's faults after each reprogramming (see the header).
  void set_programmings(Programmings p) { programmings_ = std::move(p); }
  FaultMode mode() const { return mode_; }
  int bits_per_cell() const { return bits_; }
  const CellLayout& layout() const { return layout_; }
  std::uint64_t cells() const { return cells_; }
  const FaultStats& stats() const { return stats_; }

 private:
  // Read counts per access unit (read mode), in pages allocated on first touch, so memory
  // follows the bytes actually read rather than the capacity.
  class UnitReads {
   public:
    // The number of earlier reads of `unit`; counts this one.
    std::uint32_t next(std::uint64_t unit);

   private:
    static constexpr std::uint64_t kPageUnits = 4096;
    std::vector<std::unique_ptr<std::array<std::uint32_t, kPageUnits>>> pages_;
  };

  struct Request;
  // The candidates of access unit `unit` whose draw starts with `word` (which says how many
  // there are): misreads those the request delivers.
  void draw_candidates(std::uint64_t unit, std::uint64_t word, Request& r);
  void apply(std::uint64_t cell, double accept, Request& r);

  CellLayout layout_;
  FaultMode mode_;
  int bits_;
  std::uint64_t cells_;
  std::uint64_t key_;  // hash of (seed, stream, mode)
  // Thinning: per stored level, accept a candidate as down-slip below accept_down_, as up-slip
  // below accept_misread_ (both probabilities / p_max).
  std::vector<double> accept_down_, accept_misread_;
  // more_than_[k] = P(a unit has more than k candidates) x 2^64, down to the last non-zero one;
  // empty when no cell can be misread.
  std::vector<std::uint64_t> more_than_;
  std::vector<std::uint32_t> chosen_;  // candidate positions of the unit being drawn
  UnitReads reads_;
  Programmings programmings_;  // program mode: reprogrammings per offset (empty: none)
  FaultStats stats_;
};

// Misread rates measured by injection: `cells` cells holding levels 0, 1, ..., 2^b - 1 in turn
// (uniform over levels) are stored, read once through a FaultInjector and decoded.
struct MeasuredRates {
  std::vector<std::uint64_t> cells;     // per stored level
  std::vector<std::uint64_t> down, up;  // per stored level: read one level lower / higher
  std::uint64_t bit_errors = 0;         // bits that differ between stored and read cells
  FaultStats stats;                     // the injector's own count (includes padding cells)

  double down_rate(std::size_t level) const;
  double up_rate(std::size_t level) const;
  // Cells read as another level, and per cell over all cells.
  std::uint64_t misreads() const;
  double mean_rate() const;
};
MeasuredRates measure_misread_rates(const MlcFaultModel& model, LevelCoding coding, FaultMode mode,
                                    std::uint64_t seed, std::uint64_t cells,
                                    std::uint32_t cells_per_unit);

}  // namespace hmasim
