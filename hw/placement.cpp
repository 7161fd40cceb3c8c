#include "hw/placement.hpp"

#include <algorithm>
#include <map>
#include <optional>

namespace hmasim {

namespace {

constexpr std::uint64_t kAlign = 256;  // DMA requests never cross 256 B: start regions there
std::uint64_t align_up(std::uint64_t v) {
  return (v + kAlign - 1) / kAlign * kAlign;
}

// First-fit allocator over [0, capacity) with explicit frees.
class RegionAllocator {
 public:
  explicit RegionAllocator(std::uint64_t capacity) : capacity_(capacity) { free_[0] = capacity; }
  std::optional<std::uint64_t> allocate(std::uint64_t bytes) {
    bytes = align_up(std::max<std::uint64_t>(bytes, 1));
    for (auto it = free_.begin(); it != free_.end(); ++it) {
      if (it->second < bytes) continue;
      const std::uint64_t at = it->first;
      const std::uint64_t rest = it->second - bytes;
      free_.erase(it);
      if (rest > 0) free_[at + bytes] = rest;
      used_ += bytes;
      peak_ = std::max(peak_, at + bytes);
      return at;
    }
    return std::nullopt;
  }
  void release(std::uint64_t at, std::uint64_t bytes) {
    bytes = align_up(std::max<std::uint64_t>(bytes, 1));
    used_ -= bytes;
    auto next = free_.emplace(at, bytes).first;
    // Merge with the neighbours so large maps find room again.
    auto after = std::next(next);
    if (after != free_.end() && next->first + next->second == after->first) {
      next->second += after->second;
      free_.erase(after);
    }
    if (next != free_.begin()) {
      auto before = std::prev(next);
      if (before->first + before->second == next->first) {
        before->second += next->second;
        free_.erase(next);
      }
    }
  }
  std::uint64_t free_bytes() const { return capacity_ - used_; }
  std::uint64_t peak() const { return peak_; }

 private:
  std::uint64_t capacity_;
  std::uint64_t used_ = 0;
  std::uint64_t peak_ = 0;
  std::map<std::uint64_t, std::uint64_t> free_;  // offset -> length
};

std::size_t index_of(const std::vector<MemoryInfo>& m, const std::string& name) {
  for (std::size_t i = 0; i < m.size(); ++i) {
    if (m[i].name == name) return i;
  }
  throw PlacementError("memory '" + name + "' is not linked to the accelerator");
}

std::string mib(std::uint64_t bytes) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%llu B (%.2f MiB)", static_cast<unsigned long long>(bytes),
                static_cast<double>(bytes) / 1048576.0);
  return buf;
}

}  // namespace

std::uint64_t map_bytes(const Shape& s, std::uint32_t precision) {
  return s.elements() * ((precision + 7) / 8);
}

