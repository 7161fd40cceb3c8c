#include "core/config_node.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>

#include "core/quantity.hpp"
#include "core/yaml_source.hpp"

namespace hmasim {

std::string Diagnostic::str() const {
  std::ostringstream os;
  os << file;
  if (line > 0) {
    os << ':' << line;
    if (column > 0) os << ':' << column;
  }
  os << ": ";
  if (!key.empty()) os << key << ": ";
  os << message;
  return os.str();
}

namespace {
std::string join_diagnostics(const std::vector<Diagnostic>& d) {
  std::string s;
  for (const auto& x : d) {
    if (!s.empty()) s += '\n';
    s += x.str();
  }
  return s;
}

// Keys that are documentation or structure, never consumer values.
bool is_meta_key(const std::string& k) {
  return k == "source" || k == "preset";
}

std::string describe(const YAML::Node& n) {
  return describe_yaml(n);
}

}  // namespace

ConfigError::ConfigError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_diagnostics(diagnostics)), diagnostics_(std::move(diagnostics)) {}

// ---------------------------------------------------------------------------------------------
// ConfigNode

ConfigNode::ConfigNode(ConfigDocument* doc, std::string path, std::vector<Layer> layers)
    : doc_(doc), path_(std::move(path)), layers_(std::move(layers)) {}

