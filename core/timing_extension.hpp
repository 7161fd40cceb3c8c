// An optional TLM extension through which a memory target tells a pipelining initiator when it
// accepted a request (its queue had room), separately from when the request completes (the
// annotated delay). Initiators that do not attach it lose nothing.
#pragma once

#include <tlm>

#include "core/units.hpp"

namespace hmasim {

class TimingExtension : public tlm::tlm_extension<TimingExtension> {
 public:
  Time accepted{0};   // absolute simulated time the target took the request
  Time completed{0};  // absolute simulated time of the response (last data beat)

  tlm::tlm_extension_base* clone() const override { return new TimingExtension(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    *this = static_cast<const TimingExtension&>(other);
  }
};

}  // namespace hmasim
