#include "core/yaml_source.hpp"

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace hmasim {

std::string describe_yaml(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Scalar:
      return "'" + n.Scalar() + "'";
    default:
      return "an undefined value";
  }
}

namespace {

// Whether the quoted scalar that opens at `pos` of `text` is closed before the end of the text.
// Returns true when `pos` does not hold a quote (block scalars, marks yaml-cpp placed elsewhere).
bool quote_closed(const std::string& text, std::size_t pos) {
  if (pos >= text.size()) return true;
  const char q = text[pos];
  if (q != '"' && q != '\'') return true;
  for (std::size_t i = pos + 1; i < text.size(); ++i) {
    if (q == '"' && text[i] == '\\') {
      ++i;  // an escaped character, possibly a quote
    } else if (text[i] == q) {
      if (q == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;  // '' is a quote inside a single-quoted string
      } else {
        return true;
      }
    }
  }
  return false;
}

// Watches one document go by without keeping it: whether it holds anything, and where it starts.
class DocumentProbe : public YAML::EventHandler {
 public:
  bool content = false;
  YAML::Mark start;
  void OnDocumentStart(const YAML::Mark& m) override { start = m; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { content = true; }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {
    content = true;
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    content = true;
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    content = true;
  }
  void OnMapEnd() override {}
};

// Empty documents after the first that a file may plausibly hold (trailing '---' lines).
constexpr int kMaxEmptyDocuments = 8;

class Walker {
 public:
  Walker(const std::string& text, const std::string& name, const std::string& key_path,
         std::vector<Diagnostic>& out)
      : text_(text), name_(name), key_path_(key_path), out_(out) {}

  bool ok() const { return ok_; }

  void walk(const YAML::Node& n, const std::string& path) {
    if (too_big_) return;
    if (++nodes_ > kMaxYamlNodes) {
      too_big_ = true;
      fail(n.Mark(), path,
           "the document has more than " + std::to_string(kMaxYamlNodes) +
               " values (counting every use of an alias): not a config file");
      return;
    }
    switch (n.Type()) {
      case YAML::NodeType::Scalar:
        check_quote(n, path);
        break;
      case YAML::NodeType::Sequence:
        for (std::size_t i = 0; i < n.size() && !too_big_; ++i) {
          walk(n[i], path + "[" + std::to_string(i) + "]");
        }
        break;
      case YAML::NodeType::Map: {
        std::map<std::string, YAML::Mark> seen;
        for (const auto& kv : n) {
          if (too_big_) return;
          if (!kv.first.IsScalar()) {
            fail(kv.first.Mark(), path,
                 "a key must be a plain name, got " + describe_yaml(kv.first) +
                     (kv.first.IsNull() ? " (an empty key)" : ""));
            continue;
          }
          check_quote(kv.first, path);
          const std::string key = kv.first.Scalar();
          const std::string p = path.empty() ? key : path + "." + key;
          const auto first = seen.emplace(key, kv.first.Mark());
          if (!first.second) {
            // Reported, not fatal: every other error of the file is still found.
            report(kv.first.Mark(), p,
                   "duplicate key '" + key + "' (first given at line " +
                       std::to_string(first.first->second.line + 1) + ")");
          }
          walk(kv.second, p);
        }
        break;
      }
      default:
        break;
    }
  }

 private:
  void check_quote(const YAML::Node& n, const std::string& path) {
    // yaml-cpp tags every non-plain scalar "!"; only those can be quoted.
    if (n.Tag() != "!") return;
    const auto pos = static_cast<std::size_t>(std::max(0, n.Mark().pos));
    if (!quote_closed(text_, pos)) {
      fail(n.Mark(), path,
           std::string("unterminated quoted string: the ") + text_[pos] +
               " opened here is never closed (is the file cut short?)");
    }
  }
  void report(const YAML::Mark& m, const std::string& path, const std::string& message) {
    Diagnostic d;
    d.file = name_;
    if (key_path_.empty()) {
      d.line = m.line + 1;
      d.column = m.column + 1;
    }
    d.key = path;
    d.message = message;
    out_.push_back(std::move(d));
  }
  void fail(const YAML::Mark& m, const std::string& path, const std::string& message) {
    ok_ = false;
    report(m, path, message);
  }

