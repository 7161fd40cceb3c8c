// Regression replay without libFuzzer: feeds every file given (or every regular file of every
// directory given, in name order) to the harness's LLVMFuzzerTestOneInput, so the normal ctest
// suite (g++, and the ASan/UBSan build) re-runs the seed corpus and every saved finding.
// An exception escaping the harness fails the run (the harness catches only the clean error);
// a crash or a sanitizer report kills the process, and a hang is caught by the ctest TIMEOUT.
#include <cxxabi.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <typeinfo>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

std::string demangled(const char* name) {
  int status = 0;
  char* d = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  const std::string out = status == 0 && d ? d : name;
  std::free(d);
  return out;
}

std::vector<fs::path> inputs_of(const fs::path& arg) {
  std::vector<fs::path> files;
  if (fs::is_directory(arg)) {
    for (const auto& e : fs::directory_iterator(arg)) {
      if (e.is_regular_file()) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(arg);
  }
  return files;
}

}  // namespace

// libsystemc.so's main() calls sc_main(); no simulation is elaborated here.
extern "C" int sc_main(int argc, char* argv[]) {
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " FILE|DIR...\n";
    return 2;
  }
  int inputs = 0;
  int failures = 0;
  for (int i = 1; i < argc; ++i) {
    for (const fs::path& file : inputs_of(argv[i])) {
      std::ifstream in(file, std::ios::binary);
      if (!in) {
        std::cerr << "FAIL " << file.string() << ": cannot read\n";
        ++failures;
        continue;
      }
      const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                    std::istreambuf_iterator<char>());
      // Named before it runs: after a crash or a hang the last name is the culprit.
      std::cerr << "run  " << file.string() << " (" << bytes.size() << " bytes)\n";
      ++inputs;
      try {
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      } catch (const std::exception& e) {
        std::cerr << "FAIL " << file.string() << ": uncaught " << demangled(typeid(e).name())
                  << ": " << e.what() << "\n";
        ++failures;
      } catch (...) {
        std::cerr << "FAIL " << file.string() << ": uncaught non-std exception\n";
        ++failures;
      }
    }
  }
  std::cerr << inputs << " inputs, " << failures << " failures\n";
  if (inputs == 0) {
    std::cerr << "no inputs found\n";
    return 2;
  }
  return failures == 0 ? 0 : 1;
}
