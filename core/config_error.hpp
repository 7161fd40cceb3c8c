// Configuration diagnostics: every problem found in a config names the file, the line, the key
// path and what was expected. Loading collects all of them and reports them together.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace hmasim {

struct Diagnostic {
  std::string file;     // path of the YAML file, or "--set" for command-line overrides
  int line = 0;         // 1-based; 0 when unknown (e.g. a missing file)
  int column = 0;       // 1-based; 0 when unknown
  std::string key;      // dotted key path, e.g. "memories.dram.timing.RCD"
  std::string message;  // what is wrong and what was expected

  // "file:line:column: key: message"
  std::string str() const;
};

class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace hmasim
