// libFuzzer harness: the `.stl` request-trace reader (mem/stl_trace.hpp), reading every request.
// A TraceError is the clean refusal; anything else, or a request that breaks what the header
// promises, is a finding.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>

#include "mem/stl_trace.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  // 64 B, the replay command's default request length.
  hmasim::StlTraceReader reader(in, "fuzz.stl", 64);
  hmasim::TraceRequest r;
  std::uint64_t last_cycle = 0;
  std::int64_t last_line = 0;
  try {
    while (reader.next(r)) {
      // What the replayer relies on: a length of 1 B .. 1 MiB, a last byte inside the 64-bit
      // address space, data only on writes and of exactly that length, cycles that never go
      // back, line numbers that only go forward.
      if (r.length == 0 || r.length > hmasim::kMaxTraceRequestBytes) __builtin_trap();
      if (r.address > std::numeric_limits<std::uint64_t>::max() - (r.length - 1)) {
        __builtin_trap();
      }
      if (!r.data.empty() && (!r.write || r.data.size() != r.length)) __builtin_trap();
      if (r.cycle < last_cycle || r.line <= last_line) __builtin_trap();
      last_cycle = r.cycle;
      last_line = r.line;
    }
  } catch (const hmasim::TraceError&) {
  }
  return 0;
}
