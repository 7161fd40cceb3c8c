// The input format shared by the YAML harnesses: the document text, optionally followed by a line
// that is exactly `#--set` and then one `--set` override (`key.path=value`) per line. The marker
// is a YAML comment, so a seed stays a valid document for yaml-cpp and for a human reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hmasim::fuzz {

struct Input {
  std::string text;
  std::vector<std::string> overrides;
};

inline Input split_input(const std::uint8_t* data, std::size_t size) {
  const std::string all(reinterpret_cast<const char*>(data), size);
  static const std::string kMarker = "#--set\n";
  Input in;
  std::size_t at = std::string::npos;
  if (all.compare(0, kMarker.size(), kMarker) == 0) {
    at = 0;
  } else {
    const std::size_t found = all.find("\n" + kMarker);
    if (found != std::string::npos) at = found + 1;
  }
  if (at == std::string::npos) {
    in.text = all;
    return in;
  }
  in.text = all.substr(0, at);
  // Every line after the marker is one override, empty ones included (the loader must refuse
  // them cleanly); only the newline that ends the last line does not start another.
  std::size_t start = at + kMarker.size();
  while (start < all.size()) {
    std::size_t end = all.find('\n', start);
    if (end == std::string::npos) end = all.size();
    in.overrides.push_back(all.substr(start, end - start));
    start = end + 1;
  }
  return in;
}

}  // namespace hmasim::fuzz
