#include "core/file_output.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "core/json_writer.hpp"

// The version written into manifests; the build may pass the project's. Keep the fallback in step
// with project(VERSION) in CMakeLists.txt and `hmasim --version`.
#ifndef HMASIM_VERSION
#define HMASIM_VERSION "0.1.0"
#endif

namespace hmasim {

namespace fs = std::filesystem;

namespace {

std::string errno_text(int e) {
  return std::strerror(e);
}

const char* kind_of(mode_t m) {
  if (S_ISLNK(m)) return "a symbolic link";
  if (S_ISDIR(m)) return "a directory";
  if (S_ISREG(m)) return "a regular file";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISFIFO(m)) return "a FIFO";
  if (S_ISSOCK(m)) return "a socket";
  return "not a regular file";
}

// lstat (never follows a final symlink): false if nothing is there; throws on other errors.
bool lstat_path(const std::string& path, const std::string& shown, struct stat& st) {
  if (::lstat(path.c_str(), &st) == 0) return true;
  if (errno == ENOENT) return false;
  throw OutputError("cannot inspect '" + shown + "': " + errno_text(errno));
}

// Permission bits a new file or directory gets from open/mkdir: `full` minus the umask. (mkstemp
// and mkdtemp create 0600 / 0700; results should be as readable as any other file the user writes.)
mode_t umasked(mode_t full) {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return full & ~mask;
}

// Where a path lives: its real parent directory and last component. Trailing slashes are dropped
// and "." / ".." resolved, so that temporaries land in the same file system as the target.
struct Location {
  fs::path parent;
  std::string leaf;
  std::string full() const { return (parent / leaf).string(); }
};

Location locate(const std::string& path) {
  if (path.empty()) throw OutputError("an empty path cannot be an output");
  std::error_code ec;
  fs::path p = fs::absolute(fs::path(path), ec);
  if (ec) throw OutputError("cannot resolve '" + path + "': " + ec.message());
  p = p.lexically_normal();
  if (p.filename().empty()) p = p.parent_path();  // "out/run/" -> "out/run"
  Location at{p.parent_path(), p.filename().string()};
  if (at.leaf.empty() || at.leaf == "." || at.leaf == "..") {
    throw OutputError("'" + path + "' cannot be an output (it names no file)");
  }
  return at;
}

// A temporary's name beside `leaf`: hidden, and short enough for NAME_MAX (255).
std::string temporary_name(const std::string& leaf, const char* kind) {
  return "." + leaf.substr(0, 200) + "." + kind + "-XXXXXX";
}

void create_parent(const Location& at, const std::string& shown) {
  std::error_code ec;
  fs::create_directories(at.parent, ec);
  if (ec) throw OutputError("cannot create the directory of '" + shown + "': " + ec.message());
}

// Closes on scope exit unless closed explicitly (where the error of close matters).
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // fsync, then close: a renamed file must hold its bytes even after a crash of the machine.
  void sync_and_close(const std::string& shown) {
    const bool synced = ::fsync(fd_) == 0;
    const int sync_error = errno;
    const int closed = ::close(fd_);
    const int close_error = errno;
    fd_ = -1;
    if (!synced)
      throw OutputError("cannot flush '" + shown + "' to disk: " + errno_text(sync_error));
    if (closed != 0) throw OutputError("cannot write '" + shown + "': " + errno_text(close_error));
  }

 private:
  int fd_;
};

void write_all(int fd, const std::string& content, const std::string& shown) {
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw OutputError("cannot write '" + shown + "': " + errno_text(errno));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

// Best effort: makes renames and new entries of a directory durable. Some file systems refuse
// fsync on directories; that costs durability after a power loss, not atomicity.
void sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

// A new file in a directory we created: exclusive, never through a symlink.
void write_new_file(const fs::path& file, const std::string& content) {
  Descriptor fd(
      ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, umasked(0666)));
  if (fd.get() < 0)
    throw OutputError("cannot create '" + file.string() + "': " + errno_text(errno));
  write_all(fd.get(), content, file.string());
  fd.sync_and_close(file.string());
}

