#include "workloads/scalesim_import.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include "core/config_error.hpp"
#include "workloads/network.hpp"

namespace hmasim {

namespace {

// Column names as SCALE-Sim's documentation writes them (used in diagnostics).
const std::vector<std::string> kConvColumns = {"Layer name",    "IFMAP Height", "IFMAP Width",
                                               "Filter Height", "Filter Width", "Channels",
                                               "Num Filter",    "Strides"};
const std::vector<std::string> kGemmColumns = {"Layer", "M", "N", "K"};
// The name by which workload layers refer to the network input: no layer may take it.
const char* const kReservedName = "input";

struct Field {
  std::string text;  // trimmed
  int column = 0;    // 1-based character column where the field starts
};

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::vector<Field> split(const std::string& line) {
  std::vector<Field> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    const std::string raw =
        line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const std::size_t lead = raw.find_first_not_of(" \t\r");
    fields.push_back(
        {trim(raw), static_cast<int>(start + (lead == std::string::npos ? 0 : lead)) + 1});
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  // SCALE-Sim rows end with a comma: the empty field after it is not a column.
  if (fields.size() > 1 && fields.back().text.empty()) fields.pop_back();
  return fields;
}

bool all_empty(const std::vector<Field>& fields) {
  return std::all_of(fields.begin(), fields.end(), [](const Field& f) { return f.text.empty(); });
}

// Code points a name or comment must not carry: C0 and C1 controls and DEL (a tab, a stray NUL
// that YAML would cut the string at, a CR that YAML reads as a line break), and the Unicode line
// and paragraph separators. Bytes that are not UTF-8 are refused too.
bool unusable(std::uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029;
}

// Walks `s` by UTF-8 code point: calls good(begin, length) for a usable one, bad(byte) for each
// byte of an unusable or malformed one.
template <class Good, class Bad>
void for_each_code_point(const std::string& s, Good good, Bad bad) {
  const auto* u = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char b = u[i];
    std::size_t len = b < 0x80           ? 1
                      : (b >> 5) == 0x6  ? 2
                      : (b >> 4) == 0xe  ? 3
                      : (b >> 3) == 0x1e ? 4
                                         : 0;
    std::uint32_t cp = len == 1 ? b : len == 2 ? (b & 0x1fu) : len == 3 ? (b & 0x0fu) : (b & 0x07u);
    bool ok = len != 0 && i + len <= n;
    for (std::size_t k = 1; ok && k < len; ++k) {
      ok = (u[i + k] & 0xc0) == 0x80;
      cp = (cp << 6) | (u[i + k] & 0x3fu);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static const std::uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
    ok = ok && cp >= kMin[len] && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
    if (ok && !unusable(cp)) {
      good(i, len);
      i += len;
    } else {
      bad(b);
      ++i;
    }
  }
}

// `s` with every unusable byte replaced by '_': a name our loader and outputs carry unchanged.
std::string usable_name(const std::string& s) {
  std::string out;
  for_each_code_point(
      s, [&](std::size_t at, std::size_t len) { out.append(s, at, len); },
      [&](unsigned char) { out += '_'; });
  return out;
}

// `s` for a YAML comment: unusable bytes written as \xNN, so the comment stays one line.
std::string printable(const std::string& s) {
  std::string out;
  for_each_code_point(
      s, [&](std::size_t at, std::size_t len) { out.append(s, at, len); },
      [&](unsigned char b) {
        static const char* kHex = "0123456789abcdef";
        out += "\\x";
        out += kHex[b >> 4];
        out += kHex[b & 0xf];
      });
  return out;
}

std::string quoted(const std::string& s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return q + "\"";
}

class Importer {
 public:
  explicit Importer(std::string file) : file_(std::move(file)) {}

  void error(int line, int column, const std::string& key, const std::string& message) {
    diagnostics_.push_back({file_, line, column, key, message});
  }

