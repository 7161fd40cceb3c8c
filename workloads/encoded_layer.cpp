#include "workloads/encoded_layer.hpp"

#include <stdexcept>

#include "workloads/bit_stream.hpp"

namespace hmasim {

const char* to_string(Encoding e) {
  switch (e) {
    case Encoding::dense:
      return "dense";
    case Encoding::cluster:
      return "cluster";
    case Encoding::bitmask:
      return "bitmask";
    case Encoding::csr:
      return "csr";
  }
  return "?";
}

std::optional<Encoding> parse_encoding(const std::string& name) {
  for (Encoding e : {Encoding::dense, Encoding::cluster, Encoding::bitmask, Encoding::csr}) {
    if (name == to_string(e)) return e;
  }
  return std::nullopt;
}

const char* to_string(StructureKind k) {
  switch (k) {
    case StructureKind::values:
      return "values";
    case StructureKind::mask:
      return "mask";
    case StructureKind::indices:
      return "indices";
    case StructureKind::counters:
      return "counters";
    case StructureKind::parity:
      return "parity";
    case StructureKind::idxsync:
      return "idxsync";
    case StructureKind::lut:
      return "lut";
  }
  return "?";
}

bool is_metadata(StructureKind k) {
  return k != StructureKind::values && k != StructureKind::lut;
}

std::string EncodedStructure::name() const {
  std::string n = to_string(kind);
  if (kind == StructureKind::parity) n += std::string(".") + to_string(protects);
  return n;
}

std::uint64_t EncodedStructure::cells(unsigned bits_per_cell) const {
  if (bits_per_cell == 0) throw std::invalid_argument("bits per cell must be positive");
  return ceil_div(8 * bytes.size(), bits_per_cell);
}

EncodedStructure make_structure(StructureKind kind, unsigned element_bits, std::uint64_t elements,
                                std::vector<std::uint8_t> bytes) {
  EncodedStructure s;
  s.kind = kind;
  s.protects = kind;
  s.element_bits = element_bits;
  s.elements = elements;
  s.bytes = std::move(bytes);
  return s;
}

const EncodedStructure* EncodedLayer::find(StructureKind kind) const {
  for (const auto& s : structures) {
    if (s.kind == kind && kind != StructureKind::parity) return &s;
  }
  return nullptr;
}

EncodedStructure* EncodedLayer::find(StructureKind kind) {
  return const_cast<EncodedStructure*>(static_cast<const EncodedLayer*>(this)->find(kind));
}

const EncodedStructure& EncodedLayer::require(StructureKind kind) const {
  const EncodedStructure* s = find(kind);
  if (!s) {
    throw std::invalid_argument(std::string(to_string(encoding)) + " encoding without a '" +
                                to_string(kind) + "' structure");
  }
  return *s;
}

const EncodedStructure* EncodedLayer::parity_of(StructureKind kind) const {
  for (const auto& s : structures) {
    if (s.kind == StructureKind::parity && s.protects == kind) return &s;
  }
  return nullptr;
}

std::uint64_t EncodedLayer::bytes() const {
  std::uint64_t total = 0;
  for (const auto& s : structures) total += s.bytes.size();
  return total;
}

void check_source_range(const EncodedStructure& values) {
  if (8 * values.bytes.size() + 1 >= kSourceOutside) {
    throw std::length_error("a values structure of " + std::to_string(values.bytes.size()) +
                            " bytes is too large to track the source of every weight");
  }
}

namespace {

template <class V>
std::uint64_t count_differences(const std::vector<V>& decoded, const std::vector<V>& reference) {
  if (decoded.size() != reference.size()) {
    throw std::invalid_argument("compare_weights: " + std::to_string(decoded.size()) +
                                " decoded weights, " + std::to_string(reference.size()) +
                                " in the reference");
  }
  std::uint64_t different = 0;
  for (std::size_t i = 0; i < reference.size(); ++i) different += decoded[i] != reference[i];
  return different;
}

}  // namespace

WeightErrors compare_weights(const DecodedLayer& decoded, const DecodedLayer& reference) {
  const bool wide = !reference.weights16.empty() || !decoded.weights16.empty();
  const std::size_t n = wide ? reference.weights16.size() : reference.weights.size();
  WeightErrors e;
  e.weights = n;
  e.corrupted = wide ? count_differences(decoded.weights16, reference.weights16)
                     : count_differences(decoded.weights, reference.weights);
  if (wide) return e;  // dense only: every weight has a fixed address, none is misplaced
  if (reference.source.size() == n && decoded.source.size() == n) {
    for (std::size_t i = 0; i < n; ++i) {
      e.misplaced += reference.weights[i] != 0 && decoded.source[i] != reference.source[i];
    }
  }
  return e;
}

}  // namespace hmasim
