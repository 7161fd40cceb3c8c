// NumPy .npy files of 8-bit integers (and little-endian int16): the format of the digits test set
// (data/digits/) and of `hmasim run --inputs / --labels`. Only what NumPy's np.save writes for a
// C-ordered int8 or uint8 array (read_npy8), or int16 (read_npy_integers): the magic "\x93NUMPY",
// version 1, 2 or 3, a header dict with 'descr' ('|i1', '<i1', '|u1', '<u1'; '<i2'),
// 'fortran_order': False and 'shape', then the elements. Anything else is refused with a message
// naming the file.
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
  bool is_signed = true;             // int8 ('i1') or uint8 ('u1'); int16 ('<i2')
  std::uint32_t element_bytes = 1;   // 1, or 2 for int16
  std::vector<std::uint64_t> shape;  // row-major
  std::vector<std::uint8_t> bytes;   // the elements as stored (two's complement, little-endian)

  std::uint64_t elements() const;
  std::int8_t int8(std::uint64_t i) const { return static_cast<std::int8_t>(bytes[i]); }
  // Element i of an int16 array.
  std::int16_t int16(std::uint64_t i) const {
    return static_cast<std::int16_t>(
        static_cast<std::uint16_t>(bytes[2 * i] | (std::uint16_t{bytes[2 * i + 1]} << 8)));
  }
};

// Throws NpyError ("file: ...") for an unreadable, malformed or other-typed file (int16 too).
Npy8Array read_npy8(const std::string& path);
// The same, also accepting little-endian int16 ('<i2') elements.
Npy8Array read_npy_integers(const std::string& path);

}  // namespace hmasim
