// A small streaming JSON writer with stable formatting, so that equal results give byte-identical
// files (no hash-ordered maps, fixed number formatting).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hmasim {

class JsonWriter {
 public:
  JsonWriter& begin_object(const std::string& key = "");
  JsonWriter& end_object();
  JsonWriter& begin_array(const std::string& key = "");
  JsonWriter& end_array();
  JsonWriter& value(const std::string& key, const std::string& v);
  JsonWriter& value(const std::string& key, const char* v) { return value(key, std::string(v)); }
  JsonWriter& value(const std::string& key, double v);
  JsonWriter& value(const std::string& key, std::uint64_t v);
  JsonWriter& value(const std::string& key, std::int64_t v);
  JsonWriter& value(const std::string& key, int v) { return value(key, std::int64_t(v)); }
  JsonWriter& value(const std::string& key, bool v);
  const std::string& str() const { return out_; }

  static std::string quote(const std::string& s);
  // Shortest round-trip-stable text of a double ("%.12g"; NaN and infinities become null).
  static std::string number(double v);

 private:
  void prefix(const std::string& key);
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
};

}  // namespace hmasim