std::string ConfigNode::child_path(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

std::optional<ConfigNode::Found> ConfigNode::lookup(const std::string& key) const {
  for (const Layer& l : layers_) {
    if (!l.node.IsMap()) continue;
    YAML::Node v = l.node[key];
    if (v.IsDefined()) return Found{v, &l};
  }
  return std::nullopt;
}

bool ConfigNode::has(const std::string& key) const {
  doc_->mark_asked(path_, key);
  return lookup(key).has_value();
}

std::vector<std::string> ConfigNode::keys() const {
  std::vector<std::string> out;
  for (const Layer& l : layers_) {
    if (!l.node.IsMap()) continue;
    for (const auto& kv : l.node) {
      const std::string k = kv.first.Scalar();
      if (is_meta_key(k)) continue;
      if (std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
    }
  }
  return out;
}

std::optional<ConfigNode> ConfigNode::optional_child(const std::string& key) const {
  doc_->mark_asked(path_, key);
  const std::string p = child_path(key);
  std::vector<Layer> layers;
  bool bad = false;
  for (const Layer& l : layers_) {
    if (!l.node.IsMap()) continue;
    YAML::Node v = l.node[key];
    if (!v.IsDefined()) continue;
    if (v.IsNull()) continue;  // "key:" with nothing: an empty map
    if (!v.IsMap()) {
      // A value under maps of higher layers (an override map over a file's scalar) is shadowed.
      if (layers.empty()) {
        doc_->report(&l, v, p, "expected a map of settings, got " + describe(v));
        bad = true;
      }
      break;
    }
    layers.push_back({v, l.source});
  }
  if (layers.empty() && !bad) {
    if (!lookup(key)) return std::nullopt;
  }
  if (bad) {
    // The maps of lower layers are hidden by the bad value: their keys are not "unknown".
    doc_->mark_opaque(p);
    return ConfigNode(doc_, p, {});
  }
  doc_->mark_used(p, true);
  // A block may inherit defaults from a preset file, which may name a preset of its own: the
  // chain is followed to its end (the first layer naming a preset wins); a cycle is an error.
  const auto naming = std::find_if(layers.begin(), layers.end(),
                                   [](const Layer& l) { return l.node["preset"].IsDefined(); });
  if (naming != layers.end()) {
    doc_->mark_used(p + ".preset", false);
    // By index: yaml-cpp nodes are handles, and assigning a Layer would overwrite its node.
    std::size_t from = static_cast<std::size_t>(naming - layers.begin());
    std::vector<std::string> chain;
    while (layers[from].node["preset"].IsDefined()) {
      const YAML::Node name = layers[from].node["preset"];
      auto preset = doc_->load_preset(layers[from], name, p);
      if (!preset) break;
      const std::string file = preset->source->file;
      if (std::find(chain.begin(), chain.end(), file) != chain.end() ||
          chain.size() >= kMaxPresetChain) {
        std::string path;
        for (const auto& f : chain) path += f + " -> ";
        doc_->report(&layers[from], name, p + ".preset",
                     chain.size() >= kMaxPresetChain
                         ? "presets name presets more than " + std::to_string(kMaxPresetChain) +
                               " deep: " + path + file
                         : "presets name each other in a cycle: " + path + file);
        break;
      }
      chain.push_back(file);
      layers.push_back(*preset);
      from = layers.size() - 1;
    }
  }
  return ConfigNode(doc_, p, std::move(layers));
}

bool ConfigNode::from_command_line(const std::string& key) const {
  const auto f = lookup(key);
  return f && f->layer->source && f->layer->source->command_line;
}

std::string ConfigNode::where(const std::string& key) const {
  const auto f = lookup(key);
  if (!f || !f->layer->source) return path_.empty() ? key : child_path(key);
  const std::string name = child_path(key);
  if (f->layer->source->command_line) return "--set " + name;
  return name + " (" + f->layer->source->file + ":" + std::to_string(f->node.Mark().line + 1) + ")";
}

void ConfigNode::shadowed(const std::string& key, const std::string& by,
                          const std::string& instead) const {
  if (!from_command_line(key)) return;
  error(key, "has no effect: " + by + (instead.empty() ? "" : "; " + instead));
}

YAML::Node ConfigNode::scalar_under_map(const std::string& key) const {
  bool map_above = false;
  for (const Layer& l : layers_) {
    if (!l.node.IsMap()) continue;
    YAML::Node v = l.node[key];
    if (!v.IsDefined() || v.IsNull()) continue;
    if (v.IsMap() && !v["value"]) {
      map_above = true;
      continue;
    }
    if (map_above) {
      doc_->mark_used(child_path(key), false);
      return v;
    }
    break;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

ConfigNode ConfigNode::with_defaults(Layer defaults) const {
  std::vector<Layer> layers = layers_;
  layers.push_back(std::move(defaults));
  return ConfigNode(doc_, path_, std::move(layers));
}

ConfigNode ConfigNode::child(const std::string& key) const {
  if (auto c = optional_child(key)) return *c;
  error(key, "missing required section '" + key + "'");
  return ConfigNode(doc_, child_path(key), {});
}

YAML::Node ConfigNode::raw(const std::string& key) const {
  doc_->mark_asked(path_, key);
  auto f = lookup(key);
  if (!f) return YAML::Node(YAML::NodeType::Undefined);
  doc_->mark_used(child_path(key), false);
  return f->node;
}

void ConfigNode::error(const std::string& key, const std::string& message) const {
  if (auto f = lookup(key)) {
    doc_->report(f->layer, f->node, child_path(key), message);
    return;
  }
  const Layer* at = layers_.empty() ? nullptr : &layers_.front();
  doc_->report(at, at ? at->node : YAML::Node(), key.empty() ? path_ : child_path(key), message);
}

bool ConfigNode::require(bool ok, const std::string& key, const std::string& message) const {
  if (!ok) error(key, message);
  return ok;
}

void ConfigNode::ignore_unread_keys() const {
  doc_->mark_opaque(path_);
}

std::optional<std::string> ConfigNode::scalar(const std::string& key, const char* expected,
                                              bool& reported) const {
  reported = false;
  doc_->mark_asked(path_, key);
  auto f = lookup(key);
  if (!f) return std::nullopt;
  doc_->mark_used(child_path(key), false);
  YAML::Node v = f->node;
  if (v.IsMap() && v["value"].IsDefined()) {
    for (const auto& kv : v) {
      const std::string k = kv.first.Scalar();
      if (k != "value" && k != "source") {
        doc_->report(
            f->layer, kv.first, child_path(key) + "." + k,
            "unknown key '" + k + "' (a value may be written {value: X, source: \"...\"})");
      }
    }
    v = v["value"];
  }
  if (!v.IsScalar()) {
    doc_->report(f->layer, v, child_path(key),
                 std::string("expected ") + expected + ", got " + describe(v));
    reported = true;
    return std::nullopt;
  }
  return v.Scalar();
}

namespace {

// Converters from scalar text; throw QuantityError with a message for the user.
template <class T>
struct Convert;

template <>
struct Convert<std::string> {
  static constexpr const char* expected = "a string";
  static std::string from(const std::string& s) { return s; }
};
template <>
struct Convert<bool> {
  static constexpr const char* expected = "true or false";
  static bool from(const std::string& s) {
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
    throw QuantityError("'" + s + "' is not true or false");
  }
};

// Integers accept decimal and 0x hex; a unit or fraction is an error.
// Messages leave out the expected type: find() appends it.
template <class I>
I integer_from(const std::string& s, const char* /*what*/) {
  errno = 0;
  char* end = nullptr;
  const bool neg = !s.empty() && s[0] == '-';
  if (neg && std::is_unsigned<I>::value) throw QuantityError("'" + s + "' is negative");
  long long sv = 0;
  unsigned long long uv = 0;
  if (neg) {
    sv = std::strtoll(s.c_str(), &end, 0);
  } else {
    uv = std::strtoull(s.c_str(), &end, 0);
  }
  // strtoull accepts leading spaces and signs of its own; the whole text must be the number.
  const bool digits_first =
      !s.empty() && (neg ? s.size() > 1 && std::isdigit(static_cast<unsigned char>(s[1]))
                         : std::isdigit(static_cast<unsigned char>(s[0])));
  if (!digits_first || end == s.c_str() || *end != '\0') {
    throw QuantityError("'" + s + "' is not a whole number");
  }
  if (errno == ERANGE) throw QuantityError("'" + s + "' is out of range");
  if (neg) {
    if (sv < static_cast<long long>(std::numeric_limits<I>::min())) {
      throw QuantityError("'" + s + "' is out of range");
    }
    return static_cast<I>(sv);
  }
  if (uv > static_cast<unsigned long long>(std::numeric_limits<I>::max())) {
    throw QuantityError("'" + s + "' is out of range");
  }
  return static_cast<I>(uv);
}

template <>
struct Convert<int> {
  static constexpr const char* expected = "an integer";
  static int from(const std::string& s) { return integer_from<int>(s, expected); }
};
template <>
struct Convert<std::int64_t> {
  static constexpr const char* expected = "an integer";
  static std::int64_t from(const std::string& s) { return integer_from<std::int64_t>(s, expected); }
};
template <>
struct Convert<std::uint64_t> {
  static constexpr const char* expected = "a non-negative integer";
  static std::uint64_t from(const std::string& s) {
    return integer_from<std::uint64_t>(s, expected);
  }
};
template <>
struct Convert<std::uint32_t> {
  static constexpr const char* expected = "a non-negative integer";
  static std::uint32_t from(const std::string& s) {
    return integer_from<std::uint32_t>(s, expected);
  }
};
template <>
struct Convert<double> {
  static constexpr const char* expected = "a number";
  static double from(const std::string& s) {
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (s.empty() || *end != '\0' || !std::isfinite(v)) {
      throw QuantityError("'" + s + "' is not a number");
    }
    return v;
  }
};
template <>
struct Convert<Bytes> {
  static constexpr const char* expected = "a size such as 64KiB";
  static Bytes from(const std::string& s) { return parse_bytes(s); }
};
template <>
struct Convert<Time> {
  static constexpr const char* expected = "a time such as 10ns";
  static Time from(const std::string& s) { return parse_time(s); }
};
template <>
struct Convert<Frequency> {
  static constexpr const char* expected = "a frequency such as 1GHz";
  static Frequency from(const std::string& s) { return parse_frequency(s); }
};
template <>
struct Convert<Energy> {
  static constexpr const char* expected = "an energy such as 5pJ";
  static Energy from(const std::string& s) { return parse_energy(s); }
};
template <>
struct Convert<Power> {
  static constexpr const char* expected = "a power such as 28mW";
  static Power from(const std::string& s) { return parse_power(s); }
};
template <>
struct Convert<Bandwidth> {
  static constexpr const char* expected = "a bandwidth such as 25GB/s";
  static Bandwidth from(const std::string& s) { return parse_bandwidth(s); }
};

template <>
struct Convert<Current> {
  static constexpr const char* expected = "a current such as 45mA";
  static Current from(const std::string& s) { return parse_current(s); }
};
template <>
struct Convert<Voltage> {
  static constexpr const char* expected = "a voltage such as 1.1V";
  static Voltage from(const std::string& s) { return parse_voltage(s); }
};

}  // namespace

template <class T>
std::optional<T> ConfigNode::find(const std::string& key) const {
  bool reported = false;
  auto text = scalar(key, Convert<T>::expected, reported);
  if (reported) return T{};
  if (!text) return std::nullopt;
  try {
    return Convert<T>::from(*text);
  } catch (const QuantityError& e) {
    // Quantity messages already show valid examples; others get told the expected type.
    std::string msg = e.what();
    if (msg.find("expected") == std::string::npos)
      msg += std::string("; expected ") + Convert<T>::expected;
    error(key, msg);
    return T{};
  }
}

template <class T>
T ConfigNode::get(const std::string& key) const {
  if (auto v = find<T>(key)) return *v;
  error("", "missing required key '" + key + "' (expected " + Convert<T>::expected + ")");
  return T{};
}

template <class T>
T ConfigNode::get(const std::string& key, T fallback) const {
  if (auto v = find<T>(key)) return *v;
  return fallback;
}

#define HMASIM_CONFIG_TYPE(T)                                              \
  template std::optional<T> ConfigNode::find<T>(const std::string&) const; \
  template T ConfigNode::get<T>(const std::string&) const;                 \
  template T ConfigNode::get<T>(const std::string&, T) const;
HMASIM_CONFIG_TYPE(std::string)
HMASIM_CONFIG_TYPE(bool)
HMASIM_CONFIG_TYPE(int)
HMASIM_CONFIG_TYPE(std::int64_t)
HMASIM_CONFIG_TYPE(std::uint64_t)
HMASIM_CONFIG_TYPE(std::uint32_t)
HMASIM_CONFIG_TYPE(double)
HMASIM_CONFIG_TYPE(Bytes)
HMASIM_CONFIG_TYPE(Time)
HMASIM_CONFIG_TYPE(Frequency)
HMASIM_CONFIG_TYPE(Energy)
HMASIM_CONFIG_TYPE(Power)
HMASIM_CONFIG_TYPE(Bandwidth)
HMASIM_CONFIG_TYPE(Current)
HMASIM_CONFIG_TYPE(Voltage)
#undef HMASIM_CONFIG_TYPE

std::string comma_separated(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

std::string ConfigNode::choice(const std::string& key,
                               const std::vector<std::string>& allowed) const {
  const std::string v = get<std::string>(key);
  if (!has(key)) return allowed.empty() ? std::string() : allowed.front();
  if (std::find(allowed.begin(), allowed.end(), v) != allowed.end()) return v;
  error(key, "'" + v + "' is not one of: " + comma_separated(allowed));
  return allowed.empty() ? std::string() : allowed.front();
}

std::string ConfigNode::choice(const std::string& key, const std::vector<std::string>& allowed,
                               const std::string& fallback) const {
  if (!has(key)) return fallback;
  return choice(key, allowed);
}

}  // namespace hmasim
