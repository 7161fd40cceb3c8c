#include "mem/faults/fault_injector.hpp"

#include <algorithm>
#include <bitset>
#include <cmath>
#include <stdexcept>

#include "core/seed.hpp"

namespace hmasim {

namespace {

// The draws of one (unit, epoch): the splitmix64 sequence that starts at the unit's key.
class UnitDraws {
 public:
  explicit UnitDraws(std::uint64_t key) : state_(key) {}
  std::uint64_t next() {
    state_ += 0x9E3779B97F4A7C15ull;
    return mix64(state_);
  }
  // In [0, 1), 53 bits.
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

unsigned popcount(std::uint32_t v) {
  return static_cast<unsigned>(std::bitset<32>(v).count());
}

}  // namespace

const char* to_string(FaultMode mode) {
  switch (mode) {
    case FaultMode::program:
      return "program";
    case FaultMode::read:
      return "read";
    case FaultMode::off:
      break;
  }
  return "off";
}

std::optional<FaultMode> fault_mode_from_string(const std::string& text) {
  if (text == "off") return FaultMode::off;
  if (text == "program") return FaultMode::program;
  if (text == "read") return FaultMode::read;
  return std::nullopt;
}

std::uint32_t FaultInjector::UnitReads::next(std::uint64_t unit) {
  const std::uint64_t page = unit / kPageUnits;
  if (page >= pages_.size()) pages_.resize(page + 1);
  auto& p = pages_[page];
  if (!p) p = std::make_unique<std::array<std::uint32_t, kPageUnits>>();  // zero-initialised
  return (*p)[unit % kPageUnits]++;
}

// One request: the bytes it returns and the cells it delivers.
struct FaultInjector::Request {
  std::uint64_t offset;
  std::uint8_t* data;
  std::uint64_t length;
  const StoredBytes& stored;
  std::uint64_t first_cell, end_cell;  // cells with at least one bit in the request

