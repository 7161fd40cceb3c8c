#include "workloads/network.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <memory>

#include "core/integer_math.hpp"
#include "core/yaml_source.hpp"

namespace hmasim {

const Layer* Network::find(const std::string& layer_name) const {
  for (const Layer& l : layers) {
    if (l.name == layer_name) return &l;
  }
  return nullptr;
}

namespace {

// The name by which layers refer to the network input.
const char* const kInputName = "input";

constexpr std::array<LayerType, 6> kTypes = {LayerType::conv,    LayerType::dwconv,
                                             LayerType::fc,      LayerType::pool,
                                             LayerType::eltwise, LayerType::matmul};

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
};

AllDefaults read_defaults(const ConfigNode& root) {
  AllDefaults d;
  auto block = root.optional_child("defaults");
  if (!block) return d;
  d.all = read_properties(*block, property_keys(LayerType::conv), "every layer");
  for (LayerType t : kTypes) {
    if (auto per_type = block->optional_child(to_string(t))) {
      d.per_type[t] =
          read_properties(*per_type, property_keys(t), std::string(to_string(t)) + " layers");
    }
  }
  return d;
}

template <class T>
T pick(const std::optional<T>& layer, const std::optional<T>& type, const std::optional<T>& all,
       T fallback) {
  if (layer) return *layer;
  if (type) return *type;
  if (all) return *all;
  return fallback;
}

// ---------------------------------------------------------------------------------------------
// Stage one: one layer.

// Keys a layer of type `t` accepts (besides `source`, a note anywhere).
std::vector<std::string> layer_keys(LayerType t) {
  std::vector<std::string> keys = {"name", "type", "precision"};
  const auto props = property_keys(t);
  keys.insert(keys.end(), props.begin(), props.end());
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
      keys.insert(keys.end(), {"m", "n", "k", "rhs"});
      break;
    case LayerType::eltwise:
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
  if (l.type == LayerType::eltwise) {
    YAML::Node list = n.raw("inputs");
    if (!list.IsDefined()) {
      n.error("", "missing required key 'inputs' (a list of at least two layer names)");
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

Layer parse_layer(const ConfigNode& n, const AllDefaults& defaults, std::uint32_t precision) {
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

  l.precision = n.get<std::uint32_t>("precision", precision);
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
      l.n = positive(n, "n", true);
      l.k = positive(n, "k", false);
      l.rhs_weights = n.choice("rhs", {"weights", "activations"}, "weights") == "weights";
      // m and k without a producer or h/w/c state the input (an independent GEMM, as imported).
      if (l.m && l.k && !l.declared_input && l.inputs.empty())
        l.declared_input = Shape{l.m, 1, l.k};
      if (!l.rhs_weights) {
        for (const char* key : {"bias", "sparsity", "cluster_bits", "memory"}) {
          if (n.has(key)) n.error(key, "a matmul with rhs: activations has no weights");
        }
      }
      break;
  }

  const auto type_it = defaults.per_type.find(l.type);
  const Defaults none;
  const Defaults& td = type_it == defaults.per_type.end() ? none : type_it->second;
  const Defaults own = read_properties(n, property_keys(l.type), std::string(type) + " layers");
  const bool weighted = type_has_weights(l.type);
  l.batchnorm = pick(own.batchnorm, td.batchnorm, defaults.all.batchnorm, false);
  l.shared = pick(own.shared, td.shared, defaults.all.shared, true);
  if (weighted) {
    l.bias = pick(own.bias, td.bias, defaults.all.bias, false);
    l.sparsity = pick(own.sparsity, td.sparsity, defaults.all.sparsity, 0.0);
    l.memory = pick(own.memory, td.memory, defaults.all.memory, std::string());
    l.cluster_bits = own.cluster_bits  ? own.cluster_bits
                     : td.cluster_bits ? td.cluster_bits
                                       : defaults.all.cluster_bits;
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
  const AllDefaults defaults = read_defaults(root);

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
  return p;
}

// ---------------------------------------------------------------------------------------------
// Stage two.

class Resolver {
 public:
  Resolver(Network& net, const LayerErrorSink& report, const std::vector<bool>* skip)
      : net_(net), report_(report), skip_(skip) {}

  bool run() {
    for (std::size_t i = 0; i < net_.layers.size(); ++i) {
      net_.layers[i].index = i;
      all_names_.emplace(net_.layers[i].name, i);
    }
    valid_.assign(net_.layers.size(), false);
    for (std::size_t i = 0; i < net_.layers.size(); ++i) {
      Layer& l = net_.layers[i];
      const bool skipped = skip_ && i < skip_->size() && !(*skip_)[i];
      if (!skipped) valid_[i] = resolve(i, l);
      defined_.emplace(l.name, i);
    }
    return ok_;
  }

 private:
  void fail(std::size_t i, const std::string& key, const std::string& message) {
    ok_ = false;
    report_(i, key, message);
  }

  // Producer indices of layer i; false if one is unknown (reported) or failed itself (silent:
  // its own error says what is wrong).
  bool sources(std::size_t i, Layer& l) {
    l.sources.clear();
    const std::string key = l.type == LayerType::eltwise ? "inputs" : "input";
    if (l.inputs.empty()) {
      if (l.declared_input) return true;
      if (i > 0) {
        l.sources.push_back(static_cast<int>(i - 1));
      } else if (net_.input) {
        l.sources.push_back(kNetworkInput);
      } else {
        fail(i, "",
             "the first layer has no input: give the network an input: {h, w, c} or the layer "
             "h, w and c");
        return false;
      }
    }
    bool ok = true;
    for (const std::string& name : l.inputs) {
      auto it = defined_.find(name);
      if (it != defined_.end()) {
        l.sources.push_back(static_cast<int>(it->second));
      } else if (name == kInputName) {
        if (!net_.input) {
          fail(i, key, "'input' names the network input, but the network has no input: {h, w, c}");
          ok = false;
        }
        l.sources.push_back(kNetworkInput);
      } else if (all_names_.count(name)) {
        fail(i, key,
             "layer '" + name + "' comes later in the file; a layer's inputs must come before it");
        ok = false;
      } else {
        fail(i, key, "no layer named '" + name + "'");
        ok = false;
      }
    }
    if (!ok) return false;
    for (int s : l.sources) {
      if (s != kNetworkInput && !valid_[static_cast<std::size_t>(s)]) return false;
    }
    return true;
  }

  const Shape& shape_of(int source) const {
    return source == kNetworkInput ? *net_.input
                                   : net_.layers[static_cast<std::size_t>(source)].out;
  }

  // Output height or width of a sliding window; false (reported) if the window does not fit.
  bool window(std::size_t i, const char* key, const char* dim, std::uint64_t in,
              std::uint64_t kernel, std::uint64_t stride, std::uint64_t padding,
              std::uint64_t& out) {
    const std::uint64_t padded = in + 2 * padding;
    if (kernel > padded) {
      fail(i, key,
           std::string("kernel ") + key + "=" + std::to_string(kernel) +
               " is larger than the padded input " + dim + " " + std::to_string(padded) + " (" +
               dim + " " + std::to_string(in) + " + 2 x padding " + std::to_string(padding) + ")");
      return false;
    }
    out = (padded - kernel) / stride + 1;
    return true;
  }

  // out = the product of `factors`; false (reported at `key`) when it exceeds `limit`.
  bool product(std::size_t i, const std::string& key, const std::string& what,
               std::initializer_list<std::uint64_t> factors, std::uint64_t limit,
               std::uint64_t& out) {
    std::optional<std::uint64_t> p = 1;
    for (std::uint64_t f : factors) {
      if (p) p = checked_mul(*p, f, limit);
    }
    if (!p) {
      fail(i, key,
           "the layer is too large: its " + what + " exceed " + std::to_string(limit) +
               " (the bound on any workload)");
      return false;
    }
    out = *p;
    return true;
  }
  bool map_fits(std::size_t i, const std::string& key, const std::string& what, const Shape& s) {
    std::uint64_t elements = 0;
    return product(i, key, what + " elements", {s.h, s.w, s.c}, kMaxMapElements, elements);
  }

  bool resolve(std::size_t i, Layer& l) {
    bool ok = true;
    if (l.name == kInputName) {
      fail(i, "name", "'input' is reserved for the network input");
      ok = false;
    }
    if (auto it = defined_.find(l.name); it != defined_.end()) {
      fail(i, "name",
           "duplicate layer name '" + l.name + "' (also layers[" + std::to_string(it->second) +
               "])");
      ok = false;
    }
    if (!sources(i, l)) return false;
    l.in.clear();
    for (int s : l.sources) l.in.push_back(shape_of(s));
    if (l.declared_input) {
      // h, w, c together with input: a check that the producer gives what the author expects.
      if (!l.in.empty() && l.in.front() != *l.declared_input) {
        fail(i, "h",
             "the stated input " + to_string(*l.declared_input) + " differs from the " +
                 to_string(l.in.front()) + " that '" + l.inputs.front() + "' produces");
        return false;
      }
      l.in.assign(1, *l.declared_input);
    }
    if (!map_fits(i, l.declared_input ? "h" : "", "input map's", l.in.front())) return false;
    if (!shape(i, l) || !map_fits(i, "", "output map's", l.out)) return false;
    const auto total = checked_add(macs_, l.macs, kMaxNetworkMacs);
    if (!total) {
      fail(i, "",
           "the network is too large: its MACs per frame exceed " +
               std::to_string(kMaxNetworkMacs) + " (the bound on any workload)");
      return false;
    }
    macs_ = *total;
    return ok;
  }

  // Stage one guarantees these for parsed files; structs built in code get the same checks.
  bool declared_values(std::size_t i, const Layer& l) {
    const bool windowed = l.type == LayerType::conv || l.type == LayerType::dwconv ||
                          (l.type == LayerType::pool && !l.global_pool);
    if (windowed && (l.r == 0 || l.s == 0 || l.stride == 0)) {
      fail(i, "r", "r, s and stride must be positive");
      return false;
    }
    if ((l.type == LayerType::conv && (l.k == 0 || l.groups == 0)) ||
        (l.type == LayerType::fc && l.k == 0) || (l.type == LayerType::matmul && l.n == 0)) {
      fail(i, l.type == LayerType::matmul ? "n" : "k", "must be a positive integer");
      return false;
    }
    if (l.type == LayerType::eltwise && l.inputs.size() < 2) {
      fail(i, "inputs", "an eltwise layer needs at least two inputs");
      return false;
    }
    return true;
  }

  bool shape(std::size_t i, Layer& l) {
    if (!declared_values(i, l)) return false;
    const Shape in = l.in.front();
    std::uint64_t out_c = 0;
    l.macs = 0;
    l.weights = 0;
    switch (l.type) {
      case LayerType::conv:
      case LayerType::dwconv: {
        std::uint64_t groups = l.groups;
        if (l.type == LayerType::dwconv) {
          if (l.k == 0) l.k = in.c;
          if (l.k % in.c != 0) {
            fail(i, "k",
                 "a depthwise layer's k=" + std::to_string(l.k) +
                     " must be a multiple of its input channels c=" + std::to_string(in.c));
            return false;
          }
          groups = in.c;
        } else {
          if (in.c % groups != 0) {
            fail(i, "groups",
                 "input channels c=" + std::to_string(in.c) +
                     " are not divisible by groups=" + std::to_string(groups));
            return false;
          }
          if (l.k % groups != 0) {
            fail(i, "groups",
                 "output channels k=" + std::to_string(l.k) +
                     " are not divisible by groups=" + std::to_string(groups));
            return false;
          }
        }
        if (!window(i, "r", "height", in.h, l.r, l.stride, l.padding, l.out.h) ||
            !window(i, "s", "width", in.w, l.s, l.stride, l.padding, l.out.w)) {
          return false;
        }
        out_c = l.k;
        if (!product(i, "k", "weights", {l.k, in.c / groups, l.r, l.s}, kMaxLayerWeights,
                     l.weights) ||
            !product(i, "k", "MACs", {l.out.h, l.out.w, l.weights}, kMaxLayerMacs, l.macs)) {
          return false;
        }
        break;
      }
      case LayerType::fc:
        l.out = {1, 1, 0};
        out_c = l.k;
        if (!product(i, "k", "weights", {in.h, in.w, in.c, l.k}, kMaxLayerWeights, l.weights)) {
          return false;
        }
        l.macs = l.weights;
        break;
      case LayerType::pool:
        if (l.global_pool) {
          l.r = in.h;
          l.s = in.w;
          l.stride = 1;
          l.padding = 0;
        }
        if (!window(i, "r", "height", in.h, l.r, l.stride, l.padding, l.out.h) ||
            !window(i, "s", "width", in.w, l.s, l.stride, l.padding, l.out.w)) {
          return false;
        }
        out_c = in.c;
        break;
      case LayerType::eltwise:
        for (std::size_t j = 1; j < l.in.size(); ++j) {
          const Shape& other = l.in[j];
          const bool same_plane = other.h == in.h && other.w == in.w;
          const bool channels_fit = l.pad_channels ? other.c <= in.c : other.c == in.c;
          if (!same_plane || !channels_fit) {
            fail(i, "inputs",
                 "inputs have different shapes: '" + l.inputs[0] + "' is " + to_string(in) + ", '" +
                     l.inputs[j] + "' is " + to_string(other) +
                     (l.pad_channels && same_plane
                          ? " (pad_channels extends only inputs with fewer channels than the first)"
                          : ""));
            return false;
          }
        }
        l.out = in;
        out_c = in.c;
        break;
      case LayerType::matmul: {
        // The input is the [m x k] operand: h*w rows (tokens) of c features.
        const std::uint64_t rows = in.h * in.w;
        if (l.m && l.m != rows) {
          fail(i, "m",
               "m=" + std::to_string(l.m) + " but the input " + to_string(in) + " has " +
                   std::to_string(rows) + " rows (h*w)");
          return false;
        }
        if (l.k && l.k != in.c) {
          fail(i, "k",
               "k=" + std::to_string(l.k) + " but the input " + to_string(in) + " has " +
                   std::to_string(in.c) + " columns (c)");
          return false;
        }
        l.m = rows;
        l.k = in.c;
        l.out = {in.h, in.w, 0};
        out_c = l.n;
        if (!product(i, "n", "MACs", {l.m, l.n, l.k}, kMaxLayerMacs, l.macs)) return false;
        l.weights = 0;
        if (l.rhs_weights && !product(i, "n", "weights", {l.k, l.n}, kMaxLayerWeights, l.weights)) {
          return false;
        }
        break;
      }
    }
    l.out.c = out_c;
    l.params = l.weights + (l.bias ? out_c : 0) + (l.batchnorm ? 2 * out_c : 0);
    return true;
  }

  Network& net_;
  const LayerErrorSink& report_;
  const std::vector<bool>* skip_;
  std::map<std::string, std::size_t> all_names_;  // first index of each name in the file
  std::map<std::string, std::size_t> defined_;    // names of the layers before the current one
  std::vector<bool> valid_;
  std::uint64_t macs_ = 0;  // of the layers resolved so far
  bool ok_ = true;
};

Network load(std::unique_ptr<ConfigDocument> doc) {
  Network net;
  net.file = doc->file();
  if (doc->parsed()) {
    Parsed p = parse(doc->root());
    // Layers that failed to parse are left out of stage two (silently, with their dependents):
    // their neutral stand-in values would only add follow-on errors.
    Resolver(
        p.net,
        [&](std::size_t i, const std::string& key, const std::string& message) {
          p.nodes[i].error(key, message);
        },
        &p.parse_ok)
        .run();
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

bool resolve_network(Network& net, const LayerErrorSink& report) {
  return Resolver(net, report, nullptr).run();
}

Network load_network(const std::string& file, const std::vector<std::string>& overrides) {
  return load(ConfigDocument::load_file(file, overrides, kWorkloadOverridePrefix));
}

Network load_network_text(const std::string& text, const std::string& name,
                          const std::vector<std::string>& overrides) {
  return load(ConfigDocument::load_string(text, name, overrides, kWorkloadOverridePrefix));
}

bool is_network_file(const std::string& file) {
  std::string text;
  if (read_config_file(file, text)) return false;
  std::vector<Diagnostic> ignored;  // the loader that reads the file reports them
  const YamlText yaml = parse_yaml(text, file, ignored);
  return yaml.ok && yaml.root.IsMap() && yaml.root["layers"].IsDefined();
}

}  // namespace hmasim
