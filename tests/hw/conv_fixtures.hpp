// Test support: small convolution shapes for the datapath's unit tests.
#pragma once

#include "hw/accelerator_config.hpp"
#include "hw/conv_work.hpp"

namespace hmasim::test {

// A 'same'-padded hw x hw convolution of c channels into k kernels of r x r.
inline ConvWork same_conv(std::uint64_t hw, std::uint64_t c, std::uint64_t k, std::uint64_t r) {
  ConvWork w;
  w.in_h = w.in_w = w.out_h = w.out_w = hw;
  w.in_c = w.channels = c;
  w.kernels = k;
  w.r = w.s = r;
  w.padding = r / 2;
  return w;
}

// A CBUF of `kib` KiB in `banks` banks.
inline CbufConfig cbuf(std::uint64_t kib, std::uint32_t banks) {
  CbufConfig c;
  c.size = Bytes(kib * 1024);
  c.banks = banks;
  return c;
}

}  // namespace hmasim::test
