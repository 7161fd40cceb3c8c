// One burst waiting in the buffered controller's request buffer: a request is split into bursts
// (BL x width), each mapped to one bank of one channel, and served by its own column command.
#pragma once

#include <cstdint>

#include "core/units.hpp"

namespace hmasim {

struct BufferedBurst {
  std::uint64_t seq = 0;      // arrival order of the request (ties: burst order inside it)
  std::uint32_t request = 0;  // the front end's request slot
  std::uint32_t row = 0;
  bool write = false;
  bool last_in_row = true;  // the request's last burst to this bank and row (closed page)
  Cycles arrival{0};        // no command for it before this cycle
};

}  // namespace hmasim
