#include "traces/output_stream.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/file_output.hpp"

namespace hmasim {

namespace {
// Large enough that a trace costs few system calls, small enough to keep several files open.
constexpr std::size_t kBufferBytes = 1 << 20;
}  // namespace

OutputStream::OutputStream(std::string path) : path_(std::move(path)) {
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) {
    throw OutputError("cannot create '" + path_ + "': " + std::strerror(errno));
  }
  file_ = ::fdopen(fd, "w");
  if (file_ == nullptr) {
    const int e = errno;
    ::close(fd);
    throw OutputError("cannot open '" + path_ + "': " + std::strerror(e));
  }
  std::setvbuf(file_, nullptr, _IOFBF, kBufferBytes);
}

OutputStream::~OutputStream() {
  if (file_ != nullptr) std::fclose(file_);
}

void OutputStream::close() {
  if (file_ == nullptr) return;
  std::FILE* f = file_;
  file_ = nullptr;
  const bool written = std::fflush(f) == 0 && !std::ferror(f);
  const int write_error = errno;
  const bool synced = written && ::fsync(::fileno(f)) == 0;
  const int sync_error = errno;
  const bool closed = std::fclose(f) == 0;
  const int close_error = errno;
  if (!written) throw OutputError("cannot write '" + path_ + "': " + std::strerror(write_error));
  if (!synced) {
    throw OutputError("cannot flush '" + path_ + "' to disk: " + std::strerror(sync_error));
  }
  if (!closed) throw OutputError("cannot write '" + path_ + "': " + std::strerror(close_error));
}

}  // namespace hmasim