  // A positive integer field (SCALE-Sim reads them with int()).
  std::uint64_t number(int line, const std::vector<Field>& f, std::size_t i,
                       const std::vector<std::string>& names) {
    if (i >= f.size() || f[i].text.empty()) {
      error(line, i < f.size() ? f[i].column : 0, names[i], "missing (a positive integer)");
      return 0;
    }
    const std::string& t = f[i].text;
    const bool digits =
        std::all_of(t.begin(), t.end(), [](unsigned char c) { return std::isdigit(c); });
    if (!digits || t.size() > 12 || std::stoull(t) == 0) {
      error(line, f[i].column, names[i], "'" + t + "' is not a positive integer");
      return 0;
    }
    return std::stoull(t);
  }

  // An optional "N:M" sparsity field (N non-zeros in every M weights): the zero fraction, or -1.
  double sparsity(int line, const Field& f, const std::string& name) {
    const auto colon = f.text.find(':');
    const std::string a = trim(f.text.substr(0, colon));
    const std::string b = colon == std::string::npos ? "" : trim(f.text.substr(colon + 1));
    auto digits = [](const std::string& s) {
      return !s.empty() && s.size() < 10 &&
             std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
    };
    if (!digits(a) || !digits(b) || std::stoul(b) == 0 || std::stoul(a) > std::stoul(b)) {
      error(line, f.column, name,
            "'" + f.text + "' is not an N:M sparsity ratio (N <= M non-zeros in M)");
      return -1;
    }
    return 1.0 - static_cast<double>(std::stoul(a)) / static_cast<double>(std::stoul(b));
  }

  std::string layer_name(int line, const Field& f, const std::string& column) {
    if (f.text.empty()) {
      error(line, f.column, column, "missing layer name");
      return "";
    }
    // SCALE-Sim takes any text as a name; our loader refuses some (workloads/network.cpp):
    // names that YAML or our outputs cannot carry, the reserved 'input', duplicates. Each is
    // renamed, and the output says so.
    const std::string base = usable_name(f.text);
    std::string why = base != f.text ? "has bytes a layer name cannot hold (control characters "
                                       "or invalid UTF-8)"
                      : base == kReservedName ? "is reserved for the network input"
                                              : "";
    std::string name = base;
    for (int n = 2; name == kReservedName || !names_.insert(name).second; ++n) {
      name = base + "_" + std::to_string(n);
    }
    if (why.empty() && name != base) {
      why = originals_.count(base) ? "occurs more than once" : "is taken by a renamed layer";
    }
    originals_.insert(f.text);
    if (name != f.text) {
      comments_for_next_ +=
          "  # '" + printable(f.text) + "' " + why + ": renamed '" + printable(name) + "'\n";
    }
    return name;
  }

  void emit(int line, const std::string& fields) {
    rows_.push_back(line);
    layers_ += comments_for_next_ + "  - {" + fields + "}\n";
    comments_for_next_.clear();
    ++count_;
  }

