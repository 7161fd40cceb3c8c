#include "mem/lpddr4/address_mapping.hpp"

#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace hmasim {

namespace {

// Parses "12" or "3-9" into [lo, hi]; returns false (with `why`) if malformed.
bool parse_entry(const std::string& text, unsigned& lo, unsigned& hi, std::string& why) {
  auto number = [&](const std::string& s, unsigned& out) {
    std::size_t i = 0;
    while (i < s.size() && s[i] == ' ') ++i;
    std::size_t j = s.size();
    while (j > i && s[j - 1] == ' ') --j;
    if (i == j) return false;
    for (std::size_t k = i; k < j; ++k) {
      if (!std::isdigit(static_cast<unsigned char>(s[k]))) return false;
    }
    const unsigned long v = std::strtoul(s.substr(i, j - i).c_str(), nullptr, 10);
    if (v >= AddressMapping::kAddressBits) {
      why = "bit " + s.substr(i, j - i) + " is beyond the 64-bit address";
      return false;
    }
    out = static_cast<unsigned>(v);
    return true;
  };
  const auto dash = text.find('-');
  if (dash == std::string::npos) {
    if (!number(text, lo)) {
      if (why.empty()) why = "'" + text + "' is not a bit number or a range such as \"11-26\"";
      return false;
    }
    hi = lo;
    return true;
  }
  if (!number(text.substr(0, dash), lo) || !number(text.substr(dash + 1), hi)) {
    if (why.empty()) why = "'" + text + "' is not a bit number or a range such as \"11-26\"";
    return false;
  }
  if (lo > hi) {
    why = "range '" + text + "' must be written low-high (bits are listed least significant first)";
    return false;
  }
  return true;
}

std::string bit_list(const std::vector<unsigned>& bits) {
  std::string s;
  for (std::size_t i = 0; i < bits.size();) {
    std::size_t j = i;
    while (j + 1 < bits.size() && bits[j + 1] == bits[j] + 1) ++j;
    if (!s.empty()) s += ',';
    s += std::to_string(bits[i]);
    if (j > i) s += "-" + std::to_string(bits[j]);
    i = j + 1;
  }
  return s;
}

}  // namespace

int AddressMapping::add_field(const std::string& name, std::vector<unsigned> bits) {
  Field f;
  f.name = name;
  int clash = -1;
  for (unsigned b : bits) {
    const std::uint64_t m = std::uint64_t{1} << b;
    if ((used_mask_ & m) != 0 && clash < 0) clash = static_cast<int>(b);
    used_mask_ |= m;
  }
  // Group consecutive address bits that also land on consecutive field bits into one run.
  for (std::size_t i = 0; i < bits.size();) {
    std::size_t j = i;
    while (j + 1 < bits.size() && bits[j + 1] == bits[j] + 1) ++j;
    const unsigned width = static_cast<unsigned>(j - i + 1);
    Run r;
    r.source = static_cast<std::uint8_t>(bits[i]);
    r.dest = static_cast<std::uint8_t>(i);
    r.mask = width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1;
    f.runs[f.run_count++] = r;
    i = j + 1;
  }
  f.bits = std::move(bits);
  fields_.push_back(std::move(f));
  return clash;
}

AddressMapping AddressMapping::parse(const ConfigNode& node,
                                     const std::vector<std::string>& fields) {
  AddressMapping m;
  for (const std::string& name : fields) {
    std::vector<unsigned> bits;
    const YAML::Node list = node.raw(name);
    bool ok = true;
    if (list.IsDefined() && !list.IsNull()) {
      if (!list.IsSequence()) {
        node.error(name, "expected a list of address bits such as [0] or [\"11-26\"]");
        ok = false;
      } else {
        std::size_t index = 0;
        for (const auto& entry : list) {
          ++index;
          std::string why;
          unsigned lo = 0, hi = 0;
          if (!entry.IsScalar() || !parse_entry(entry.Scalar(), lo, hi, why)) {
            if (why.empty()) why = "entry is not a bit number or a range such as \"11-26\"";
            node.error(name, "entry " + std::to_string(index) + ": " + why);
            ok = false;
            continue;
          }
          for (unsigned b = lo; b <= hi; ++b) {
            for (unsigned x : bits) {
              if (x == b) {
                node.error(name, "bit " + std::to_string(b) + " is listed twice");
                ok = false;
              }
            }
            bits.push_back(b);
          }
        }
      }
    }
    if (!ok) bits.clear();
    // Which earlier field already holds a bit, for a message naming both.
    for (unsigned b : bits) {
      if ((m.used_mask_ & (std::uint64_t{1} << b)) == 0) continue;
      for (const Field& other : m.fields_) {
        for (unsigned x : other.bits) {
          if (x == b) {
            node.error(name, "address bit " + std::to_string(b) + " is used by both '" +
                                 other.name + "' and '" + name + "'");
          }
        }
      }
    }
    m.add_field(name, std::move(bits));
  }
  return m;
}

AddressMapping AddressMapping::from_bits(const std::vector<std::string>& fields,
                                         const std::vector<std::vector<unsigned>>& bits) {
  if (fields.size() != bits.size()) {
    throw std::invalid_argument("address mapping: one bit list per field expected");
  }
  AddressMapping m;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    for (unsigned b : bits[i]) {
      if (b >= kAddressBits) {
        throw std::invalid_argument("address mapping: bit " + std::to_string(b) +
                                    " is beyond the 64-bit address");
      }
    }
    if (m.add_field(fields[i], bits[i]) >= 0) {
      throw std::invalid_argument("address mapping: field '" + fields[i] +
                                  "' reuses an address bit");
    }
  }
  return m;
}

std::uint64_t AddressMapping::compose(const std::vector<std::uint64_t>& values) const {
  std::uint64_t a = 0;
  for (std::size_t f = 0; f < fields_.size() && f < values.size(); ++f) {
    const auto& bits = fields_[f].bits;
    for (std::size_t i = 0; i < bits.size(); ++i) {
      a |= ((values[f] >> i) & 1u) << bits[i];
    }
  }
  return a;
}

std::string AddressMapping::describe() const {
  std::string s;
  for (const Field& f : fields_) {
    if (!s.empty()) s += ' ';
    s += f.name + "[" + bit_list(f.bits) + "]";
  }
  return s;
}

}  // namespace hmasim
