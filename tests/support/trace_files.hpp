// Readers the trace tests check the files with: a VCD reader (signals, scopes, values over time),
// a strict JSON parser (the whole grammar, no extensions), a CSV reader, and scratch directories.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace hmasim::test {

namespace fs = std::filesystem;

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A fresh, empty directory for one test.
inline fs::path scratch(const std::string& name) {
  const fs::path d =
      fs::path(::testing::TempDir()) / ("hmasim_traces_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

inline std::set<std::string> entries(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

// ---- VCD ----

struct VcdSignal {
  std::string type;  // "wire", "real"
  unsigned width = 0;
  std::string code;
  std::string path;                                            // scopes and name, dotted
  std::vector<std::pair<std::uint64_t, std::string>> changes;  // time, value ("1010", "0.5")
};

struct Vcd {
  std::string timescale;
  std::vector<std::string> scopes;  // every scope, dotted, in order of appearance
  std::map<std::string, VcdSignal> by_path;
  std::vector<std::uint64_t> times;  // every #t in file order
  bool dumpvars = false;

  const VcdSignal& signal(const std::string& path) const {
    auto it = by_path.find(path);
    if (it == by_path.end()) throw std::runtime_error("no VCD signal " + path);
    return it->second;
  }
  // The value at time t (the last change at or before t).
  std::string at(const std::string& path, std::uint64_t t) const {
    std::string v;
    bool any = false;
    for (const auto& [time, value] : signal(path).changes) {
      if (time > t) break;
      v = value;
      any = true;
    }
    if (!any)
      throw std::runtime_error("VCD signal " + path + " has no value at " + std::to_string(t));
    return v;
  }
};

// Parses a VCD; throws std::runtime_error on anything malformed (unknown code, time going back).
inline Vcd read_vcd(const std::string& text) {
  std::istringstream in(text);
  std::string tok;
  Vcd vcd;
  std::vector<std::string> stack;
  std::map<std::string, std::string> path_of_code;
  auto expect_end = [&]() {
    std::string t;
    while (in >> t && t != "$end") {
    }
    if (t != "$end") throw std::runtime_error("VCD: missing $end");
  };
  // Header
  while (in >> tok) {
    if (tok == "$timescale") {
      std::string t;
      while (in >> t && t != "$end") vcd.timescale += t;
    } else if (tok == "$scope") {
      std::string kind, name;
      in >> kind >> name;
      if (kind != "module") throw std::runtime_error("VCD: scope kind " + kind);
      stack.push_back(name);
      std::string dotted;
      for (const auto& s : stack) dotted += (dotted.empty() ? "" : ".") + s;
      vcd.scopes.push_back(dotted);
      expect_end();
    } else if (tok == "$upscope") {
      if (stack.empty()) throw std::runtime_error("VCD: $upscope at top");
      stack.pop_back();
      expect_end();
    } else if (tok == "$var") {
      VcdSignal s;
      std::string name, end;
      in >> s.type >> s.width >> s.code >> name >> end;
      if (end != "$end") throw std::runtime_error("VCD: $var without $end: " + name);
      if (stack.empty()) throw std::runtime_error("VCD: $var outside a scope");
      for (const auto& sc : stack) s.path += sc + ".";
      s.path += name;
      if (path_of_code.count(s.code)) throw std::runtime_error("VCD: code reused " + s.code);
      if (vcd.by_path.count(s.path)) throw std::runtime_error("VCD: path repeated " + s.path);
      path_of_code[s.code] = s.path;
      vcd.by_path[s.path] = s;
    } else if (tok == "$enddefinitions") {
      expect_end();
      break;
    } else if (tok[0] == '$') {
      expect_end();
    } else {
      throw std::runtime_error("VCD: unexpected header token " + tok);
    }
  }
  if (!stack.empty()) throw std::runtime_error("VCD: unclosed scope");
  bool have_time = false;
  std::uint64_t now = 0;
  auto record = [&](const std::string& code, const std::string& value) {
    auto it = path_of_code.find(code);
    if (it == path_of_code.end()) throw std::runtime_error("VCD: unknown code " + code);
    if (!have_time) throw std::runtime_error("VCD: value before any time");
    vcd.by_path[it->second].changes.emplace_back(now, value);
  };
  while (in >> tok) {
    if (tok[0] == '#') {
      const std::uint64_t t = std::stoull(tok.substr(1));
      if (have_time && t <= now)
        throw std::runtime_error("VCD: time " + tok + " does not increase");
      now = t;
      have_time = true;
      vcd.times.push_back(t);
    } else if (tok == "$dumpvars") {
      vcd.dumpvars = true;
    } else if (tok == "$end") {
    } else if (tok[0] == 'b' || tok[0] == 'r') {
      std::string code;
      in >> code;
      const std::string v = tok.substr(1);
      if (tok[0] == 'b' && v.find_first_not_of("01") != std::string::npos) {
        throw std::runtime_error("VCD: bad binary value " + tok);
      }
      record(code, v);
    } else if (tok[0] == '0' || tok[0] == '1') {
      record(tok.substr(1), tok.substr(0, 1));
    } else {
      throw std::runtime_error("VCD: unexpected token " + tok);
    }
  }
  return vcd;
}

inline std::uint64_t binary(const std::string& bits) {
  return std::stoull(bits, nullptr, 2);
}

// ---- JSON ----

struct Json {
  enum class Kind { null, boolean, number, string, array, object } kind = Kind::null;
  bool b = false;
  std::string text;  // a number's text as written, or a string's (decoded) value
  std::vector<Json> items;
  std::vector<std::pair<std::string, Json>> members;

  double number() const { return std::strtod(text.c_str(), nullptr); }
  bool has(const std::string& key) const {
    for (const auto& m : members) {
      if (m.first == key) return true;
    }
    return false;
  }
  const Json& operator[](const std::string& key) const {
    for (const auto& m : members) {
      if (m.first == key) return m.second;
    }
    throw std::runtime_error("JSON: no member " + key);
  }
};

class JsonParser {
 public:
  explicit JsonParser(const std::string& s) : s_(s) {}
  Json parse() {
    Json v = value();
    ws();
    if (i_ != s_.size()) fail("text after the value");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& why) {
    throw std::runtime_error("JSON at offset " + std::to_string(i_) + ": " + why);
  }
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  bool eat(char c) {
    ws();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  void literal(const char* w) {
    for (const char* p = w; *p; ++p, ++i_) {
      if (i_ >= s_.size() || s_[i_] != *p) fail(std::string("expected ") + w);
    }
  }
  std::string string() {
    if (!eat('"')) fail("expected a string");
    std::string o;
    while (true) {
      if (i_ >= s_.size()) fail("unterminated string");
      const unsigned char c = static_cast<unsigned char>(s_[i_++]);
      if (c == '"') return o;
      if (c < 0x20) fail("control character in a string");
      if (c != '\\') {
        o += static_cast<char>(c);
        continue;
      }
      if (i_ >= s_.size()) fail("bad escape");
      const char e = s_[i_++];
      switch (e) {
        case '"':
          o += '"';
          break;
        case '\\':
          o += '\\';
          break;
        case '/':
          o += '/';
          break;
        case 'b':
          o += '\b';
          break;
        case 'f':
          o += '\f';
          break;
        case 'n':
          o += '\n';
          break;
        case 'r':
          o += '\r';
          break;
        case 't':
          o += '\t';
          break;
        case 'u': {
          if (i_ + 4 > s_.size()) fail("bad \\u escape");
          const unsigned long cp = std::stoul(s_.substr(i_, 4), nullptr, 16);
          i_ += 4;
          if (cp < 0x80) {
            o += static_cast<char>(cp);
          } else {
            o += '?';  // the tests use only ASCII escapes
          }
          break;
        }
        default:
          fail("bad escape");
      }
    }
  }
  Json value() {
    ws();
    if (i_ >= s_.size()) fail("expected a value");
    Json v;
    const char c = s_[i_];
    if (c == '{') {
      ++i_;
      v.kind = Json::Kind::object;
      if (eat('}')) return v;
      do {
        std::string k = string();
        if (!eat(':')) fail("expected ':'");
        v.members.emplace_back(std::move(k), value());
      } while (eat(','));
      if (!eat('}')) fail("expected '}' or ','");
    } else if (c == '[') {
      ++i_;
      v.kind = Json::Kind::array;
      if (eat(']')) return v;
      do {
        v.items.push_back(value());
      } while (eat(','));
      if (!eat(']')) fail("expected ']' or ','");
    } else if (c == '"') {
      v.kind = Json::Kind::string;
      v.text = string();
    } else if (c == 't') {
      literal("true");
      v.kind = Json::Kind::boolean;
      v.b = true;
    } else if (c == 'f') {
      literal("false");
      v.kind = Json::Kind::boolean;
    } else if (c == 'n') {
      literal("null");
    } else {
      // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
      const std::size_t start = i_;
      auto digits = [&]() {
        const std::size_t b = i_;
        while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
        return i_ - b;
      };
      if (i_ < s_.size() && s_[i_] == '-') ++i_;
      if (i_ < s_.size() && s_[i_] == '0') {
        ++i_;
      } else if (digits() == 0) {
        fail("expected a value");
      }
      if (i_ < s_.size() && s_[i_] == '.') {
        ++i_;
        if (digits() == 0) fail("digits expected after '.'");
      }
      if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
        ++i_;
        if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
        if (digits() == 0) fail("digits expected in the exponent");
      }
      v.kind = Json::Kind::number;
      v.text = s_.substr(start, i_ - start);
    }
    return v;
  }

  const std::string& s_;
  std::size_t i_ = 0;
};

inline Json parse_json(const std::string& text) {
  return JsonParser(text).parse();
}

// ---- CSV ----

// Rows of fields; quoted fields ("a,b", "say ""hi""") decoded.
inline std::vector<std::vector<std::string>> read_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
    } else if (c == '\n') {
      row.push_back(field);
      rows.push_back(row);
      row.clear();
      field.clear();
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (any || !field.empty() || !row.empty())
    throw std::runtime_error("CSV: last line unterminated");
  return rows;
}

}  // namespace hmasim::test
