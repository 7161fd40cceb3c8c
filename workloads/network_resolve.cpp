// Stage two of the workload format (workloads/network.hpp): each layer's producers, input and
// output shapes, MACs, weights and parameters, computed with overflow checks against the bounds
// of workloads/layer.hpp; every inconsistency is reported with the layer and key it concerns.
#include <algorithm>
#include <initializer_list>
#include <map>
#include <optional>

#include "core/integer_math.hpp"
#include "workloads/network.hpp"

namespace hmasim {

namespace {

// The name by which layers refer to the network input.
const char* const kInputName = "input";

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
    const std::string key = l.inputs.size() > 1 ? "inputs" : "input";
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
      if (l.in.empty()) l.in.assign(1, *l.declared_input);
    }
    if (!tasks(i, l)) return false;
    if (!map_fits(i, l.declared_input ? "h" : "", "input map's", l.in.front())) return false;
    if (!shape(i, l) || !map_fits(i, "", "output map's", l.out)) return false;
    if (!l.shares.empty() && !share(i, l)) return false;
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

  // A layer of task T reads only layers every task runs or layers of T: a task head cannot feed
  // the backbone or another task's head.
  bool tasks(std::size_t i, const Layer& l) {
    for (int s : l.sources) {
      if (s == kNetworkInput) continue;
      const Layer& p = net_.layers[static_cast<std::size_t>(s)];
      if (p.task.empty() || p.task == l.task) continue;
      fail(i, l.inputs.empty() ? "" : (l.inputs.size() > 1 ? "inputs" : "input"),
           "reads '" + p.name + "', which runs only for task '" + p.task + "'; " +
               (l.task.empty() ? "a layer every task runs cannot read a task head (give it task: " +
                                     p.task + ")"
                               : "a layer of task '" + l.task + "' cannot read another task's"));
      return false;
    }
    return true;
  }

  // `shares: X`: X is an earlier layer with weights of the same type and kernel geometry; this
  // layer computes with X's stored copy (followed to the layer that owns it) and stores none.
  bool share(std::size_t i, Layer& l) {
    const auto it = defined_.find(l.shares);
    if (it == defined_.end()) {
      fail(i, "shares",
           all_names_.count(l.shares)
               ? "layer '" + l.shares +
                     "' comes later in the file; a layer shares an earlier one's weights"
               : "no layer named '" + l.shares + "' to share weights with");
      return false;
    }
    if (!valid_[it->second]) return false;  // its own error says what is wrong
    const Layer& target = net_.layers[it->second];
    if (l.type == LayerType::layernorm) return share_norm(i, l, target, it->second);
    if (!target.uses_weights()) {
      fail(i, "shares",
           "layer '" + target.name + "' (" + to_string(target.type) + ") has no weights to share");
      return false;
    }
    if (target.type != l.type) {
      fail(i, "shares",
           "layer '" + target.name + "' is a " + to_string(target.type) + " layer; a " +
               to_string(l.type) + " layer shares only the weights of a " + to_string(l.type) +
               " layer");
      return false;
    }
    const KernelGeometry a = kernel_geometry(target), b = kernel_geometry(l);
    const auto describe = [](const KernelGeometry& g) {
      return std::to_string(g.groups * g.kernels_per_group) + " kernels of " +
             std::to_string(g.channels) + "x" + std::to_string(g.r) + "x" + std::to_string(g.s) +
             (g.groups > 1 ? " in " + std::to_string(g.groups) + " groups" : "");
    };
    if (a.groups != b.groups || a.kernels_per_group != b.kernels_per_group ||
        a.channels != b.channels || a.r != b.r || a.s != b.s) {
      fail(i, "shares",
           "shape mismatch: this layer's weights are " + describe(b) + ", '" + target.name +
               "' has " + describe(a));
      return false;
    }
    if (target.precision != l.precision) {
      fail(i, "shares",
           "'" + target.name + "' stores " + std::to_string(target.precision) +
               "-bit weights, this layer computes at " + std::to_string(l.precision) + " bits");
      return false;
    }
    const std::size_t owner = target.owner.value_or(it->second);
    const Layer& o = net_.layers[owner];
    l.owner = owner;
    l.bias = o.bias;
    l.sparsity = o.sparsity;
    l.cluster_bits = o.cluster_bits;
    l.memory = o.memory;
    l.shared = o.shared;
    l.params = 0;  // stored once, counted on the owner
    return true;
  }

