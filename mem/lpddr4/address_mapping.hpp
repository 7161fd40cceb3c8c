// A bit-field address mapping: each named field (channel, bank, row, column ...) takes its value
// from a list of address bits, least significant bit first. Generic so that any banked memory can
// map addresses the way a real controller does (DRAMSys' address mapping JSON, Ramulator's
// "RoBaCoCh" orders), including scattered or XOR-free interleavings written bit by bit.
//
// YAML form: one list per field, entries are bit numbers or "a-b" ranges (a <= b, both included):
//   address_mapping: {byte: [0], column: ["1-10"], row: ["11-26"], bank: ["27-29"], channel: []}
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/config_node.hpp"

namespace hmasim {

class AddressMapping {
 public:
  static constexpr unsigned kAddressBits = 64;

  AddressMapping() = default;

  // Reads one bit list per name in `fields` from `node`; a missing key is an empty field.
  // Malformed entries, bits beyond 63 and a bit used twice are diagnostics at the field's key.
  static AddressMapping parse(const ConfigNode& node, const std::vector<std::string>& fields);
  // Builds a mapping from explicit bit lists (least significant first). Throws
  // std::invalid_argument if a bit is used twice or is beyond 63.
  static AddressMapping from_bits(const std::vector<std::string>& fields,
                                  const std::vector<std::vector<unsigned>>& bits);

  std::size_t field_count() const { return fields_.size(); }
  const std::string& name(std::size_t field) const { return fields_[field].name; }
  const std::vector<unsigned>& bits(std::size_t field) const { return fields_[field].bits; }
  unsigned width(std::size_t field) const {
    return static_cast<unsigned>(fields_[field].bits.size());
  }
  // Every address bit some field uses.
  std::uint64_t used_mask() const { return used_mask_; }
  // True if the used bits are exactly 0 .. n-1 for some n (no holes, so every address below 2^n
  // maps to one distinct tuple of field values).
  bool is_dense() const { return (used_mask_ & (used_mask_ + 1)) == 0; }

  // The value of `field` in `address`. Hot path: a few shifts per contiguous run of bits.
  std::uint64_t extract(std::uint64_t address, std::size_t field) const {
    const Field& f = fields_[field];
    std::uint64_t v = 0;
    for (std::uint8_t i = 0; i < f.run_count; ++i) {
      const Run& r = f.runs[i];
      v |= ((address >> r.source) & r.mask) << r.dest;
    }
    return v;
  }
  // The address whose fields hold `values` (one per field, in field order): the inverse of
  // extract over the used bits.
  std::uint64_t compose(const std::vector<std::uint64_t>& values) const;

  // "byte[0] column[1-10] ..." for messages.
  std::string describe() const;

 private:
  // A run of consecutive address bits that land on consecutive field bits.
  struct Run {
    std::uint8_t source = 0;  // lowest address bit of the run
    std::uint8_t dest = 0;    // field bit it lands on
    std::uint64_t mask = 0;   // (1 << width) - 1
  };
  struct Field {
    std::string name;
    std::vector<unsigned> bits;
    // Runs in a fixed array (at most one per address bit), so extract() never chases a heap
    // pointer; a usual mapping has one or two runs per field.
    std::array<Run, kAddressBits> runs{};
    std::uint8_t run_count = 0;
  };
  // Adds a field; returns the bit already used by another field, or -1.
  int add_field(const std::string& name, std::vector<unsigned> bits);

  std::vector<Field> fields_;
  std::uint64_t used_mask_ = 0;
};

}  // namespace hmasim
