#include "workloads/npy_file.hpp"

#include <cctype>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>

namespace hmasim {

namespace {

// The value of 'key' in the header dict, as written (up to the next ',' at depth 0 or '}').
bool npy_header_value(const std::string& header, const std::string& key, std::string& value) {
  const std::string quoted = "'" + key + "'";
  const std::size_t at = header.find(quoted);
  if (at == std::string::npos) return false;
  std::size_t i = header.find(':', at + quoted.size());
  if (i == std::string::npos) return false;
  ++i;
  int depth = 0;
  std::size_t end = i;
  for (; end < header.size(); ++end) {
    const char c = header[end];
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth == 0 && (c == ',' || c == '}')) break;
    if (depth < 0) return false;
  }
  value = header.substr(i, end - i);
  // Trim spaces.
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front())))
    value.erase(0, 1);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.pop_back();
  return true;
}

}  // namespace

std::uint64_t Npy8Array::elements() const {
  std::uint64_t n = 1;
  for (std::uint64_t d : shape) n *= d;
  return n;
}

Npy8Array read_npy8(const std::string& path) {
  Npy8Array a = read_npy_integers(path);
  if (a.element_bytes != 1) {
    throw NpyError(path + ": elements of type '<i2' (expected int8 '|i1' or uint8 '|u1')");
  }
  return a;
}

Npy8Array read_npy_integers(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw NpyError(path + ": cannot open the .npy file");
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto fail = [&](const std::string& why) { return NpyError(path + ": " + why); };
  if (bytes.size() < 10 || std::memcmp(bytes.data(), "\x93NUMPY", 6) != 0) {
    throw fail("not a .npy file (no \\x93NUMPY magic)");
  }
  const int major = static_cast<unsigned char>(bytes[6]);
  std::size_t header_len = 0, header_at = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    header_at = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) throw fail("truncated header");
    for (int i = 0; i < 4; ++i) {
      header_len |= std::size_t{static_cast<unsigned char>(bytes[8 + i])} << (8 * i);
    }
    header_at = 12;
  } else {
    throw fail(".npy version " + std::to_string(major) + " (expected 1, 2 or 3)");
  }
  if (header_len > bytes.size() - header_at) throw fail("truncated header");
  const std::string header = bytes.substr(header_at, header_len);
  std::string descr, fortran, shape;
  if (!npy_header_value(header, "descr", descr) ||
      !npy_header_value(header, "fortran_order", fortran) ||
      !npy_header_value(header, "shape", shape)) {
    throw fail("the header lacks descr, fortran_order or shape");
  }
  Npy8Array out;
  if (descr == "'|i1'" || descr == "'<i1'") {
    out.is_signed = true;
  } else if (descr == "'|u1'" || descr == "'<u1'") {
    out.is_signed = false;
  } else if (descr == "'<i2'") {
    out.element_bytes = 2;
  } else {
    throw fail("elements of type " + descr + " (expected int8 '|i1', uint8 '|u1' or int16 '<i2')");
  }
  if (fortran != "False") throw fail("fortran_order " + fortran + " (expected False)");
  if (shape.size() < 2 || shape.front() != '(' || shape.back() != ')') {
    throw fail("shape " + shape + " is not a tuple");
  }
  // "(360, 8, 8, 1)", "(360,)" or "()".
  std::uint64_t elements = 1;
  std::size_t i = 1;
  while (i + 1 < shape.size()) {
    while (i + 1 < shape.size() && (shape[i] == ' ' || shape[i] == ',')) ++i;
    if (i + 1 >= shape.size()) break;
    std::uint64_t d = 0;
    std::size_t digits = 0;
    for (; i + 1 < shape.size() && std::isdigit(static_cast<unsigned char>(shape[i]));
         ++i, ++digits) {
      if (d > (std::numeric_limits<std::uint64_t>::max() - 9) / 10) throw fail("shape too large");
      d = d * 10 + static_cast<std::uint64_t>(shape[i] - '0');
    }
    if (digits == 0) throw fail("shape " + shape + " is not a tuple of integers");
    if (d != 0 && elements > std::numeric_limits<std::uint64_t>::max() / d) {
      throw fail("shape too large");
    }
    elements *= d;
    out.shape.push_back(d);
  }
  const std::size_t data_at = header_at + header_len;
  if (elements > (bytes.size() - data_at) / out.element_bytes ||
      elements * out.element_bytes != bytes.size() - data_at) {
    throw fail("shape " + shape + " holds " + std::to_string(elements) + " elements, the file " +
               std::to_string((bytes.size() - data_at) / out.element_bytes));
  }
  out.bytes.assign(bytes.begin() + static_cast<std::ptrdiff_t>(data_at), bytes.end());
  return out;
}

}  // namespace hmasim