  // A layer norm shares another layer norm's scale and shift over the same channels.
  bool share_norm(std::size_t i, Layer& l, const Layer& target, std::size_t index) {
    if (target.type != LayerType::layernorm) {
      fail(i, "shares",
           "layer '" + target.name + "' is a " + to_string(target.type) +
               " layer; a layernorm shares only another layernorm's parameters");
      return false;
    }
    if (target.out.c != l.out.c) {
      fail(i, "shares",
           "shape mismatch: this layer normalises " + std::to_string(l.out.c) + " channels, '" +
               target.name + "' " + std::to_string(target.out.c));
      return false;
    }
    const std::size_t owner = target.owner.value_or(index);
    l.owner = owner;
    l.shared = net_.layers[owner].shared;
    l.params = 0;
    return true;
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
        ((l.type == LayerType::fc || l.type == LayerType::linear) && l.k == 0) ||
        (l.type == LayerType::matmul && l.n == 0 && l.inputs.size() != 2)) {
      fail(i, l.type == LayerType::matmul ? "n" : "k", "must be a positive integer");
      return false;
    }
    if (l.type == LayerType::eltwise && l.inputs.size() < 2) {
      fail(i, "inputs", "an eltwise layer needs at least two inputs");
      return false;
    }
    if (l.type == LayerType::embedding && (l.vocab == 0 || l.k == 0)) {
      fail(i, "vocab", "an embedding needs a positive vocab and k");
      return false;
    }
    if (l.heads == 0) {
      fail(i, "heads", "must be a positive integer");
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
      case LayerType::matmul:
        if (l.two_operand_matmul()) {
          if (!activation_product(i, l)) return false;
          out_c = l.n;
          break;
        } else {
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
          if (l.rhs_weights &&
              !product(i, "n", "weights", {l.k, l.n}, kMaxLayerWeights, l.weights)) {
            return false;
          }
          break;
        }
      case LayerType::linear:
        // Every token (h*w rows) times the c x k weight matrix.
        l.out = {in.h, in.w, 0};
        out_c = l.k;
        if (!product(i, "k", "weights", {in.c, l.k}, kMaxLayerWeights, l.weights) ||
            !product(i, "k", "MACs", {in.h, in.w, l.weights}, kMaxLayerMacs, l.macs)) {
          return false;
        }
        break;
      case LayerType::softmax:
      case LayerType::layernorm:
      case LayerType::gelu:
        l.out = in;
        out_c = in.c;
        break;
      case LayerType::embedding:
        if (in.c != 1) {
          fail(i, l.declared_input ? "c" : "",
               "an embedding reads one token id per position: its input must have c = 1, not " +
                   to_string(in));
          return false;
        }
        l.out = {in.h, in.w, 0};
        out_c = l.k;
        if (!product(i, "vocab", "weights", {l.vocab, l.k}, kMaxLayerWeights, l.weights)) {
          return false;
        }
        break;
    }
    l.out.c = out_c;
    // A layer norm's scale and shift are parameters like a batch norm's (not stored weights).
    l.params = l.weights + (l.bias ? out_c : 0) + (l.batchnorm ? 2 * out_c : 0) +
               (l.type == LayerType::layernorm ? 2 * out_c : 0);
    return true;
  }

  // [m x k] times [k x n] of two activations, per head: a is h x w x (heads * kh) with m = h*w;
  // b is n x (heads * kh) with transpose (Q.K^T: its rows are the product's columns) or
  // kh x (heads * nh) without (softmax.V). The output is h x w x (heads * nh).
  bool activation_product(std::size_t i, Layer& l) {
    const Shape& a = l.in[0];
    const Shape& b = l.in[1];
    const std::uint64_t heads = l.heads;
    const std::string names =
        "'" + l.inputs[0] + "' is " + to_string(a) + ", '" + l.inputs[1] + "' is " + to_string(b);
    if (a.c % heads != 0 || b.c % heads != 0) {
      fail(i, "heads",
           "heads=" + std::to_string(heads) + " must divide both operands' channels (" + names +
               ")");
      return false;
    }
    const std::uint64_t kh = a.c / heads;
    const std::uint64_t b_rows = b.h * b.w;
    std::uint64_t nh = 0;
    if (l.transpose) {
      if (b.c != a.c) {
        fail(i, "inputs",
             "transpose: true multiplies a by b^T: both need the same channels (" + names + ")");
        return false;
      }
      nh = b_rows;
    } else {
      if (b_rows != kh) {
        fail(i, "inputs",
             "b must have as many rows (h*w = " + std::to_string(b_rows) +
                 ") as a has channels per head (" + std::to_string(kh) + "): " + names +
                 (b.c == a.c ? " (for a times b^T give transpose: true)" : ""));
        return false;
      }
      nh = b.c / heads;
    }
    const std::uint64_t rows = a.h * a.w;
    if (l.m && l.m != rows) {
      fail(i, "m",
           "m=" + std::to_string(l.m) + " but '" + l.inputs[0] + "' has " + std::to_string(rows) +
               " rows (h*w)");
      return false;
    }
    if (l.k && l.k != a.c) {
      fail(i, "k",
           "k=" + std::to_string(l.k) + " but '" + l.inputs[0] + "' has " + std::to_string(a.c) +
               " columns (c)");
      return false;
    }
    const std::uint64_t n = heads * nh;
    if (l.n && l.n != n) {
      fail(i, "n",
           "n=" + std::to_string(l.n) + " but the product has " + std::to_string(n) + " columns (" +
               std::to_string(heads) + " heads x " + std::to_string(nh) + ")");
      return false;
    }
    l.m = rows;
    l.k = a.c;
    l.n = n;
    l.out = {a.h, a.w, 0};
    l.weights = 0;
    return product(i, "inputs", "MACs", {rows, nh, a.c}, kMaxLayerMacs, l.macs);
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

}  // namespace

bool resolve_network(Network& net, const LayerErrorSink& report, const std::vector<bool>* skip) {
  return Resolver(net, report, skip).run();
}

}  // namespace hmasim
