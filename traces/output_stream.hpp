// A trace file written as the run goes: created exclusively (never through a symlink, never over
// an existing file), buffered, and flushed to disk on close so that a run directory swapped in
// afterwards holds complete files. Write errors (a full disk) surface as OutputError on close.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace hmasim {

class OutputStream {
 public:
  // Creates `path` (which must not exist). Throws OutputError.
  explicit OutputStream(std::string path);
  OutputStream(const OutputStream&) = delete;
  OutputStream& operator=(const OutputStream&) = delete;
  // Closes without reporting errors: a stream not closed explicitly belongs to a failed run.
  ~OutputStream();

  void write(std::string_view s) {
    if (file_ != nullptr) bytes_ += std::fwrite(s.data(), 1, s.size(), file_);
  }
  // Flushes, fsyncs and closes; throws OutputError if any write failed. Idempotent.
  void close();

  const std::string& path() const { return path_; }
  // Bytes written so far.
  std::uint64_t bytes() const { return bytes_; }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  std::uint64_t bytes_ = 0;
};

}  // namespace hmasim
