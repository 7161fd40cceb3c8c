// Result files are written to a temporary name and renamed when complete, so an interrupted run
// never leaves a half-written file that looks whole.
#pragma once

#include <string>

namespace hmasim {

// Writes `content` to `path` atomically (temp file + rename). Throws std::runtime_error naming the
// path on failure.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace hmasim
