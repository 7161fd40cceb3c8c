// Where the workload tests find their inputs.
#pragma once

#include <string>

namespace hmasim::test {

// The shipped network files.
inline std::string network_file(const std::string& name) {
  return std::string(HMASIM_SOURCE_DIR) + "/workloads/networks/" + name + ".yaml";
}
// Third-party topology files (read-only; in CI the shared/ folder sits beside the repository).
inline const std::string kExternalWorkloads = HMASIM_SOURCE_DIR "/../shared/external-workloads/";
// Test inputs of this folder.
inline const std::string kWorkloadData = HMASIM_SOURCE_DIR "/tests/workloads/data/";

}  // namespace hmasim::test