  void conv_row(int line, const std::vector<Field>& f) {
    const std::string name = layer_name(line, f[0], kConvColumns[0]);
    std::uint64_t v[8] = {};
    for (std::size_t i = 1; i < 8; ++i) v[i] = number(line, f, i, kConvColumns);
    const std::uint64_t h = v[1], w = v[2], r = v[3], s = v[4], c = v[5], k = v[6], stride = v[7];
    if (h && r > h)
      error(line, f[3].column, kConvColumns[3],
            "Filter Height " + std::to_string(r) + " is larger than IFMAP Height " +
                std::to_string(h) +
                " (SCALE-Sim convolutions are 'valid': the IFMAP must include any padding)");
    if (w && s > w)
      error(line, f[4].column, kConvColumns[4],
            "Filter Width " + std::to_string(s) + " is larger than IFMAP Width " +
                std::to_string(w) +
                " (SCALE-Sim convolutions are 'valid': the IFMAP must include any padding)");
    double sp = -1;
    if (f.size() > 8 && f[8].text.find(':') != std::string::npos)
      sp = sparsity(line, f[8], "Sparsity");
    for (std::size_t i = 8; i < f.size(); ++i) {
      if (!f[i].text.empty() && !(i == 8 && sp >= 0)) ignored_.insert(column_name(i));
    }
    if (name.empty() || !h || !w || !r || !s || !c || !k || !stride) return;

    const bool dp_name = name.find("DP") != std::string::npos;
    const bool one_filter = k == 1 && c > 1 && r * s > 1;
    std::string type = "conv";
    std::string kk = ", k: " + std::to_string(k);
    if (dp_name || one_filter) {
      type = "dwconv";
      const std::uint64_t out = dp_name ? c * k : c;
      kk = out == c ? "" : ", k: " + std::to_string(out);
      comments_for_next_ +=
          "  # " + name + ": " +
          (dp_name
               ? std::string("'DP' in the name: depthwise in SCALE-Sim v3 (k = c x Num Filter)")
               : "Channels=" + std::to_string(c) +
                     ", Num Filter=1 read as depthwise (no such type in SCALE-Sim; same MACs)") +
          "\n";
    }
    std::string fields = "name: " + quoted(name) + ", type: " + type + ", h: " + std::to_string(h) +
                         ", w: " + std::to_string(w) + ", c: " + std::to_string(c) + kk +
                         ", r: " + std::to_string(r) + ", s: " + std::to_string(s) +
                         ", stride: " + std::to_string(stride);
    if (sp > 0) fields += ", sparsity: " + format(sp);
    emit(line, fields);
  }

  void gemm_row(int line, const std::vector<Field>& f) {
    const std::string name = layer_name(line, f[0], kGemmColumns[0]);
    const std::uint64_t m = number(line, f, 1, kGemmColumns);
    const std::uint64_t n = number(line, f, 2, kGemmColumns);
    const std::uint64_t k = number(line, f, 3, kGemmColumns);
    double sp = -1;
    if (f.size() > 4 && !f[4].text.empty()) sp = sparsity(line, f[4], "Sparsity");
    for (std::size_t i = 5; i < f.size(); ++i) {
      if (!f[i].text.empty()) ignored_.insert(column_name(i));
    }
    if (name.empty() || !m || !n || !k) return;
    std::string fields = "name: " + quoted(name) + ", type: matmul, m: " + std::to_string(m) +
                         ", n: " + std::to_string(n) + ", k: " + std::to_string(k);
    if (sp > 0) fields += ", sparsity: " + format(sp);
    emit(line, fields);
  }

  std::string run(const std::string& text, const std::string& name) {
    std::istringstream in(text);
    std::string raw;
    int line = 0;
    bool header_seen = false;
    while (std::getline(in, raw)) {
      ++line;
      if (line == 1 && raw.rfind("\xEF\xBB\xBF", 0) == 0) raw.erase(0, 3);  // UTF-8 BOM
      const std::vector<Field> f = split(raw);
      if (all_empty(f)) continue;
      if (!header_seen) {
        header_seen = true;
        header_ = f;
        if (!detect(line, f)) break;
        continue;
      }
      gemm_ ? gemm_row(line, f) : conv_row(line, f);
    }
    if (!header_seen) error(0, 0, "", "empty file: expected a SCALE-Sim topology CSV");
    if (diagnostics_.empty() && count_ == 0) error(0, 0, "", "no layers after the header");
    if (!diagnostics_.empty()) throw ConfigError(diagnostics_);
    std::string out = yaml(name);
    check_loads(out);
    return out;
  }

 private:
  bool detect(int line, const std::vector<Field>& f) {
    auto is = [&](std::size_t i, const std::string& v) {
      return i < f.size() && lower(f[i].text) == lower(v);
    };
    const bool layer = is(0, "layer") || is(0, "layer name");
    if (layer && is(1, "M") && is(2, "N") && is(3, "K")) {
      gemm_ = true;
      return true;
    }
    bool conv = layer;
    for (std::size_t i = 1; i < kConvColumns.size(); ++i) conv = conv && is(i, kConvColumns[i]);
    if (conv) return true;
    error(line, 1, "",
          "not a SCALE-Sim topology: the header must begin 'Layer name, IFMAP Height, IFMAP Width, "
          "Filter Height, Filter Width, Channels, Num Filter, Strides' (conv) or 'Layer, M, N, K' "
          "(GEMM)");
    return false;
  }

