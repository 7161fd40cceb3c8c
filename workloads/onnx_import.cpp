#include "workloads/onnx_import.hpp"

#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <vector>

#include "core/config_error.hpp"
#include "workloads/network.hpp"
#include "workloads/weights_file.hpp"

extern char** environ;

namespace hmasim {

namespace {

constexpr const char* kOnnxPackages = "apt-get install python3 python3-onnx python3-numpy";

// The helper's scratch directory, removed with everything in it whatever happens.
class OnnxScratchDirectory {
 public:
  OnnxScratchDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "hmasim-onnx-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw OnnxImportError(
          "cannot create a temporary directory: " + std::string(std::strerror(errno)), 1);
    path_ = pattern;
  }
  ~OnnxScratchDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  OnnxScratchDirectory(const OnnxScratchDirectory&) = delete;
  OnnxScratchDirectory& operator=(const OnnxScratchDirectory&) = delete;
  std::string file(const char* name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string read_onnx_output(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw OnnxImportError("internal error: the ONNX helper wrote no " + file, 1);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs argv[0] with `argv` (no shell: file names are passed as they are) and returns its exit
// status, or -1 if it died of a signal. Throws if it cannot be started.
int run_onnx_helper(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), environ);
  if (rc != 0)
    throw OnnxImportError("cannot run " + argv[0] + " (" + std::strerror(rc) +
                              "): the ONNX importer needs Python 3 with Debian's python3-onnx "
                              "and python3-numpy (" +
                              kOnnxPackages + ")",
                          1);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw OnnxImportError("waitpid: " + std::string(std::strerror(errno)), 1);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

OnnxImport import_onnx_file(const OnnxImportRequest& request) {
  struct stat st {};
  if (::stat(request.model.c_str(), &st) != 0)
    throw OnnxImportError(request.model + ": cannot read: " + std::strerror(errno), 2);
  if (!S_ISREG(st.st_mode)) throw OnnxImportError(request.model + ": not a regular file", 2);
  if (::access(request.helper.c_str(), R_OK) != 0)
    throw OnnxImportError("the ONNX importer's helper " + request.helper +
                              " is missing (it ships in hmasim's scripts/ folder)",
                          1);
  OnnxScratchDirectory scratch;
  const std::string yaml = scratch.file("network.yaml");
  const std::string weights = scratch.file("network.weights");
  std::vector<std::string> argv = {request.python, request.helper, request.model, "--yaml",
                                   yaml,           "--weights",    weights};
  if (!request.name.empty()) argv.insert(argv.end(), {"--name", request.name});
  if (!request.weights_ref.empty()) argv.insert(argv.end(), {"--weights-ref", request.weights_ref});
  const int status = run_onnx_helper(argv);
  if (status == 2)
    throw OnnxImportError(request.model + ": not imported (the problems are listed above)", 2);
  if (status == 3)  // the helper has said which package is missing
    throw OnnxImportError("a Python package is missing (" + std::string(kOnnxPackages) + ")", 1);
  if (status != 0)
    throw OnnxImportError(
        "internal error: the ONNX helper " + request.helper +
            (status < 0 ? " was killed" : " exited with status " + std::to_string(status)),
        1);
  OnnxImport result{read_onnx_output(yaml), read_onnx_output(weights)};
  // An importer must never hand over what our own loaders refuse: a refusal here is a bug of the
  // helper (it accepted the model), hence status 1.
  const std::string bug = "internal error: the network generated from " + request.model +
                          " does not load (please report it with the model):";
  try {
    const Network network =
        load_network_text(result.yaml, "<network generated from " + request.model + ">");
    check_weights_file(read_weights_file(weights), network);
  } catch (const ConfigError& e) {
    std::string message = bug;
    for (const auto& d : e.diagnostics()) message += "\n  " + d.str();
    throw OnnxImportError(message, 1);
  } catch (const WeightsFileError& e) {
    std::string message = bug;
    for (const auto& p : e.problems()) message += "\n  " + p;
    throw OnnxImportError(message, 1);
  }
  return result;
}

}  // namespace hmasim
