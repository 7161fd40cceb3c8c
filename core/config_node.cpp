#include "core/config_node.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/quantity.hpp"
#include "core/yaml_source.hpp"

namespace hmasim {

namespace fs = std::filesystem;

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

std::string fs_dir_of(const std::string& file) {
  fs::path p(file);
  return p.has_parent_path() ? p.parent_path().string() : std::string(".");
}

std::string& preset_dir_storage() {
  static std::string dir;
  return dir;
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

namespace {
std::string list_of(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}
}  // namespace

std::string ConfigNode::choice(const std::string& key,
                               const std::vector<std::string>& allowed) const {
  const std::string v = get<std::string>(key);
  if (!has(key)) return allowed.empty() ? std::string() : allowed.front();
  if (std::find(allowed.begin(), allowed.end(), v) != allowed.end()) return v;
  error(key, "'" + v + "' is not one of: " + list_of(allowed));
  return allowed.empty() ? std::string() : allowed.front();
}

std::string ConfigNode::choice(const std::string& key, const std::vector<std::string>& allowed,
                               const std::string& fallback) const {
  if (!has(key)) return fallback;
  return choice(key, allowed);
}

// ---------------------------------------------------------------------------------------------
// ConfigDocument

void ConfigDocument::set_preset_directory(std::string dir) {
  preset_dir_storage() = std::move(dir);
}

const std::string& ConfigDocument::preset_directory() {
  return preset_dir_storage();
}

std::unique_ptr<ConfigDocument> ConfigDocument::load_file(const std::string& file,
                                                          const std::vector<std::string>& overrides,
                                                          const std::string& override_prefix) {
  std::string text;
  if (auto why = read_config_file(file, text)) {
    std::unique_ptr<ConfigDocument> doc(new ConfigDocument());
    doc->file_ = file;
    doc->override_prefix_ = override_prefix;
    doc->diagnostics_.push_back({file, 0, 0, "", *why});
    doc->parse_overrides(overrides);
    return doc;
  }
  return load_string(text, file, overrides, override_prefix);
}

std::unique_ptr<ConfigDocument> ConfigDocument::load_string(
    const std::string& text, const std::string& name, const std::vector<std::string>& overrides,
    const std::string& override_prefix) {
  std::unique_ptr<ConfigDocument> doc(new ConfigDocument());
  doc->file_ = name;
  doc->override_prefix_ = override_prefix;
  doc->parse_overrides(overrides);
  auto source = std::make_shared<ConfigSource>(ConfigSource{name, false});
  const YamlText parsed = parse_yaml(text, name, doc->diagnostics_);
  if (!parsed.ok) return doc;
  const YAML::Node& root = parsed.root;
  if (!root.IsMap() && !root.IsNull()) {
    doc->diagnostics_.push_back(
        {name, root.Mark().line + 1, root.Mark().column + 1, "",
         "expected a map of settings at the top level, got " + describe(root)});
    return doc;
  }
  doc->root_layers_.push_back({root, source});
  doc->trees_.push_back({root, "", source});
  doc->parsed_ = true;
  return doc;
}

void ConfigDocument::parse_overrides(const std::vector<std::string>& overrides) {
  if (overrides.empty()) return;
  auto source = std::make_shared<ConfigSource>(ConfigSource{"--set", true});
  YAML::Node root(YAML::NodeType::Map);
  // Each key given, with the override that gave it: a later override that replaces or hides an
  // earlier one would make the earlier do nothing, silently.
  std::map<std::string, std::string> given;
  for (const std::string& o : overrides) {
    const auto eq = o.find('=');
    const std::string key = eq == std::string::npos ? o : o.substr(0, eq);
    if (eq == std::string::npos || key.empty()) {
      diagnostics_.push_back({"--set", 0, 0, override_prefix_ + key,
                              "expected key.path=value, got '" + override_prefix_ + o + "'"});
      continue;
    }
    std::vector<std::string> parts;
    std::stringstream ks(key);
    std::string part;
    bool bad = key.back() == '.';
    while (std::getline(ks, part, '.')) {
      if (part.empty()) bad = true;
      parts.push_back(part);
    }
    if (bad || parts.empty()) {
      diagnostics_.push_back(
          {"--set", 0, 0, override_prefix_ + key, "empty component in key path '" + key + "'"});
      continue;
    }
    // The same key twice, or a key and a key inside it: one of the two would have no effect.
    std::string conflict;
    std::string prefix;
    for (std::size_t i = 0; i < parts.size() && conflict.empty(); ++i) {
      prefix += (i ? "." : "") + parts[i];
      if (auto it = given.find(prefix); it != given.end()) conflict = it->second;
    }
    for (auto it = given.lower_bound(key + "."); conflict.empty() && it != given.end(); ++it) {
      if (it->first.compare(0, key.size() + 1, key + ".") != 0) break;
      conflict = it->second;
    }
    if (!conflict.empty()) {
      diagnostics_.push_back({"--set", 0, 0, override_prefix_ + key,
                              "'" + override_prefix_ + o + "' conflicts with '" + override_prefix_ +
                                  conflict + "': one of them would have no effect"});
      continue;
    }
    given.emplace(key, o);
    const std::string text = o.substr(eq + 1);
    // The value is read as YAML ([1, 2] is a list); text that is not valid YAML is a string.
    std::vector<Diagnostic> value_errors;
    const YamlText parsed = parse_yaml(text, "--set", value_errors, override_prefix_ + key);
    YAML::Node value;
    if (parsed.ok && !parsed.root.IsNull()) {
      value = parsed.root;
    } else if (parsed.ok || value_errors.empty() ||
               value_errors.front().message.rfind("YAML syntax error", 0) == 0) {
      value = YAML::Node(text);
    } else {
      diagnostics_.insert(diagnostics_.end(), value_errors.begin(), value_errors.end());
      continue;
    }
    if (!value_errors.empty() && parsed.ok) {
      diagnostics_.insert(diagnostics_.end(), value_errors.begin(), value_errors.end());
    }
    // yaml-cpp nodes are handles: walk with reset() so assignment never aliases siblings.
    YAML::Node cur;
    cur.reset(root);
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      if (!cur[parts[i]].IsMap()) cur[parts[i]] = YAML::Node(YAML::NodeType::Map);
      YAML::Node next = cur[parts[i]];
      cur.reset(next);
    }
    cur[parts.back()] = value;
  }
  root_layers_.insert(root_layers_.begin(), {root, source});
  trees_.push_back({root, "", source});
}

ConfigNode ConfigDocument::root() {
  return ConfigNode(this, "", root_layers_);
}

void ConfigDocument::report(const ConfigNode::Layer* layer, const YAML::Node& at, std::string key,
                            std::string message) {
  Diagnostic d;
  d.key = std::move(key);
  d.message = std::move(message);
  if (layer && layer->source) {
    d.file = layer->source->file;
    if (layer->source->command_line) d.key = override_prefix_ + d.key;
    if (!layer->source->command_line && at.IsDefined()) {
      d.line = at.Mark().line + 1;
      d.column = at.Mark().column + 1;
    }
  } else {
    d.file = file_;
  }
  // One report per key: a value read twice, or a bad value whose neutral stand-in then fails a
  // range check, must not be reported twice.
  for (const Diagnostic& x : diagnostics_) {
    if (x.key == d.key && (!d.key.empty() || x.message == d.message)) return;
  }
  diagnostics_.push_back(std::move(d));
}

void ConfigDocument::mark_used(const std::string& path, bool descend) {
  auto& v = used_[path];
  v = v || descend;
}

void ConfigDocument::mark_asked(const std::string& parent_path, const std::string& key) {
  asked_[parent_path].insert(key);
}

std::optional<ConfigNode::Layer> ConfigDocument::load_preset(const ConfigNode::Layer& from,
                                                             const YAML::Node& name_node,
                                                             const std::string& path) {
  if (!name_node.IsScalar()) {
    report(&from, name_node, path + ".preset",
           "expected a preset name, got " + describe(name_node));
    return std::nullopt;
  }
  const std::string name = name_node.Scalar();
  std::vector<fs::path> candidates;
  const bool is_path = name.find('/') != std::string::npos ||
                       (name.size() > 5 && name.substr(name.size() - 5) == ".yaml");
  const std::string base =
      from.source && !from.source->command_line ? fs_dir_of(from.source->file) : std::string(".");
  if (is_path) {
    candidates.push_back(fs::path(base) / name);
  } else {
    // presets/ beside the including file, then in each parent directory, then the shipped ones.
    for (fs::path dir = fs::absolute(base);; dir = dir.parent_path()) {
      candidates.push_back(dir / "presets" / (name + ".yaml"));
      if (dir == dir.parent_path()) break;
    }
    if (const char* env = std::getenv("HMASIM_PRESET_PATH")) {
      candidates.push_back(fs::path(env) / (name + ".yaml"));
    }
    if (!preset_dir_storage().empty()) {
      candidates.push_back(fs::path(preset_dir_storage()) / (name + ".yaml"));
    }
  }
  for (const fs::path& c : candidates) {
    if (!fs::is_regular_file(c)) continue;
    const std::string file = c.lexically_normal().string();
    // Each preset file is read once: a block read several times must not repeat its errors.
    if (auto cached = preset_cache_.find(file); cached != preset_cache_.end()) {
      if (cached->second) add_tree(cached->second->node, path, cached->second->source);
      return cached->second;
    }
    std::optional<ConfigNode::Layer>& entry = preset_cache_[file];
    auto source = std::make_shared<ConfigSource>(ConfigSource{file, false});
    std::string text;
    if (auto why = read_config_file(file, text)) {
      diagnostics_.push_back({file, 0, 0, "", *why});
      return entry;
    }
    const YamlText parsed = parse_yaml(text, file, diagnostics_);
    if (!parsed.ok) return entry;
    if (!parsed.root.IsMap()) {
      report(&from, name_node, path + ".preset",
             "preset file '" + file + "' does not hold a map of settings");
      return entry;
    }
    entry = ConfigNode::Layer{parsed.root, source};
    add_tree(parsed.root, path, source);
    return entry;
  }
  report(&from, name_node, path + ".preset",
         "no preset named '" + name + "' (looked for " +
             (candidates.empty() ? name : candidates.front().filename().string()) +
             " in presets/ directories and the shipped presets)");
  return std::nullopt;
}

void ConfigDocument::add_tree(const YAML::Node& node, const std::string& path,
                              const std::shared_ptr<const ConfigSource>& source) {
  // Scan each (file, place) once for unknown keys, however often the block is read.
  const bool seen = std::any_of(trees_.begin(), trees_.end(), [&](const Tree& t) {
    return t.path == path && t.source->file == source->file;
  });
  if (!seen) trees_.push_back({node, path, source});
}

void ConfigDocument::check_unused(const YAML::Node& node, const std::string& path,
                                  const std::shared_ptr<const ConfigSource>& source) {
  if (!node.IsMap()) return;
  ConfigNode::Layer layer{node, source};
  std::set<std::string> seen;
  for (const auto& kv : node) {
    // Keys are plain scalars (parse_yaml checked); duplicates were reported there.
    const std::string k = kv.first.Scalar();
    const std::string p = path.empty() ? k : path + "." + k;
    if (!seen.insert(k).second) continue;
    if (k == "source") continue;
    auto it = used_.find(p);
    if (it == used_.end()) {
      std::string msg = "unknown key '" + k + "'";
      const auto asked = asked_.find(path);
      if (asked != asked_.end() && !asked->second.empty()) {
        std::vector<std::string> expected(asked->second.begin(), asked->second.end());
        msg += " (expected one of: " + list_of(expected) + ")";
      }
      report(&layer, kv.first, p, msg);
      continue;
    }
    if (it->second) check_unused(kv.second, p, source);
  }
}

void ConfigDocument::finish() {
  if (!finished_) {
    finished_ = true;
    // Unknown keys only mean something when the file itself was read.
    if (parsed_) {
      for (const Tree& t : trees_) check_unused(t.node, t.path, t.source);
    }
  }
  if (!diagnostics_.empty()) throw ConfigError(diagnostics_);
}

}  // namespace hmasim