  std::string column_name(std::size_t i) const {
    if (i < header_.size() && !header_[i].text.empty()) return "'" + header_[i].text + "'";
    return "column " + std::to_string(i + 1);
  }

  static std::string format(double v) {
    std::ostringstream os;
    os.precision(6);
    os << v;
    return os.str();
  }

  std::string yaml(const std::string& name) const {
    std::ostringstream y;
    const std::string base = std::filesystem::path(file_).filename().string();
    y << "# Imported by `hmasim import scalesim` from " << printable(base) << " (SCALE-Sim "
      << (gemm_ ? "GEMM" : "conv") << " topology, " << count_ << " layers).\n";
    if (gemm_) {
      y << "# Each row is an independent [M x K] x [K x N] product; the K x N operand "
           "(SCALE-Sim's\n"
           "# filter) is stored weights. MACs = M x N x K, as SCALE-Sim counts them.\n";
    } else {
      y << "# SCALE-Sim convolutions are 'valid': the IFMAP sizes already include padding (padding "
           "0\n"
           "# here) and OFMAP = (IFMAP - Filter) / Stride + 1. Rows are independent layers, so "
           "each\n"
           "# states its input shape. MACs = OFMAP h x w x R x S x C x K, as SCALE-Sim counts "
           "them.\n";
    }
    if (!ignored_.empty()) {
      std::string cols;
      for (const auto& c : ignored_) cols += (cols.empty() ? "" : ", ") + printable(c);
      y << "# Ignored extra columns (not part of the SCALE-Sim format): " << cols << "\n";
    }
    y << "name: "
      << quoted(usable_name(name.empty() ? std::filesystem::path(file_).stem().string() : name))
      << "\n";
    y << "source: " << quoted("SCALE-Sim topology " + usable_name(base) + " (imported)") << "\n";
    y << "precision: 8\n";
    y << "layers:\n" << layers_;
    return y.str();
  }

  // What the importer writes must load. A row whose values each pass but whose layer our loader
  // refuses (a dimension or a weight count past hmasim's bounds) is reported at its CSV line.
  void check_loads(const std::string& out) const {
    try {
      (void)load_network_text(out, file_ + " (imported)");
    } catch (const ConfigError& e) {
      std::vector<Diagnostic> mapped;
      for (const Diagnostic& d : e.diagnostics()) {
        Diagnostic m{file_, 0, 0, d.key, d.message};
        // Keys name the layer as layers[N]...: row N of the CSV.
        const auto open = d.key.find("layers[");
        if (open != std::string::npos) {
          const std::size_t n = std::strtoull(d.key.c_str() + open + 7, nullptr, 10);
          if (n < rows_.size()) m.line = rows_[n];
        }
        mapped.push_back(m);
      }
      throw ConfigError(mapped);
    }
  }

  std::string file_;
  std::vector<int> rows_;  // per emitted layer, its CSV line
  std::vector<Diagnostic> diagnostics_;
  std::vector<Field> header_;
  bool gemm_ = false;
  std::set<std::string> names_;      // names given to layers so far
  std::set<std::string> originals_;  // names as the CSV wrote them
  std::set<std::string> ignored_;
  std::string comments_for_next_;
  std::string layers_;
  std::size_t count_ = 0;
};

}  // namespace

std::string import_scalesim(const std::string& text, const std::string& file,
                            const std::string& name) {
  return Importer(file).run(text, name);
}

std::string import_scalesim_file(const std::string& file, const std::string& name) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError({Diagnostic{file, 0, 0, "", "cannot open file"}});
  std::ostringstream ss;
  ss << in.rdbuf();
  return import_scalesim(ss.str(), file, name);
}

}  // namespace hmasim