  const std::string& text_;
  const std::string& name_;
  const std::string& key_path_;
  std::vector<Diagnostic>& out_;
  std::size_t nodes_ = 0;
  bool ok_ = true;
  bool too_big_ = false;
};

}  // namespace

YamlText parse_yaml(const std::string& text, const std::string& name,
                    std::vector<Diagnostic>& diagnostics, const std::string& key_path) {
  YamlText out;
  const bool command_line = !key_path.empty();
  const auto at = [&](int line, int column) {
    return command_line ? Diagnostic{name, 0, 0, key_path, ""}
                        : Diagnostic{name, line + 1, column + 1, "", ""};
  };
  if (const auto nul = text.find('\0'); nul != std::string::npos) {
    Diagnostic d = at(static_cast<int>(std::count(text.begin(), text.begin() + nul, '\n')), 0);
    d.column = 0;
    d.message = "contains a NUL byte: not a YAML text file";
    diagnostics.push_back(d);
    return out;
  }
  // The documents of the text, counted by the parser itself: yaml-cpp 0.7's LoadAll never
  // returns on text like `[a, b], c` (its issue #1040), and Load silently drops everything after
  // the first node. A document beyond the first that holds anything is an error; so is text the
  // parser keeps returning empty "documents" for (bounded: those are what LoadAll loops on).
  YAML::Mark second;
  bool more = false, junk = false;
  try {
    std::istringstream in(text);
    YAML::Parser parser(in);
    DocumentProbe first;
    if (parser.HandleNextDocument(first)) {
      for (int i = 0; i < kMaxEmptyDocuments && !more; ++i) {
        DocumentProbe next;
        if (!parser.HandleNextDocument(next)) break;
        if (next.content) {
          more = true;
          second = next.start;
        }
        junk = i + 1 == kMaxEmptyDocuments;
      }
    }
  } catch (const YAML::Exception& e) {
    Diagnostic d = at(e.mark.line, e.mark.column);
    d.message = "YAML syntax error: " + e.msg;
    diagnostics.push_back(d);
    return out;
  }
  if (more || junk) {
    Diagnostic d = at(more ? second.line : 0, 0);
    d.column = 0;
    if (!more) d.line = 0;
    d.message = more ? "a second YAML document (after '---'): a config file holds one document, "
                       "and the rest would be ignored"
                     : "text after the document that YAML cannot read (e.g. a ',' after a "
                       "top-level list or string)";
    diagnostics.push_back(d);
    return out;
  }
  try {
    out.root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    Diagnostic d = at(e.mark.line, e.mark.column);
    d.message = "YAML syntax error: " + e.msg;
    diagnostics.push_back(d);
    return out;
  }
  Walker w(text, name, key_path, diagnostics);
  w.walk(out.root, key_path);
  out.ok = w.ok();
  return out;
}

std::optional<std::string> read_config_file(const std::string& path, std::string& text) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return std::string("cannot open file (no such file)");
  if (fs::is_directory(st)) return std::string("is a directory, not a YAML file");
  if (!fs::is_regular_file(st)) return std::string("is not a regular file (a device or a pipe?)");
  const auto size = fs::file_size(path, ec);
  if (!ec && size > kMaxConfigFileBytes) {
    return "is " + std::to_string(size >> 20) + " MiB: too large for a config file (at most " +
           std::to_string(kMaxConfigFileBytes >> 20) + " MiB)";
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::string("cannot open file: ") + std::strerror(errno);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return std::string("cannot read file: ") + std::strerror(errno);
  text = ss.str();
  return std::nullopt;
}

YAML::Node peek_yaml_map(const std::string& path) {
  std::string text;
  if (read_config_file(path, text)) return YAML::Node(YAML::NodeType::Undefined);
  std::vector<Diagnostic> ignored;
  const YamlText yaml = parse_yaml(text, path, ignored);
  if (!yaml.ok || !yaml.root.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  return yaml.root;
}

}  // namespace hmasim
