// NumPy .npy files of 8-bit integers: the format of the digits test set (data/digits/) and of
// `hmasim run --inputs / --labels`. Only what NumPy's np.save writes for a C-ordered int8 or uint8
// array: the magic "\x93NUMPY", version 1, 2 or 3, a header dict with 'descr' ('|i1', '<i1', '|u1'
// or '<u1'), 'fortran_order': False and 'shape', then the elements. Anything else is refused with
// a message naming the file.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace hmasim {

class NpyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Npy8Array {
  bool is_signed = true;             // int8 ('i1') or uint8 ('u1')
  std::vector<std::uint64_t> shape;  // row-major
  std::vector<std::uint8_t> bytes;   // the elements as stored (int8 as two's complement)

  std::uint64_t elements() const;
  std::int8_t int8(std::uint64_t i) const { return static_cast<std::int8_t>(bytes[i]); }
};

// Throws NpyError ("file: ...") for an unreadable, malformed or other-typed file.
Npy8Array read_npy8(const std::string& path);

}  // namespace hmasim
