// Test support: runs the real hmasim binary and captures its exit status and output streams.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

// A string holds another; on failure both are printed.
#define EXPECT_CONTAINS(haystack, needle)                                                        \
  EXPECT_NE((haystack).find(needle), std::string::npos) << "expected: " << (needle) << "\nin:\n" \
                                                        << (haystack)

namespace hmasim::test {

// The whole contents of a file ("" if it cannot be read).
inline std::string slurp(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The number after `"key": ` in hmasim's JSON, at or after the first `"from"` (a section name
// such as "faults"; empty: from the start). A missing key is a test failure (returns -1).
inline double json_number(const std::string& json, const std::string& key,
                          const std::string& from = "") {
  const auto start = from.empty() ? 0 : json.find("\"" + from + "\"");
  const auto at = json.find("\"" + key + "\": ", start == std::string::npos ? 0 : start);
  if (at == std::string::npos) {
    ADD_FAILURE() << "no key " << key << " in\n" << json;
    return -1;
  }
  return std::stod(json.substr(at + key.size() + 4));
}

// A fresh, empty directory for one test: <TempDir>/hmasim_<name>_<pid>.
inline std::string scratch_dir(const std::string& name) {
  const std::string d = ::testing::TempDir() + "hmasim_" + name + "_" + std::to_string(::getpid());
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

// Writes `text` to `file`, replacing it.
inline void spit(const std::string& file, const std::string& text) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

struct CliRun {
  int status = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs hmasim with `args` (shell words) and captures both streams.
inline CliRun hmasim(const std::string& args, const std::string& stdin_text = "") {
  static int counter = 0;
  const std::string base = ::testing::TempDir() + "hmasim_cli_" + std::to_string(::getpid()) + "_" +
                           std::to_string(counter++);
  std::string cmd =
      std::string(HMASIM_BINARY) + " " + args + " >" + base + ".out 2>" + base + ".err";
  if (!stdin_text.empty()) {
    std::ofstream(base + ".in") << stdin_text;
    cmd += " <" + base + ".in";
  } else {
    cmd += " </dev/null";
  }
  CliRun r;
  const int raw = std::system(cmd.c_str());
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  auto slurp = [](const std::string& f) {
    std::ifstream in(f);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  r.out = slurp(base + ".out");
  r.err = slurp(base + ".err");
  std::remove((base + ".out").c_str());
  std::remove((base + ".err").c_str());
  std::remove((base + ".in").c_str());
  return r;
}

}  // namespace hmasim::test
