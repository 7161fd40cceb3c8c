#include "app/sweep/flat_json.hpp"

#include <cstdint>
#include <cstdlib>

namespace hmasim {

namespace {

constexpr int kMaxDepth = 64;

class Parser {
 public:
  Parser(const std::string& text, FlatJson& out) : s_(text), out_(out) {}

  bool document(std::string& why) {
    skip();
    if (peek() != '{') return fail("expected a JSON object", why);
    if (!value("", 0)) return fail(error_, why);
    skip();
    if (at_ != s_.size()) return fail("text after the JSON object", why);
    return true;
  }

 private:
  bool fail(const std::string& message, std::string& why) {
    why = message + " (at byte " + std::to_string(at_) + ")";
    return false;
  }
  bool error(const std::string& message) {
    if (error_.empty()) error_ = message;
    return false;
  }
  char peek() const { return at_ < s_.size() ? s_[at_] : '\0'; }
  void skip() {
    while (at_ < s_.size() &&
           (s_[at_] == ' ' || s_[at_] == '\n' || s_[at_] == '\r' || s_[at_] == '\t')) {
      ++at_;
    }
  }
  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  bool value(const std::string& path, int depth) {
    if (depth > kMaxDepth) return error("nested too deep");
    skip();
    const char c = peek();
    if (c == '{') return object(path, depth);
    if (c == '[') return array(path, depth);
    std::string scalar;
    if (c == '"') {
      if (!string(scalar)) return false;
    } else if (!literal(scalar)) {
      return false;
    }
    out_.emplace_back(path, scalar);
    return true;
  }

  bool object(const std::string& path, int depth) {
    ++at_;  // '{'
    skip();
    if (peek() == '}') {
      ++at_;
      return true;
    }
    while (true) {
      skip();
      std::string key;
      if (peek() != '"' || !string(key)) return error("expected a key");
      skip();
      if (peek() != ':') return error("expected ':'");
      ++at_;
      if (!value(join(path, key), depth + 1)) return false;
      skip();
      if (peek() == ',') {
        ++at_;
        continue;
      }
      if (peek() == '}') {
        ++at_;
        return true;
      }
      return error("expected ',' or '}'");
    }
  }

  bool array(const std::string& path, int depth) {
    ++at_;  // '['
    skip();
    if (peek() == ']') {
      ++at_;
      return true;
    }
    for (std::size_t i = 0;; ++i) {
      if (!value(join(path, std::to_string(i)), depth + 1)) return false;
      skip();
      if (peek() == ',') {
        ++at_;
        continue;
      }
      if (peek() == ']') {
        ++at_;
        return true;
      }
      return error("expected ',' or ']'");
    }
  }

  // A number, true, false or null, checked against JSON's grammar.
  bool literal(std::string& out) {
    for (const char* word : {"true", "false", "null"}) {
      const std::string w = word;
      if (s_.compare(at_, w.size(), w) == 0) {
        at_ += w.size();
        out = w == "null" ? "" : w;
        return true;
      }
    }
    const std::size_t start = at_;
    if (peek() == '-') ++at_;
    const auto digits = [&] {
      const std::size_t from = at_;
      while (peek() >= '0' && peek() <= '9') ++at_;
      return at_ > from;
    };
    if (!digits()) return error("expected a value");
    if (peek() == '.') {
      ++at_;
      if (!digits()) return error("expected digits after '.'");
    }
    if (peek() == 'e' || peek() == 'E') {
      ++at_;
      if (peek() == '+' || peek() == '-') ++at_;
      if (!digits()) return error("expected an exponent");
    }
    out = s_.substr(start, at_ - start);
    return true;
  }

  static void utf8(std::uint32_t cp, std::string& out) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xc0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xe0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }

  bool hex4(std::uint32_t& cp) {
    if (at_ + 4 > s_.size()) return error("short \\u escape");
    cp = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = s_[at_++];
      cp <<= 4;
      if (h >= '0' && h <= '9') {
        cp |= static_cast<std::uint32_t>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        cp |= static_cast<std::uint32_t>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        cp |= static_cast<std::uint32_t>(h - 'A' + 10);
      } else {
        return error("bad \\u escape");
      }
    }
    return true;
  }

  bool string(std::string& out) {
    ++at_;  // '"'
    while (at_ < s_.size()) {
      const char c = s_[at_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return error("control character in a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (at_ >= s_.size()) break;
      const char e = s_[at_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xd800 && cp < 0xdc00 && s_.compare(at_, 2, "\\u") == 0) {
            at_ += 2;
            std::uint32_t low = 0;
            if (!hex4(low)) return false;
            if (low < 0xdc00 || low >= 0xe000) return error("bad surrogate pair");
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          }
          utf8(cp, out);
          break;
        }
        default:
          return error("bad escape");
      }
    }
    return error("unclosed string");
  }

  const std::string& s_;
  FlatJson& out_;
  std::size_t at_ = 0;
  std::string error_;
};

}  // namespace

std::optional<FlatJson> flatten_json(const std::string& text, std::string& why) {
  FlatJson out;
  Parser p(text, out);
  if (!p.document(why)) return std::nullopt;
  return out;
}

}  // namespace hmasim