Placement place_network(const Network& net, const std::vector<std::uint64_t>& weight_bytes,
                        const PlacementConfig& config, const std::vector<MemoryInfo>& memories,
                        PlaceOptions options) {
  Placement p;
  p.weights.resize(net.layers.size());
  p.inputs.resize(net.layers.size());
  p.outputs.resize(net.layers.size());
  p.weight_bytes_per_memory.assign(memories.size(), 0);
  p.activation_peak_per_memory.assign(memories.size(), 0);

  // Weights, in layer order; the demand per memory is checked as a whole, so the error can say
  // how much is missing.
  std::vector<std::uint64_t> used(memories.size(), 0);
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    if (weight_bytes[i] == 0) continue;
    const std::string& name = l.memory.empty() ? config.weights : l.memory;
    std::size_t m = index_of(memories, name);
    const std::uint64_t bytes = align_up(weight_bytes[i]);
    if (used[m] + bytes > memories[m].capacity && !config.weight_overflow.empty()) {
      m = index_of(memories, config.weight_overflow);
    }
    p.weights[i] = {m, used[m], weight_bytes[i]};
    used[m] += bytes;
  }
  // A layer that shares another's weights (`shares:`) reads the owner's one stored copy.
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    if (const auto owner = net.layers[i].owner) p.weights[i] = p.weights[*owner];
  }
  for (std::size_t m = 0; m < memories.size(); ++m) {
    p.weight_bytes_per_memory[m] = used[m];
    if (used[m] > memories[m].capacity) {
      throw PlacementError("the weights placed in '" + memories[m].name + "' need " +
                           (options.lower_bounds ? "at least " : "") + mib(used[m]) +
                           " but it holds " + mib(memories[m].capacity) + ": short by " +
                           mib(used[m] - memories[m].capacity) +
                           (config.weight_overflow.empty()
                                ? " (set placement.weight_overflow to spill to another memory)"
                                : ""));
    }
  }

  // Activations: regions after the weights, reused by liveness.
  std::vector<RegionAllocator> alloc;
  for (std::size_t m = 0; m < memories.size(); ++m) {
    alloc.emplace_back(memories[m].capacity - std::min(memories[m].capacity, align_up(used[m])));
  }
  const std::size_t act = index_of(memories, config.activations);
  const auto base = [&](std::size_t m) { return align_up(used[m]); };
  const auto allocate = [&](std::uint64_t bytes, const std::string& what) -> Region {
    if (auto at = alloc[act].allocate(bytes)) return {act, base(act) + *at, bytes};
    if (!config.activation_overflow.empty()) {
      const std::size_t o = index_of(memories, config.activation_overflow);
      if (auto at = alloc[o].allocate(bytes)) return {o, base(o) + *at, bytes};
    }
    throw PlacementError(what + " (" + mib(bytes) + ") does not fit in '" + memories[act].name +
                         "' (" + mib(alloc[act].free_bytes()) + " free)" +
                         (config.activation_overflow.empty()
                              ? " and no placement.activation_overflow is configured"
                              : " nor in the overflow memory"));
  };
  // Last layer reading each output (kNetworkInput -> index 0 of `last_use_input`).
  std::vector<std::size_t> last_use(net.layers.size());
  std::size_t input_last_use = 0;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    last_use[i] = i;
    for (int s : net.layers[i].sources) {
      if (s == kNetworkInput) {
        input_last_use = i;
      } else {
        last_use[static_cast<std::size_t>(s)] = i;
      }
    }
  }
  const auto fused = [&](std::size_t i) {
    return i < options.fused_output.size() && options.fused_output[i];
  };
  for (std::size_t i = 0; i + 1 < net.layers.size(); ++i) {
    if (!fused(i)) continue;
    for (int s : net.layers[i].sources) {
      std::size_t& last = s == kNetworkInput ? input_last_use : last_use[static_cast<std::size_t>(s)];
      last = std::max(last, i + 1);
    }
  }
  if (options.multi_task) input_last_use = net.layers.size();
  // The largest input a layer reads from the network input (tasks that are networks of their
  // own each start there).
  std::uint64_t input_bytes = 0;
  for (const Layer& l : net.layers) {
    if (l.declared_input && l.index > 0) continue;  // reads a map of its own (below)
    for (std::size_t k = 0; k < l.sources.size() && k < l.in.size(); ++k) {
      if (l.sources[k] == kNetworkInput) {
        input_bytes = std::max(input_bytes, map_bytes(l.in[k], l.precision));
      }
    }
  }
  if (input_bytes == 0 && !net.layers.empty()) {
    input_bytes = map_bytes(net.layers.front().input(), net.layers.front().precision);
  }
  p.input = allocate(input_bytes, "the network input");
  bool input_live = true;
  std::vector<bool> live(net.layers.size(), false);
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    // Inputs of layer i stay allocated while it runs; everything whose last reader ran is freed.
    if (input_live && input_last_use < i) {
      alloc[p.input.memory].release(p.input.offset - base(p.input.memory), p.input.bytes);
      input_live = false;
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (live[j] && last_use[j] < i) {
        const Region& r = p.outputs[j];
        alloc[r.memory].release(r.offset - base(r.memory), r.bytes);
        live[j] = false;
      }
    }
    const Layer& l = net.layers[i];
    // Where each input is read from. A layer that states its own input shape (an imported,
    // unchained layer) reads a map of its own, allocated for the layer's run.
    std::vector<Region> own;
    for (std::size_t k = 0; k < l.sources.size(); ++k) {
      const int s = l.sources[k];
      if (s != kNetworkInput) {
        p.inputs[i].push_back(p.outputs[static_cast<std::size_t>(s)]);
      } else if (l.declared_input && i > 0) {
        own.push_back(
            allocate(map_bytes(l.in[k], l.precision), "the input of layer '" + l.name + "'"));
        p.inputs[i].push_back(own.back());
      } else {
        // A task's network reads its own input's bytes of the shared input region.
        Region in = p.input;
        in.bytes = std::min(in.bytes, map_bytes(l.in[k], l.precision));
        p.inputs[i].push_back(in);
      }
    }
    if (fused(i)) {
      p.outputs[i] = {act, base(act), 0};
    } else {
      p.outputs[i] =
          allocate(map_bytes(l.out, l.precision), "the output of layer '" + l.name + "'");
      live[i] = true;
    }
    for (const Region& r : own) alloc[r.memory].release(r.offset - base(r.memory), r.bytes);
  }
  for (std::size_t m = 0; m < memories.size(); ++m) {
    p.activation_peak_per_memory[m] = alloc[m].peak();
  }
  return p;
}

}  // namespace hmasim