std::vector<std::string> entries_of(const std::string& dir, const std::string& shown) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) throw OutputError("cannot list '" + shown + "': " + errno_text(errno));
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(d)) {
    const std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

// What stands at a run directory's path, once judged replaceable.
struct Existing {
  bool exists = false;
  mode_t mode = 0;
  std::vector<std::string> entries;  // all listed by its manifest (and the manifest itself)
};

const char* kRefuseHint = " (remove or move it, or choose another --out)";

// The names an hmasim manifest lists; throws OutputError(why) if `text` is not one.
std::set<std::string> manifest_files(const std::string& text) {
  std::set<std::string> names;
  try {
    const YAML::Node root = YAML::Load(text);
    if (!root.IsMap() || !root["format"] || !root["format"].IsScalar() ||
        root["format"].Scalar() != kRunDirectoryFormat || !root["files"] ||
        !root["files"].IsSequence()) {
      throw OutputError("");
    }
    for (const YAML::Node& f : root["files"]) {
      if (!f.IsMap() || !f["name"] || !f["name"].IsScalar()) throw OutputError("");
      names.insert(f["name"].Scalar());
    }
  } catch (const YAML::Exception&) {
    throw OutputError("");
  }
  return names;
}

Existing inspect_run_directory(const Location& at, const std::string& shown) {
  Existing old;
  struct stat st {};
  if (!lstat_path(at.full(), shown, st)) return old;
  const std::string refuse = "refusing to replace '" + shown + "' with a run directory: ";
  if (S_ISLNK(st.st_mode)) {
    throw OutputError(refuse + "it is a symbolic link; give the directory itself" + kRefuseHint);
  }
  if (!S_ISDIR(st.st_mode)) {
    throw OutputError(refuse + "it is " + kind_of(st.st_mode) + ", not a directory" + kRefuseHint);
  }
  old.exists = true;
  old.mode = st.st_mode & 07777;
  old.entries = entries_of(at.full(), shown);
  if (old.entries.empty()) return old;

  const std::string manifest = at.full() + "/" + kManifestName;
  struct stat ms {};
  if (!lstat_path(manifest, shown + "/" + kManifestName, ms)) {
    throw OutputError(refuse + "it is not empty and has no " + kManifestName +
                      ", so it is not a run directory hmasim wrote" + kRefuseHint);
  }
  std::set<std::string> listed;
  try {
    if (!S_ISREG(ms.st_mode) || ms.st_size > (1 << 20)) throw OutputError("");
    std::ifstream in(manifest, std::ios::binary);
    listed = manifest_files(
        std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
  } catch (const OutputError&) {
    throw OutputError(refuse + "its " + kManifestName + " is not an hmasim manifest" + kRefuseHint);
  }
  for (const std::string& e : old.entries) {
    if (e != kManifestName && !listed.count(e)) {
      throw OutputError(refuse + "it holds '" + e + "', which its hmasim manifest does not list" +
                        kRefuseHint);
    }
    struct stat es {};
    if (lstat_path(at.full() + "/" + e, shown + "/" + e, es) && !S_ISREG(es.st_mode)) {
      throw OutputError(refuse + "'" + e + "' in it is " + kind_of(es.st_mode) +
                        ", and hmasim writes only regular files" + kRefuseHint);
    }
  }
  return old;
}

// Removes a temporary directory we created (mkdtemp, mode 0700: nobody else writes into it) and
// the files in it. Never recursive: a subdirectory someone made in it stays, and so does the tree.
void remove_staging(const std::string& dir) {
  if (DIR* d = ::opendir(dir.c_str())) {
    while (const dirent* e = ::readdir(d)) {
      const std::string n = e->d_name;
      if (n != "." && n != "..") ::unlink((dir + "/" + n).c_str());
    }
    ::closedir(d);
  }
  ::rmdir(dir.c_str());
}

// Removes the previous run's tree after the swap: only the entries we checked, then the directory.
void remove_old_tree(const std::string& tree, const std::vector<std::string>& entries,
                     const std::string& shown) {
  for (const std::string& e : entries) ::unlink((tree + "/" + e).c_str());
  if (::rmdir(tree.c_str()) != 0) {
    throw OutputError("the new results are in '" + shown + "', but the previous run directory, " +
                      "moved to '" + tree + "', could not be removed: " + errno_text(errno) +
                      " (left in place)");
  }
}

bool bad_name(const std::string& name) {
  return name.empty() || name == "." || name == ".." ||
         name.find_first_of(std::string("/\0", 2)) != std::string::npos || name == kManifestName;
}

struct ListedFile {
  std::string name;
  std::uint64_t bytes;
};

std::string manifest_json(const std::vector<ListedFile>& files) {
  JsonWriter j;
  j.begin_object();
  j.value("format", kRunDirectoryFormat);
  j.value("hmasim_version", HMASIM_VERSION);
  j.begin_array("files");
  for (const ListedFile& f : files) {
    j.begin_object();
    j.value("name", f.name);
    j.value("bytes", f.bytes);
    j.end_object();
  }
  j.end_array();
  j.end_object();
  return j.str();
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& content) {
  if (!path.empty() && path.back() == '/') {
    throw OutputError("cannot write '" + path + "': the path names a directory, not a file");
  }
  const Location at = locate(path);
  const std::string target = at.full();
  struct stat st {};
  mode_t mode = 0;
  if (lstat_path(target, path, st)) {
    if (!S_ISREG(st.st_mode)) {
      throw OutputError("refusing to write '" + path + "': it is " + kind_of(st.st_mode) +
                        ", and only a regular file is ever replaced");
    }
    mode = st.st_mode & 07777;
  } else {
    mode = umasked(0666);
  }
  create_parent(at, path);
  std::string tmp = (at.parent / temporary_name(at.leaf, "tmp")).string();
  Descriptor fd(::mkstemp(tmp.data()));
  if (fd.get() < 0) {
    throw OutputError("cannot create a temporary file beside '" + path + "': " + errno_text(errno));
  }
  try {
    write_all(fd.get(), content, tmp);
    if (::fchmod(fd.get(), mode) != 0) {
      throw OutputError("cannot set the permissions of '" + tmp + "': " + errno_text(errno));
    }
    fd.sync_and_close(tmp);
    // rename replaces the name, never writes through it: a symlink that appeared since the check
    // above is replaced, its target left alone.
    if (::rename(tmp.c_str(), target.c_str()) != 0) {
      throw OutputError("cannot rename '" + tmp + "' to '" + path + "': " + errno_text(errno));
    }
  } catch (...) {
    ::unlink(tmp.c_str());
    throw;
  }
  sync_directory(at.parent);
}

void check_run_directory(const std::string& dir) {
  (void)inspect_run_directory(locate(dir), dir);
}

StagedDirectory::StagedDirectory(const std::string& dir, const DirectoryWriteOptions& options)
    : shown_(dir), options_(options) {
  const Location at = locate(dir);
  (void)inspect_run_directory(at, dir);  // refuse before creating anything
  target_ = at.full();
  create_parent(at, dir);
  std::string tmp = (at.parent / temporary_name(at.leaf, "tmp")).string();
  if (::mkdtemp(tmp.data()) == nullptr) {
    throw OutputError("cannot create a temporary directory beside '" + dir +
                      "': " + errno_text(errno));
  }
  staging_ = tmp;
}

StagedDirectory::~StagedDirectory() {
  if (!committed_ && !staging_.empty()) remove_staging(staging_);
}

void StagedDirectory::register_name(const std::string& name) {
  if (committed_) throw std::logic_error("run directory '" + shown_ + "': already committed");
  if (bad_name(name) || std::find(names_.begin(), names_.end(), name) != names_.end()) {
    throw std::invalid_argument("run directory: bad or repeated file name '" + name + "'");
  }
  names_.push_back(name);
}

std::string StagedDirectory::path(const std::string& name) {
  register_name(name);
  return staging_ + "/" + name;
}

void StagedDirectory::add(const std::string& name, const std::string& content) {
  register_name(name);
  write_new_file(fs::path(staging_) / name, content);
}

void StagedDirectory::commit() {
  if (committed_) throw std::logic_error("run directory '" + shown_ + "': already committed");
  const Location at = locate(shown_);
  const std::string& dir = shown_;
  const Existing old = inspect_run_directory(at, dir);  // again: the run may have been long

  // Every file in it, registered names first: nothing unlisted (a later run would refuse DIR).
  std::vector<std::string> names;
  for (const std::string& n : names_) {
    struct stat st {};
    if (lstat_path(staging_ + "/" + n, n, st)) names.push_back(n);
  }
  for (const std::string& n : entries_of(staging_, staging_)) {
    if (std::find(names_.begin(), names_.end(), n) == names_.end()) names.push_back(n);
  }
  std::vector<ListedFile> listed;
  for (const std::string& n : names) {
    const std::string file = staging_ + "/" + n;
    if (n == kManifestName) {
      throw OutputError("cannot complete '" + dir + "': something wrote a " + kManifestName +
                        " into its temporary directory");
    }
    // Flushed to disk whoever wrote it: the swapped-in directory must hold its bytes.
    Descriptor fd(::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    struct stat st {};
    if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
      throw OutputError("cannot complete '" + dir + "': '" + file + "' is not a regular file");
    }
    fd.sync_and_close(file);
    listed.push_back({n, static_cast<std::uint64_t>(st.st_size)});
  }
  // Last: a directory with a manifest is complete (and, on a later run, ours to replace).
  write_new_file(fs::path(staging_) / kManifestName, manifest_json(listed));
  if (::chmod(staging_.c_str(), old.exists ? old.mode : umasked(0777)) != 0) {
    throw OutputError("cannot set the permissions of '" + staging_ + "': " + errno_text(errno));
  }
  sync_directory(staging_);

  if (old.entries.empty()) {
    // Nothing there, or an empty directory: rename creates or replaces it in one step (and fails,
    // changing nothing, if something appeared in it meanwhile).
    if (::rename(staging_.c_str(), target_.c_str()) != 0) {
      throw OutputError("cannot move the new run directory into place at '" + dir +
                        "': " + errno_text(errno));
    }
    committed_ = true;
    sync_directory(at.parent);
    return;
  }

  std::string old_tree;
#if defined(__linux__) && defined(RENAME_EXCHANGE)
  if (options_.exchange) {
    if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) == 0) {
      old_tree = staging_;  // now holds the previous run
      committed_ = true;
    } else if (errno != EINVAL && errno != ENOSYS) {  // those two: no exchange here, fall back
      throw OutputError("cannot swap the new run directory into place at '" + dir +
                        "': " + errno_text(errno));
    }
  }
#endif
  if (old_tree.empty()) {
    // Without an exchange: the old tree goes aside first, then the new one into place.
    std::string aside = (at.parent / temporary_name(at.leaf, "old")).string();
    if (::mkdtemp(aside.data()) == nullptr) {
      throw OutputError("cannot create a directory beside '" + dir + "': " + errno_text(errno));
    }
    if (::rename(target_.c_str(), aside.c_str()) != 0) {  // replaces the empty `aside`
      const int e = errno;
      ::rmdir(aside.c_str());
      throw OutputError("cannot move the previous run directory '" + dir +
                        "' aside: " + errno_text(e));
    }
    if (::rename(staging_.c_str(), target_.c_str()) != 0) {
      const int e = errno;
      const bool restored = ::rename(aside.c_str(), target_.c_str()) == 0;
      throw OutputError("cannot move the new run directory into place at '" + dir +
                        "': " + errno_text(e) +
                        (restored ? std::string(" (the previous one is back in place)")
                                  : " (the previous one is in '" + aside + "')"));
    }
    committed_ = true;
    old_tree = aside;
  }
  sync_directory(at.parent);
  remove_old_tree(old_tree, old.entries, dir);
}

void write_directory_atomically(const std::string& dir, const std::vector<OutputFile>& files,
                                const DirectoryWriteOptions& options) {
  // Names first: a bad one changes nothing on disk.
  std::set<std::string> seen;
  for (const OutputFile& f : files) {
    if (bad_name(f.name) || !seen.insert(f.name).second) {
      throw std::invalid_argument("write_directory_atomically: bad or repeated file name '" +
                                  f.name + "'");
    }
  }
  StagedDirectory staged(dir, options);
  for (const OutputFile& f : files) staged.add(f.name, f.content);
  staged.commit();
}

}  // namespace hmasim
