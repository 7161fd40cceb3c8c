// Result files are written whole or not at all, and only hmasim's own outputs are ever replaced.
//
// - A file goes to a temporary file created exclusively beside it (mkstemp: never a fixed name
//   that could be a pre-existing symlink), is flushed to disk and renamed over the target.
// - A run directory goes to a fresh temporary directory beside it (`.DIR.tmp-XXXXXX`, same
//   parent), with manifest.json written last, and is then swapped in by one rename: a kill at any
//   point leaves either the old directory or the new one, never a mix.
// - A target that exists and is not what we write (a symlink, a device, a FIFO, a directory where
//   a file goes, a directory that hmasim did not write) is refused with an OutputError naming the
//   path and what it is; nothing is changed.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace hmasim {

// An output path that cannot or must not be written. The message names the path and why.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Writes `content` to `path` atomically. `path` must be a regular file or not exist (missing
// parent directories are created); an existing file keeps its permission bits, a new one gets
// 0666 minus the umask. Throws OutputError.
void write_file_atomically(const std::string& path, const std::string& content);

// The manifest of a run directory: JSON with `format` (kRunDirectoryFormat), `hmasim_version`
// and `files` (each `name` and `bytes`), written after every other file.
inline constexpr const char* kManifestName = "manifest.json";
inline constexpr const char* kRunDirectoryFormat = "hmasim run directory";

struct OutputFile {
  std::string name;  // a plain file name: no '/', not "." or "..", not the manifest's
  std::string content;
};

struct DirectoryWriteOptions {
  // Swap an existing directory with renameat2(RENAME_EXCHANGE) where the kernel and file system
  // support it. Off (or unsupported), the old directory is first renamed aside
  // (`.DIR.old-XXXXXX`), then the new one into place: a kill between the two renames leaves no
  // DIR, but both complete trees beside it. Tests turn it off to exercise that path.
  bool exchange = true;
};

// A run directory being written: a fresh temporary directory beside the target (`.DIR.tmp-XXXXXX`)
// that files are written into, whole (add) or streamed during the run (path), and that commit()
// swaps in for DIR with manifest.json written last, as write_directory_atomically does. Destroyed
// without commit (a failed or interrupted run), it removes the temporary directory and leaves DIR
// untouched.
class StagedDirectory {
 public:
  // Checks `dir` as check_run_directory does (throws OutputError before creating anything), then
  // creates its missing parents and the temporary directory.
  explicit StagedDirectory(const std::string& dir, const DirectoryWriteOptions& options = {});
  ~StagedDirectory();
  StagedDirectory(const StagedDirectory&) = delete;
  StagedDirectory& operator=(const StagedDirectory&) = delete;

  // The temporary directory (for writers that take a directory, e.g. traces/TraceRecorder).
  const std::string& directory() const { return staging_; }
  // The path of `name` in the temporary directory, for a writer that creates and streams it. The
  // name is listed first in the manifest, in the order of path() and add() calls; a name that
  // was never created is left out. Throws std::invalid_argument for a bad or repeated name.
  std::string path(const std::string& name);
  // Writes `content` as `name` (flushed to disk). Throws std::invalid_argument for a bad or
  // repeated name, OutputError if it cannot be written.
  void add(const std::string& name, const std::string& content);
  // Writes manifest.json, listing every file in the temporary directory with its size (the
  // names given to path() and add() in their order, then any other file by name), and swaps
  // the directory in for DIR, which is checked again (a run can be long). Throws OutputError;
  // then the target is as it was, and the temporary directory goes with the destructor.
  void commit();
  bool committed() const { return committed_; }

 private:
  void register_name(const std::string& name);

  std::string shown_;    // DIR as given, for messages
  std::string target_;   // DIR, absolute
  std::string staging_;  // the temporary directory
  DirectoryWriteOptions options_;
  std::vector<std::string> names_;
  bool committed_ = false;
};

// Makes `dir` hold exactly `files` (in that order in the manifest) plus manifest.json. `dir` may
// be missing (created, with missing parents), empty, or a directory whose entries are all listed
// by its hmasim manifest (a previous run: replaced whole, the old tree removed afterwards).
// Anything else is refused (check_run_directory). Throws OutputError; std::invalid_argument for a
// bad name. (A StagedDirectory with an add() per file.)
void write_directory_atomically(const std::string& dir, const std::vector<OutputFile>& files,
                                const DirectoryWriteOptions& options = {});

// Throws the OutputError write_directory_atomically would give for `dir` (symlink, not a
// directory, a non-empty directory without an hmasim manifest, entries the manifest does not
// list): commands can check --out before a long simulation.
void check_run_directory(const std::string& dir);

}  // namespace hmasim
