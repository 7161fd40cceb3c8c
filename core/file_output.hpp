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

// Makes `dir` hold exactly `files` (in that order in the manifest) plus manifest.json. `dir` may
// be missing (created, with missing parents), empty, or a directory whose entries are all listed
// by its hmasim manifest (a previous run: replaced whole, the old tree removed afterwards).
// Anything else is refused (check_run_directory). Throws OutputError; std::invalid_argument for a
// bad name.
void write_directory_atomically(const std::string& dir, const std::vector<OutputFile>& files,
                                const DirectoryWriteOptions& options = {});

// Throws the OutputError write_directory_atomically would give for `dir` (symlink, not a
// directory, a non-empty directory without an hmasim manifest, entries the manifest does not
// list): commands can check --out before a long simulation.
void check_run_directory(const std::string& dir);

}  // namespace hmasim