  bool holds(std::uint64_t byte) const { return byte - offset < length; }  // wraps below offset
};

FaultInjector::FaultInjector(const MlcFaultModel& model, const CellLayout& layout, FaultMode mode,
                             std::uint64_t seed, std::uint64_t stream)
    : layout_(layout),
      mode_(mode),
      bits_(model.bits_per_cell()),
      cells_(cells_for_bytes(layout.length.value(), model.bits_per_cell())),
      key_(mix64(mix64(mix64(seed) ^ stream) ^ static_cast<std::uint64_t>(mode))) {
  if (layout.cells_per_unit == 0) {
    throw std::invalid_argument("fault injector: cells_per_unit must be positive");
  }
  const double p_max = model.max_misread();
  if (mode == FaultMode::off || !(p_max > 0.0)) return;
  for (std::size_t l = 0; l < model.level_count(); ++l) {
    accept_down_.push_back(model.p_down(l) / p_max);
    accept_misread_.push_back(model.p_misread(l) / p_max);
  }
  // Binomial(n, p_max) probabilities of the candidate count, then their upper tails summed from
  // the smallest terms up (no cancellation, so tiny tails keep their relative precision).
  const std::uint32_t n = layout.cells_per_unit;
  std::vector<double> pmf(std::size_t{n} + 1, 0.0);
  pmf[0] = std::exp(static_cast<double>(n) * std::log1p(-p_max));
  const double odds = p_max / (1.0 - p_max);
  for (std::uint32_t k = 0; k < n && p_max < 1.0; ++k) {
    pmf[k + 1] = pmf[k] * static_cast<double>(n - k) / static_cast<double>(k + 1) * odds;
  }
  if (!(p_max < 1.0)) pmf.back() = 1.0;  // every cell a candidate
  double tail = 0.0;
  more_than_.assign(std::size_t{n} + 1, 0);
  for (std::uint32_t k = n; k-- > 0;) {
    tail += pmf[k + 1];
    const double scaled = std::ldexp(std::min(tail, 1.0), 64);
    more_than_[k] = scaled >= 0x1.0p64 ? ~std::uint64_t{0} : static_cast<std::uint64_t>(scaled);
  }
  while (!more_than_.empty() && more_than_.back() == 0) more_than_.pop_back();
}

void FaultInjector::read(std::uint64_t offset, std::uint8_t* data, std::uint64_t length,
                         const StoredBytes& stored) {
  if (offset > layout_.length.value() || length > layout_.length.value() - offset) {
    throw std::invalid_argument("fault injector: read of " + std::to_string(length) +
                                " bytes at offset " + std::to_string(offset) +
                                " leaves the region of " + std::to_string(layout_.length.value()) +
                                " bytes");
  }
  if (mode_ == FaultMode::off || length == 0) return;
  const auto b = static_cast<std::uint64_t>(bits_);
  Request r{offset, data, length, stored, offset * 8 / b, ((offset + length) * 8 + b - 1) / b};
  stats_.cells_read += r.end_cell - r.first_cell;
  if (more_than_.empty()) return;  // no cell can be misread
  const std::uint64_t first_unit = r.first_cell / layout_.cells_per_unit;
  const std::uint64_t last_unit = (r.end_cell - 1) / layout_.cells_per_unit;
  const std::uint64_t any_candidate = more_than_[0];
  for (std::uint64_t u = first_unit; u <= last_unit; ++u) {
    // The first word of draw `epoch` of unit u decides how many candidates the unit has:
    // usually none, at the cost of this hash and comparison (later reads hash once more).
    const std::uint64_t epoch =
        mode_ == FaultMode::read
            ? reads_.next(u)
            : (programmings_ ? programmings_(u * layout_.cells_per_unit * b / 8) : 0);
    std::uint64_t word = mix64(key_ + u * 0x9E3779B97F4A7C15ull);
    if (epoch != 0) word = mix64(word ^ epoch);
    if (word < any_candidate) draw_candidates(u, word, r);
  }
}

void FaultInjector::draw_candidates(std::uint64_t unit, std::uint64_t word, Request& r) {
  std::uint32_t count = 1;
  while (count < more_than_.size() && word < more_than_[count]) ++count;

  UnitDraws draws(word);
  const std::uint64_t n = layout_.cells_per_unit;
  const std::uint64_t begin = unit * n;
  chosen_.clear();
  while (chosen_.size() < count) {
    // A uniform position among the unit's cells (multiply-shift), distinct from earlier ones.
    const auto at = static_cast<std::uint32_t>(((draws.next() >> 32) * n) >> 32);
    if (std::find(chosen_.begin(), chosen_.end(), at) != chosen_.end()) continue;
    chosen_.push_back(at);
    const double accept = draws.unit();  // drawn for every candidate: see the header
    const std::uint64_t cell = begin + at;
    if (cell >= r.first_cell && cell < r.end_cell) apply(cell, accept, r);
  }
}

void FaultInjector::apply(std::uint64_t cell, double accept, Request& r) {
  const CellPosition at = cell_position(cell, bits_);
  const bool straddles = at.shift + static_cast<unsigned>(bits_) > 8;
  auto stored_byte = [&](std::uint64_t byte) -> std::uint8_t {
    if (r.holds(byte)) return r.data[byte - r.offset];
    return byte < layout_.length.value() ? r.stored(byte) : 0;  // padding past the region
  };
  const std::uint32_t code = code_from_bytes(
      stored_byte(at.byte), straddles ? stored_byte(at.byte + 1) : 0, at.shift, bits_);
  const std::uint32_t level = level_of_code(code, layout_.coding);
  std::uint32_t misread;
  if (accept < accept_down_[level]) {
    misread = level - 1;
  } else if (accept < accept_misread_[level]) {
    misread = level + 1;
  } else {
    return;
  }
  ++stats_.level_faults;
  const std::uint32_t flip = (code ^ code_of_level(misread, layout_.coding)) << at.shift;
  for (unsigned k = 0; k < 2; ++k) {
    const std::uint32_t bits = (flip >> (8 * k)) & 0xFFu;
    if (bits == 0 || !r.holds(at.byte + k)) continue;
    r.data[at.byte + k - r.offset] ^= static_cast<std::uint8_t>(bits);
    stats_.bit_errors += popcount(bits);
  }
}

double MeasuredRates::down_rate(std::size_t level) const {
  return cells[level] ? static_cast<double>(down[level]) / static_cast<double>(cells[level]) : 0.0;
}

double MeasuredRates::up_rate(std::size_t level) const {
  return cells[level] ? static_cast<double>(up[level]) / static_cast<double>(cells[level]) : 0.0;
}

std::uint64_t MeasuredRates::misreads() const {
  std::uint64_t n = 0;
  for (std::size_t l = 0; l < cells.size(); ++l) n += down[l] + up[l];
  return n;
}

double MeasuredRates::mean_rate() const {
  std::uint64_t n = 0;
  for (std::uint64_t c : cells) n += c;
  return n ? static_cast<double>(misreads()) / static_cast<double>(n) : 0.0;
}

MeasuredRates measure_misread_rates(const MlcFaultModel& model, LevelCoding coding, FaultMode mode,
                                    std::uint64_t seed, std::uint64_t cells,
                                    std::uint32_t cells_per_unit) {
  const int b = model.bits_per_cell();
  const std::uint64_t levels = model.level_count();
  const auto level_of_cell = [&](std::uint64_t cell) {
    return static_cast<std::uint32_t>(cell % levels);
  };
  // Whole bytes of whole cells: 8 cells are b bytes.
  const std::uint64_t bytes = (cells + 7) / 8 * static_cast<std::uint64_t>(b);
  FaultInjector injector(model, CellLayout{Bytes(bytes), coding, cells_per_unit}, mode, seed);
  // Chunks of whole units and whole bytes keep the working set small without cutting cells.
  const std::uint64_t chunk_cells =
      8 * std::uint64_t{cells_per_unit} * std::max<std::uint64_t>(1, 65536 / cells_per_unit);
  const std::uint64_t chunk_bytes = chunk_cells / 8 * static_cast<std::uint64_t>(b);

  MeasuredRates m;
  m.cells.assign(levels, 0);
  m.down.assign(levels, 0);
  m.up.assign(levels, 0);
  std::vector<std::uint8_t> buf(chunk_bytes);
  for (std::uint64_t first = 0; first < cells; first += chunk_cells) {
    const std::uint64_t offset = first / 8 * static_cast<std::uint64_t>(b);
    const std::uint64_t length = std::min(chunk_bytes, bytes - offset);
    const std::uint64_t count = std::min(chunk_cells, cells - first);
    std::fill(buf.begin(), buf.end(), 0);
    for (std::uint64_t i = 0; i < count; ++i) {
      set_cell_code(buf.data(), length, i, b, code_of_level(level_of_cell(first + i), coding));
    }
    // Chunks start on a byte and a cell boundary, so no cell reaches outside the request.
    injector.read(offset, buf.data(), length, [](std::uint64_t) -> std::uint8_t { return 0; });
    for (std::uint64_t i = 0; i < count; ++i) {
      const std::uint32_t stored = level_of_cell(first + i);
      const std::uint32_t code = cell_code(buf.data(), length, i, b);
      const std::uint32_t read = level_of_code(code, coding);
      m.bit_errors += popcount(code ^ code_of_level(stored, coding));
      ++m.cells[stored];
      if (read < stored) ++m.down[stored];
      if (read > stored) ++m.up[stored];
    }
  }
  m.stats = injector.stats();
  return m;
}

}  // namespace hmasim
