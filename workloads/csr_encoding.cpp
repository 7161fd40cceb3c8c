#include "workloads/csr_encoding.hpp"

#include <array>
#include <stdexcept>
#include <string>

#include "workloads/bit_stream.hpp"
#include "workloads/nvdla_order.hpp"

namespace hmasim {

namespace {

constexpr unsigned kMaxIndexBits = 16;
constexpr unsigned kMaxCounterBits = 32;

// Calls f(row, column, gap) for every non-zero weight, rows in order and columns ascending; gap is
// the number of zero columns since the row's previous non-zero (or its start).
template <class F>
void for_each_non_zero(const KernelGeometry& g, const std::vector<std::uint64_t>& columns,
                       const std::vector<std::int8_t>& weights, F&& f) {
  const std::uint64_t per_kernel = columns.size();
  const std::uint64_t rows = g.groups * g.kernels_per_group;
  for (std::uint64_t row = 0; row < rows; ++row) {
    const std::int8_t* kernel = weights.data() + row * per_kernel;
    std::uint64_t next = 0;  // first column not yet covered by an entry
    for (std::uint64_t col = 0; col < per_kernel; ++col) {
      if (kernel[columns[col]] == 0) continue;
      f(row, col, col - next);
      next = col + 1;
    }
  }
}

// Entries a gap of `gap` zero columns adds as padding: each covers 2^index_bits columns.
std::uint64_t padding_entries(std::uint64_t gap, unsigned index_bits) {
  return gap >> index_bits;
}

// The index width minimising entries x (value bits + index bits).
unsigned best_index_bits(const KernelGeometry& g, const std::vector<std::uint64_t>& columns,
                         const std::vector<std::int8_t>& weights, unsigned value_bits) {
  std::array<std::uint64_t, kMaxIndexBits + 1> padding{};
  std::uint64_t non_zeros = 0;
  for_each_non_zero(g, columns, weights, [&](std::uint64_t, std::uint64_t, std::uint64_t gap) {
    ++non_zeros;
    for (unsigned b = 1; b <= kMaxIndexBits; ++b) padding[b] += padding_entries(gap, b);
  });
  unsigned best = 1;
  for (unsigned b = 2; b <= kMaxIndexBits; ++b) {
    if ((non_zeros + padding[b]) * (value_bits + b) <
        (non_zeros + padding[best]) * (value_bits + best)) {
      best = b;
    }
  }
  return best;
}

}  // namespace

std::uint64_t csr_entries(const KernelGeometry& g, const NvdlaAtoms& atoms,
                          const std::vector<std::int8_t>& weights, unsigned index_bits) {
  check_weight_count(g, weights);
  std::uint64_t entries = 0;
  for_each_non_zero(g, nvdla_kernel_columns(g, atoms), weights,
                    [&](std::uint64_t, std::uint64_t, std::uint64_t gap) {
                      entries += 1 + padding_entries(gap, index_bits);
                    });
  return entries;
}

void encode_csr(const KernelGeometry& g, const NvdlaAtoms& atoms,
                const std::vector<std::int8_t>& weights, const ValueCoder& coder,
                const CsrOptions& options, std::vector<EncodedStructure>& out) {
  check_weight_count(g, weights);
  const std::vector<std::uint64_t> columns = nvdla_kernel_columns(g, atoms);
  const unsigned index_bits =
      options.index_bits ? options.index_bits : best_index_bits(g, columns, weights, coder.bits());
  const unsigned counter_bits =
      options.counter_bits ? options.counter_bits : std::max(1u, bit_width(columns.size()));
  if (index_bits > kMaxIndexBits || counter_bits > kMaxCounterBits) {
    throw std::invalid_argument("csr: index bits must be 1.." + std::to_string(kMaxIndexBits) +
                                " and counter bits 1.." + std::to_string(kMaxCounterBits));
  }
  const std::uint64_t widest_gap = low_bits_mask(index_bits);
  BitWriter values, indices, counters;
  std::uint64_t entries = 0;
  auto put = [&](std::uint64_t relative_index, std::uint32_t code) {
    indices.put(relative_index, index_bits);
    values.put(code, coder.bits());
    ++entries;
  };
  const std::uint64_t rows = g.groups * g.kernels_per_group;
  std::uint64_t row_done = 0;         // rows whose counter is written
  std::uint64_t row_first_entry = 0;  // entries before the current row
  auto close_rows_before = [&](std::uint64_t row) {
    for (; row_done < row; ++row_done) {
      const std::uint64_t n = entries - row_first_entry;
      if (n > low_bits_mask(counter_bits)) {
        throw std::invalid_argument("csr: a row of " + std::to_string(n) + " entries overflows " +
                                    std::to_string(counter_bits) + "-bit row counters");
      }
      counters.put(n, counter_bits);
      row_first_entry = entries;
    }
  };
  // Padding entries store a zero: a look-up table without zero has no code for it, but then the
  // layer has no zeros and so no gaps.
  const bool zero_storable = coder.exact(0);
  auto visit = [&](std::uint64_t row, std::uint64_t col, std::uint64_t gap) {
    close_rows_before(row);
    for (; gap > widest_gap; gap -= widest_gap + 1) {
      if (!zero_storable) throw std::logic_error("csr: the value coder cannot store zero padding");
      put(widest_gap, coder.encode(0));  // the stored zero sits at the last column it covers
    }
    put(gap, coder.encode(weights[row * columns.size() + columns[col]]));
  };
  for_each_non_zero(g, columns, weights, visit);
  close_rows_before(rows);
  values.align(kDataAlignment);
  indices.align(kDataAlignment);
  counters.align(kDataAlignment);

  out.push_back(make_structure(StructureKind::values, coder.bits(), entries, values.take()));
  out.push_back(make_structure(StructureKind::indices, index_bits, entries, indices.take()));
  out.push_back(make_structure(StructureKind::counters, counter_bits, rows, counters.take()));
}

void decode_csr(const KernelGeometry& g, const EncodedLayer& stored, const ValueCoder& coder,
                DecodedLayer& out) {
  const EncodedStructure& values = stored.require(StructureKind::values);
  const EncodedStructure& indices = stored.require(StructureKind::indices);
  const EncodedStructure& counters = stored.require(StructureKind::counters);
  check_source_range(values);
  const std::vector<std::uint64_t> columns = nvdla_kernel_columns(g, stored.atoms);
  const std::uint64_t per_kernel = columns.size();
  const unsigned value_bits = coder.bits();
  const unsigned index_bits = std::min(indices.element_bits, kMaxElementBits);
  const unsigned counter_bits = std::min(counters.element_bits, kMaxElementBits);
  // Entries both arrays hold; the walk ends there whatever the counters say.
  const std::uint64_t capacity = std::min(8 * values.bytes.size() / std::max(1u, value_bits),
                                          8 * indices.bytes.size() / std::max(1u, index_bits));

  out.weights.assign(g.weights(), 0);
  out.source.assign(g.weights(), 0);
  const std::uint64_t rows = g.groups * g.kernels_per_group;
  std::uint64_t entry = 0;
  for (std::uint64_t row = 0; row < rows && entry < capacity; ++row) {
    const std::uint64_t count = read_bits(counters.bytes, row * counter_bits, counter_bits);
    std::uint64_t col = 0;  // next column
    for (std::uint64_t e = 0; e < count && entry < capacity; ++e, ++entry, ++col) {
      // Clamped so that a run of large corrupted indices cannot wrap around.
      col = std::min(per_kernel, col + read_bits(indices.bytes, entry * index_bits, index_bits));
      if (col >= per_kernel) {
        ++out.format_errors;
        continue;
      }
      const std::uint64_t i = row * per_kernel + columns[col];
      const std::uint64_t at = entry * value_bits;
      out.weights[i] = coder.decode(read_bits(values.bytes, at, value_bits));
      out.source[i] = value_source(at, values);
    }
  }
}

}  // namespace hmasim
