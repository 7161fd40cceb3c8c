#include "workloads/network.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "core/yaml_source.hpp"

namespace hmasim {

const Layer* Network::find(const std::string& layer_name) const {
  for (const Layer& l : layers) {
    if (l.name == layer_name) return &l;
  }
  return nullptr;
}

std::vector<std::string> network_tasks(const Network& net) {
  std::vector<std::string> tasks;
  for (const Layer& l : net.layers) {
    if (!l.task.empty() && std::find(tasks.begin(), tasks.end(), l.task) == tasks.end()) {
      tasks.push_back(l.task);
    }
  }
  return tasks;
}

namespace {

constexpr std::array<LayerType, 11> kTypes = {
    LayerType::conv,      LayerType::dwconv, LayerType::fc,       LayerType::pool,
    LayerType::eltwise,   LayerType::matmul, LayerType::linear,   LayerType::softmax,
    LayerType::layernorm, LayerType::gelu,   LayerType::embedding};

std::vector<std::string> type_names() {
  std::vector<std::string> v;
  for (LayerType t : kTypes) v.emplace_back(to_string(t));
  return v;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// ---------------------------------------------------------------------------------------------
// Layer properties that `defaults:` may set for every layer or per type. A layer's own key wins
// over `defaults.<type>`, which wins over `defaults`.

struct Defaults {
  std::optional<bool> bias, batchnorm, shared;
  std::optional<double> sparsity;
  std::optional<std::uint32_t> cluster_bits;
  std::optional<std::string> memory;
};

// Which properties a layer type accepts: everything may carry a folded batch norm (its parameters
// may be task-specific); only layers with weights have bias, sparsity, clusters and a memory.
std::vector<std::string> property_keys(LayerType t) {
  std::vector<std::string> keys = {"batchnorm", "shared"};
  if (type_has_weights(t)) keys.insert(keys.end(), {"bias", "sparsity", "cluster_bits", "memory"});
  return keys;
}

void check_sparsity(const ConfigNode& n, const std::optional<double>& v) {
  if (v)
    n.require(*v >= 0.0 && *v <= 1.0, "sparsity",
              "must be between 0 and 1 (fraction of zero weights)");
}
void check_cluster_bits(const ConfigNode& n, const std::optional<std::uint32_t>& v) {
  if (v) n.require(*v >= 1 && *v <= 16, "cluster_bits", "must be between 1 and 16");
}

// Reads the property keys present in `n`. `applicable` limits them (a per-type block); keys of
// other properties are reported.
Defaults read_properties(const ConfigNode& n, const std::vector<std::string>& applicable,
                         const std::string& what) {
  Defaults d;
  auto allowed = [&](const char* key) {
    if (!n.has(key)) return false;
    if (contains(applicable, key)) return true;
    n.error(key, std::string("'") + key + "' does not apply to " + what);
    return false;
  };
  if (allowed("bias")) d.bias = n.find<bool>("bias");
  if (allowed("batchnorm")) d.batchnorm = n.find<bool>("batchnorm");
  if (allowed("shared")) d.shared = n.find<bool>("shared");
  if (allowed("sparsity")) d.sparsity = n.find<double>("sparsity");
  if (allowed("cluster_bits")) d.cluster_bits = n.find<std::uint32_t>("cluster_bits");
  if (allowed("memory")) d.memory = n.find<std::string>("memory");
  check_sparsity(n, d.sparsity);
  check_cluster_bits(n, d.cluster_bits);
  return d;
}

struct AllDefaults {
  Defaults all;
  std::map<LayerType, Defaults> per_type;
  std::optional<ConfigNode> node;             // `defaults`
  std::map<LayerType, ConfigNode> type_node;  // `defaults.<type>`
  // Which defaults some layer took ("sparsity", "conv.bias", "precision" for the network's).
  std::set<std::string> applied;
};

AllDefaults read_defaults(const ConfigNode& root) {
  AllDefaults d;
  d.node = root.optional_child("defaults");
  if (!d.node) return d;
  d.all = read_properties(*d.node, property_keys(LayerType::conv), "every layer");
  for (LayerType t : kTypes) {
    if (auto per_type = d.node->optional_child(to_string(t))) {
      d.per_type[t] =
          read_properties(*per_type, property_keys(t), std::string(to_string(t)) + " layers");
      d.type_node.emplace(t, *per_type);
    }
  }
  return d;
}

// A property of a layer: its own value, else its type's default, else the network's default;
// records which default took effect.
template <class T>
T pick(AllDefaults& d, LayerType t, const char* key, const std::optional<T>& own,
       const std::optional<T>& type, const std::optional<T>& all, T fallback) {
  if (own) return *own;
  if (type) {
    d.applied.insert(std::string(to_string(t)) + "." + key);
    return *type;
  }
  if (all) {
    d.applied.insert(key);
    return *all;
  }
  return fallback;
}

// A default given with --set that no layer took would change nothing: an error.
void check_defaults_took_effect(const AllDefaults& d) {
  const std::string why = "no layer takes it: every layer it applies to sets its own";
  if (d.node) {
    for (const std::string& key : property_keys(LayerType::conv)) {
      if (d.node->has(key) && !d.applied.count(key)) d.node->shadowed(key, why + " " + key);
    }
  }
  for (const auto& [type, node] : d.type_node) {
    for (const std::string& key : property_keys(type)) {
      if (node.has(key) && !d.applied.count(std::string(to_string(type)) + "." + key)) {
        node.shadowed(key, why + " " + key);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Stage one: one layer.

// Keys a layer of type `t` accepts (besides `source`, a note anywhere).
std::vector<std::string> layer_keys(LayerType t) {
  std::vector<std::string> keys = {"name", "type", "precision", "task"};
  const auto props = property_keys(t);
  keys.insert(keys.end(), props.begin(), props.end());
  // A layer norm's scale and shift may be shared too (ALBERT shares every parameter).
  if (type_has_weights(t) || t == LayerType::layernorm) keys.push_back("shares");
  if (t == LayerType::eltwise) {
    keys.insert(keys.end(), {"inputs", "op", "pad_channels"});
    return keys;
  }
  keys.insert(keys.end(), {"input", "h", "w", "c"});
  switch (t) {
    case LayerType::conv:
      keys.insert(keys.end(), {"k", "r", "s", "stride", "padding", "groups"});
      break;
    case LayerType::dwconv:
      keys.insert(keys.end(), {"k", "r", "s", "stride", "padding"});
      break;
    case LayerType::fc:
      keys.push_back("k");
      break;
    case LayerType::pool:
      keys.insert(keys.end(), {"mode", "r", "s", "stride", "padding", "global"});
      break;
    case LayerType::matmul:
      keys.insert(keys.end(), {"m", "n", "k", "rhs", "inputs", "transpose", "heads"});
      break;
    case LayerType::linear:
      keys.push_back("k");
      break;
    case LayerType::embedding:
      keys.insert(keys.end(), {"vocab", "k"});
      break;
    case LayerType::eltwise:
    case LayerType::softmax:
    case LayerType::layernorm:
    case LayerType::gelu:
      break;
  }
  return keys;
}

// A dimension: a positive integer (required or optional).
std::uint64_t positive(const ConfigNode& n, const char* key, bool required,
                       std::uint64_t fallback = 0) {
  if (!n.has(key)) {
    if (required)
      n.error("", std::string("missing required key '") + key + "' (a positive integer)");
    return fallback;
  }
  const std::uint64_t v = n.get<std::uint64_t>(key, 0);
  if (!n.require(v > 0, key, "must be a positive integer")) return fallback;
  if (!n.require(v <= kMaxDimension, key,
                 "must be at most " + std::to_string(kMaxDimension) + " (2^24)")) {
    return fallback;
  }
  return v;
}

// A padding: zero or a dimension.
std::uint64_t padding(const ConfigNode& n) {
  const std::uint64_t v = n.get<std::uint64_t>("padding", 0);
  if (!n.require(v <= kMaxDimension, "padding",
                 "must be at most " + std::to_string(kMaxDimension) + " (2^24)")) {
    return 0;
  }
  return v;
}

void read_inputs(const ConfigNode& n, Layer& l) {
  // A matmul of two activations names both producers: inputs: [a, b].
  const bool pair = l.type == LayerType::matmul && n.has("inputs");
  if (l.type == LayerType::eltwise || pair) {
    YAML::Node list = n.raw("inputs");
    if (!list.IsDefined()) {
      n.error("", "missing required key 'inputs' (a list of at least two layer names)");
      return;
    }
    if (pair && n.has("input")) {
      n.error("inputs", "give either input (one operand) or inputs: [a, b] (two), not both");
      return;
    }
    if (pair && (!list.IsSequence() || list.size() != 2)) {
      n.error("inputs", "a matmul takes exactly two inputs: [a, b] ([m x k] times [k x n])");
      return;
    }
    if (!list.IsSequence() || list.size() < 2) {
      n.error("inputs", "expected a list of at least two layer names, e.g. [a, b]");
      return;
    }
    for (const auto& item : list) {
      if (!item.IsScalar() || item.Scalar().empty()) {
        n.error("inputs", "expected a list of layer names");
        return;
      }
      l.inputs.push_back(item.Scalar());
    }
    return;
  }
  if (auto input = n.find<std::string>("input")) {
    if (input->empty()) {
      n.error("input", "expected a layer name (or 'input' for the network input)");
    } else {
      l.inputs.push_back(*input);
    }
  }
}

void read_declared_shape(const ConfigNode& n, Layer& l) {
  const bool any = n.has("h") || n.has("w") || n.has("c");
  if (any) {
    Shape s;
    s.h = positive(n, "h", true);
    s.w = positive(n, "w", true);
    s.c = positive(n, "c", true);
    l.declared_input = s;
  }
}

Layer parse_layer(const ConfigNode& n, AllDefaults& defaults, std::uint32_t precision) {
  Layer l;
  l.name = n.get<std::string>("name");
  if (n.has("name") && l.name.empty()) n.error("name", "must not be empty");
  // Without a valid type the other keys cannot be judged: report the type alone.
  const std::string type = n.get<std::string>("type");
  if (!n.has("type")) return l;
  if (!contains(type_names(), type)) {
    n.error("type", "'" + type + "' is not one of: " + join(type_names()));
    return l;
  }
  for (LayerType t : kTypes) {
    if (type == to_string(t)) l.type = t;
  }
  // Keys of other layer types are mistakes: say which keys this type takes.
  const std::vector<std::string> accepted = layer_keys(l.type);
  for (const std::string& key : n.keys()) {
    if (!contains(accepted, key)) {
      n.error(key, "unknown key '" + key + "' for a " + type +
                       " layer (expected one of: " + join(accepted) + ")");
    }
  }

  if (auto task = n.find<std::string>("task")) {
    if (task->empty()) {
      n.error("task", "expected the name of a task head (e.g. mnli); omit it for every task");
    } else {
      l.task = *task;
    }
  }
  if (auto shares = n.find<std::string>("shares")) {
    if (shares->empty()) {
      n.error("shares", "expected the name of an earlier layer whose weights this one uses");
    } else {
      l.shares = *shares;
    }
    // The stored copy is the owner's: its storage properties are the owner's too.
    for (const char* key : {"sparsity", "cluster_bits", "memory", "bias", "shared"}) {
      if (n.has(key))
        n.error(key, std::string("a layer that shares another's weights takes '") + key +
                         "' from it: set it on '" + *shares + "'");
    }
  }
  l.precision = n.get<std::uint32_t>("precision", precision);
  if (!n.has("precision")) defaults.applied.insert("precision");
  if (n.has("precision")) {
    n.require(l.precision >= 1 && l.precision <= 32, "precision", "must be between 1 and 32 bits");
  }
  read_inputs(n, l);
  if (l.type != LayerType::eltwise) read_declared_shape(n, l);

  switch (l.type) {
    case LayerType::conv:
    case LayerType::dwconv:
      l.k = positive(n, "k", l.type == LayerType::conv);  // dwconv: 0 = one kernel per channel
      l.r = positive(n, "r", true, 1);
      l.s = positive(n, "s", false, l.r);
      l.stride = positive(n, "stride", false, 1);
      l.padding = padding(n);
      if (l.type == LayerType::conv) l.groups = positive(n, "groups", false, 1);
      break;
    case LayerType::fc:
      l.k = positive(n, "k", true);
      break;
    case LayerType::pool:
      l.pool_mode =
          n.choice("mode", {"max", "avg"}, "max") == "avg" ? PoolMode::avg : PoolMode::max;
      l.global_pool = n.get<bool>("global", false);
      if (l.global_pool) {
        for (const char* key : {"r", "s", "stride", "padding"}) {
          if (n.has(key))
            n.error(key, "a global pool covers the whole input: no r, s, stride or padding");
        }
      } else {
        l.r = positive(n, "r", true, 1);
        l.s = positive(n, "s", false, l.r);
        // As in PyTorch, a pooling window moves by its own size unless told otherwise.
        l.stride = positive(n, "stride", false, l.r);
        l.padding = padding(n);
      }
      break;
    case LayerType::eltwise:
      l.eltwise_op =
          n.choice("op", {"add", "mul"}, "add") == "mul" ? EltwiseOp::mul : EltwiseOp::add;
      l.pad_channels = n.get<bool>("pad_channels", false);
      break;
    case LayerType::matmul:
      l.m = positive(n, "m", false);
      // With inputs: [a, b] the product's width follows from b (n is then a check).
      l.n = positive(n, "n", !n.has("inputs"));
      l.k = positive(n, "k", false);
      l.rhs_weights = n.choice("rhs", {"weights", "activations"}, "weights") == "weights";
      l.transpose = n.get<bool>("transpose", false);
      l.heads = positive(n, "heads", false, 1);
      if (n.has("inputs") && l.rhs_weights)
        n.error("inputs", "inputs: [a, b] multiplies two activations: give rhs: activations");
      for (const char* key : {"transpose", "heads"}) {
        if (n.has(key) && !n.has("inputs"))
          n.error(key, std::string("'") + key +
                           "' applies to a matmul of two activations (rhs: activations, "
                           "inputs: [a, b])");
      }
      // m and k without a producer or h/w/c state the input (an independent GEMM, as imported).
      if (l.m && l.k && !l.declared_input && l.inputs.empty())
        l.declared_input = Shape{l.m, 1, l.k};
      if (!l.rhs_weights) {
        for (const char* key : {"bias", "sparsity", "cluster_bits", "memory", "shares"}) {
          if (n.has(key)) n.error(key, "a matmul with rhs: activations has no weights");
        }
      }
      break;
    case LayerType::linear:
      l.k = positive(n, "k", true);
      break;
    case LayerType::embedding:
      l.vocab = positive(n, "vocab", true);
      l.k = positive(n, "k", true);
      break;
    case LayerType::softmax:
    case LayerType::layernorm:
    case LayerType::gelu:
      break;
  }

  const auto type_it = defaults.per_type.find(l.type);
  const Defaults none;
  const Defaults& td = type_it == defaults.per_type.end() ? none : type_it->second;
  const Defaults own = read_properties(n, property_keys(l.type), std::string(type) + " layers");
  const bool weighted = type_has_weights(l.type);
  const LayerType t = l.type;
  l.batchnorm =
      pick(defaults, t, "batchnorm", own.batchnorm, td.batchnorm, defaults.all.batchnorm, false);
  l.shared = pick(defaults, t, "shared", own.shared, td.shared, defaults.all.shared, true);
  if (weighted) {
    l.bias = pick(defaults, t, "bias", own.bias, td.bias, defaults.all.bias, false);
    l.sparsity =
        pick(defaults, t, "sparsity", own.sparsity, td.sparsity, defaults.all.sparsity, 0.0);
    l.memory =
        pick(defaults, t, "memory", own.memory, td.memory, defaults.all.memory, std::string());
    if (own.cluster_bits || td.cluster_bits || defaults.all.cluster_bits) {
      l.cluster_bits = pick(defaults, t, "cluster_bits", own.cluster_bits, td.cluster_bits,
                            defaults.all.cluster_bits, std::uint32_t{0});
    }
    if (l.cluster_bits && *l.cluster_bits > l.precision) {
      n.error(n.has("cluster_bits") ? "cluster_bits" : "",
              "cluster_bits " + std::to_string(*l.cluster_bits) + " exceeds the precision of " +
                  std::to_string(l.precision) + " bits");
    }
  }
  return l;
}

// Stage one for a whole document, keeping each layer's node for stage-two diagnostics.
struct Parsed {
  Network net;
  std::vector<ConfigNode> nodes;
  std::vector<bool> parse_ok;
};

Parsed parse(const ConfigNode& root) {
  Parsed p;
  Network& net = p.net;
  ConfigDocument& doc = root.document();
  net.file = doc.file();
  net.name = root.get<std::string>("name", std::filesystem::path(doc.file()).stem().string());
  net.source = root.get<std::string>("source", "");
  if (auto weights = root.find<std::string>("weights")) {
    if (root.require(!weights->empty(), "weights", "expected the path of a weights file")) {
      const std::filesystem::path w(*weights);
      net.weights = w.is_absolute() || doc.file().empty()
                        ? w.string()
                        : (std::filesystem::path(doc.file()).parent_path() / w).string();
    }
  }
  net.precision = root.get<std::uint32_t>("precision", 8);
  // A bad value is reported here once; layers then inherit a neutral 8 bits.
  if (!root.require(net.precision >= 1 && net.precision <= 32, "precision",
                    "must be between 1 and 32 bits")) {
    net.precision = 8;
  }
  if (auto input = root.optional_child("input")) {
    Shape s;
    s.h = positive(*input, "h", true);
    s.w = positive(*input, "w", true);
    s.c = positive(*input, "c", true);
    net.input = s;
  }
  AllDefaults defaults = read_defaults(root);

  YAML::Node list = root.raw("layers");
  if (!list.IsDefined()) {
    root.error("", "missing required key 'layers' (the list of layers)");
    return p;
  }
  if (!list.IsSequence() || list.size() == 0) {
    root.error("layers", list.IsMap()
                             ? "expected a list of layers (layers cannot be set with --set)"
                             : "expected a non-empty list of layers");
    return p;
  }
  // Layers are list items, which the document does not walk: each gets a node of its own (path
  // `layers[i]`) so its diagnostics carry the file, line and key like any other.
  auto source = std::make_shared<ConfigSource>(ConfigSource{doc.file(), false});
  for (std::size_t i = 0; i < list.size(); ++i) {
    YAML::Node item = list[i];
    ConfigNode node(&doc, "layers[" + std::to_string(i) + "]", {ConfigNode::Layer{item, source}});
    const std::size_t before = doc.diagnostics().size();
    if (!item.IsMap()) {
      node.error("", "expected a map describing a layer ({name: ..., type: ...})");
      net.layers.emplace_back();
    } else {
      net.layers.push_back(parse_layer(node, defaults, net.precision));
    }
    net.layers.back().index = i;
    p.nodes.push_back(node);
    p.parse_ok.push_back(doc.diagnostics().size() == before);
  }
  check_defaults_took_effect(defaults);
  if (!defaults.applied.count("precision")) {
    root.shadowed("precision", "every layer sets its own precision");
  }
  return p;
}

Network load(std::unique_ptr<ConfigDocument> doc) {
  Network net;
  net.file = doc->file();
  if (doc->parsed()) {
    Parsed p = parse(doc->root());
    // Layers that failed to parse are left out of stage two (silently, with their dependents):
    // their neutral stand-in values would only add follow-on errors.
    const bool resolved = resolve_network(
        p.net,
        [&](std::size_t i, const std::string& key, const std::string& message) {
          p.nodes[i].error(key, message);
        },
        &p.parse_ok);
    // An input shape given with --set that no layer reads would change nothing.
    const auto input = doc->root().optional_child("input");
    const bool all_parsed =
        std::all_of(p.parse_ok.begin(), p.parse_ok.end(), [](bool ok) { return ok; });
    if (input && resolved && all_parsed) {
      const bool read = std::any_of(p.net.layers.begin(), p.net.layers.end(), [](const Layer& l) {
        return std::find(l.sources.begin(), l.sources.end(), kNetworkInput) != l.sources.end();
      });
      for (const char* key : {"h", "w", "c"}) {
        if (!read) {
          input->shadowed(key, "no layer reads the network input (every layer states its own)");
        }
      }
    }
    net = std::move(p.net);
  }
  try {
    doc->finish();
  } catch (const ConfigError& e) {
    // Stage two reports after stage one: in file order they read like a compiler's messages.
    std::vector<Diagnostic> sorted = e.diagnostics();
    std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return a.file == b.file && (a.line != b.line ? a.line < b.line : a.column < b.column);
    });
    throw ConfigError(sorted);
  }
  return net;
}

}  // namespace

Network parse_network(const ConfigNode& root) {
  return parse(root).net;
}

Network load_network(const std::string& file, const std::vector<std::string>& overrides) {
  return load(ConfigDocument::load_file(file, overrides, kWorkloadOverridePrefix));
}

Network load_network_text(const std::string& text, const std::string& name,
                          const std::vector<std::string>& overrides) {
  return load(ConfigDocument::load_string(text, name, overrides, kWorkloadOverridePrefix));
}

bool is_network_file(const std::string& file) {
  const YAML::Node root = peek_yaml_map(file);
  return root.IsDefined() && root["layers"].IsDefined();
}

}  // namespace hmasim
