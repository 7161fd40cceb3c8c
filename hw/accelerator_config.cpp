#include "hw/accelerator_config.hpp"

#include <algorithm>
#include <optional>

namespace hmasim {

const LinkConfig* AcceleratorConfig::link(const std::string& memory) const {
  for (const auto& l : links) {
    if (l.memory == memory) return &l;
  }
  return nullptr;
}

namespace {

bool is_power_of_two(std::uint64_t v) {
  return v != 0 && (v & (v - 1)) == 0;
}

// A count that must be at least 1; nullopt (reported) otherwise, so nothing derived from a bad
// value is computed.
std::optional<std::uint32_t> positive(const ConfigNode& n, const std::string& key,
                                      std::uint32_t fallback) {
  const auto v = n.get<std::uint32_t>(key, fallback);
  if (!n.require(v > 0, key, "must be at least 1")) return std::nullopt;
  return v;
}

std::string memory_name(const ConfigNode& n, const std::string& key, bool required,
                        const std::vector<std::string>& memories) {
  const std::string v = required ? n.get<std::string>(key) : n.get<std::string>(key, "");
  if (!v.empty() && std::find(memories.begin(), memories.end(), v) == memories.end()) {
    std::string names;
    for (const auto& m : memories) names += (names.empty() ? "" : ", ") + m;
    n.error(key, "no memory named '" + v + "' (the platform has: " + names + ")");
  }
  return v;
}

// `transport: nonblocking` is for a memory controller that keeps requests in flight: an LPDDR4
// DRAM on the path must have a buffered controller (its own nb_transport). An in-order one would
// be served through the interconnect's b_transport adapter, exactly as with `blocking`, which is
// not what the key asks for. Read from the platform's memory blocks (presets and --set included)
// since the accelerator's section is parsed without the memories' configs.
void check_nonblocking_targets(const ConfigNode& root, const ConfigNode& dma,
                               const std::vector<LinkConfig>& links) {
  const auto memories = root.optional_child("memories");
  if (!memories) return;
  for (const LinkConfig& l : links) {
    if (!memories->has(l.memory)) continue;
    const ConfigNode m = memories->child(l.memory);
    if (m.get<std::string>("model", "") != "lpddr4") continue;
    std::string scheduler = "in_order";  // the lpddr4 model's default (mem/lpddr4/lpddr4_config)
    if (const auto ctl = m.optional_child("controller")) {
      scheduler = ctl->get<std::string>("scheduler", scheduler);
    }
    if (scheduler == "in_order") {
      dma.error("transport",
                "nonblocking needs memory '" + l.memory +
                    "' (lpddr4) to keep requests in flight, but its controller is in_order "
                    "(b_transport only); give it a buffered controller (memories." +
                    l.memory + ".controller.scheduler: fr_fcfs) or use transport: blocking");
    }
  }
}

}  // namespace

AcceleratorConfig parse_accelerator(const ConfigNode& root,
                                    const std::vector<std::string>& memories) {
  AcceleratorConfig a;
  const ConfigNode acc = root.child("accelerator");
  a.clock = acc.get<Frequency>("clock", a.clock);
  if (!acc.require(a.clock >= kMinClock && a.clock <= kMaxClock, "clock",
                   "must be between 1kHz and 1THz (time is counted in whole picoseconds)")) {
    a.clock = Frequency(1'000'000'000);
  }
  a.area_mm2 = acc.get<double>("area_mm2", 0.0);
  a.power = parse_power_config(acc, false);
  acc.require(a.area_mm2 >= 0, "area_mm2", "must not be negative");

  const ConfigNode mac = acc.child("mac");
  a.mac.atomic_c = mac.get<std::uint32_t>("atomic_c");
  a.mac.atomic_k = mac.get<std::uint32_t>("atomic_k");
  mac.require(a.mac.atomic_c > 0 || !mac.has("atomic_c"), "atomic_c", "must be at least 1");
  mac.require(a.mac.atomic_k > 0 || !mac.has("atomic_k"), "atomic_k", "must be at least 1");
  a.mac.stripe_max_ops = positive(mac, "stripe_max_ops", 32).value_or(32);
  a.mac.stripe_min_cycles = mac.get<std::uint32_t>("stripe_min_cycles", 16);
  const std::string image =
      mac.choice("image_input", {"off", "pre_extension", "post_extension"}, "off");
  a.mac.image_input = image == "post_extension"  ? ImageInput::post_extension
                      : image == "pre_extension" ? ImageInput::pre_extension
                                                 : ImageInput::off;
  a.mac.winograd = mac.get<bool>("winograd", false);
  a.mac.pipeline_fill = Cycles(mac.get<std::uint32_t>("pipeline_fill", 0));
  a.mac.energy_per_mac = mac.get<Energy>("energy_per_mac");
  a.mac.leakage = mac.get<Power>("leakage", Power(0.0));

  const ConfigNode cbuf = acc.child("cbuf");
  a.cbuf.size = cbuf.get<Bytes>("size");
  const auto banks = positive(cbuf, "banks", 1);
  a.cbuf.banks = banks.value_or(1);
  if (a.cbuf.size.value() > 0) {
    if (banks) {
      cbuf.require(a.cbuf.size.value() % *banks == 0, "size",
                   "size " + to_string(a.cbuf.size) + " is not a multiple of " +
                       std::to_string(*banks) + " banks");
    }
  } else if (cbuf.has("size")) {
    cbuf.error("size", "must be positive");
  }
  a.cbuf.read_energy_per_byte = cbuf.get<Energy>("read_energy_per_byte", Energy(0.0));
  a.cbuf.write_energy_per_byte = cbuf.get<Energy>("write_energy_per_byte", Energy(0.0));
  a.cbuf.leakage = cbuf.get<Power>("leakage", Power(0.0));

  const auto dma = acc.optional_child("dma");
  if (dma) {
    a.dma.transport =
        dma->choice("transport", {"blocking", "nonblocking"}, "blocking") == "nonblocking"
            ? DmaTransport::nonblocking
            : DmaTransport::blocking;
    a.dma.max_outstanding = positive(*dma, "max_outstanding", 256).value_or(256);
    a.dma.max_request = dma->get<Bytes>("max_request", Bytes(256));
    a.dma.min_request = dma->get<Bytes>("min_request", Bytes(32));
    dma->require(is_power_of_two(a.dma.max_request.value()), "max_request",
                 "must be a power of two");
    dma->require(
        is_power_of_two(a.dma.min_request.value()) && a.dma.min_request <= a.dma.max_request,
        "min_request", "must be a power of two no larger than max_request");
  }
  if (auto post = acc.optional_child("post")) {
    a.post.outputs_per_cycle = positive(*post, "outputs_per_cycle", 16).value_or(16);
    a.post.nonlinear_elements_per_cycle =
        positive(*post, "nonlinear_elements_per_cycle", a.post.outputs_per_cycle)
            .value_or(a.post.outputs_per_cycle);
    a.post.pdp_elements_per_cycle =
        positive(*post, "pdp_elements_per_cycle", a.post.outputs_per_cycle)
            .value_or(a.post.outputs_per_cycle);
    a.post.fuse_eltwise = post->get<bool>("fuse_eltwise", false);
    a.post.energy_per_output = post->get<Energy>("energy_per_output", Energy(0.0));
    a.post.leakage = post->get<Power>("leakage", Power(0.0));
  }

  const ConfigNode links = root.child("interconnect");
  for (const std::string& m : links.keys()) {
    const ConfigNode l = links.child(m);
    if (std::find(memories.begin(), memories.end(), m) == memories.end()) {
      links.error(m, "no memory named '" + m + "' to link to");
      l.ignore_unread_keys();
      continue;
    }
    LinkConfig link;
    link.memory = m;
    link.bandwidth = l.get<Bandwidth>("bandwidth");
    // Beyond these a request's transfer time is no longer a sane count of picoseconds.
    if (l.has("bandwidth") &&
        !l.require(link.bandwidth.value() >= 1e3 && link.bandwidth.value() <= 1e15, "bandwidth",
                   "must be between 1KB/s and 1PB/s")) {
      link.bandwidth = Bandwidth(1e9);
    }
    link.latency = l.get<Time>("latency", Time(0));
    if (!l.require(link.latency <= kMaxLatency, "latency", "must be at most 1s")) {
      link.latency = Time(0);
    }
    a.links.push_back(link);
  }

  // Every memory hangs off the interconnect: an unlinked memory would be an unbound TLM target.
  for (const std::string& m : memories) {
    if (!a.link(m)) {
      links.error("", "memory '" + m +
                          "' has no link (every memory of an accelerator platform "
                          "needs one: interconnect: {" +
                          m + ": {bandwidth: ...}})");
    }
  }

  const ConfigNode place = root.child("placement");
  a.placement.weights = memory_name(place, "weights", true, memories);
  a.placement.activations = memory_name(place, "activations", true, memories);
  a.placement.activation_overflow = memory_name(place, "activation_overflow", false, memories);
  a.placement.weight_overflow = memory_name(place, "weight_overflow", false, memories);
  a.placement.task_weights = memory_name(place, "task_weights", false, memories);
  a.placement.task_store = memory_name(place, "task_store", false, memories);
  if (!a.placement.task_store.empty()) {
    const std::string& slot =
        a.placement.task_weights.empty() ? a.placement.weights : a.placement.task_weights;
    place.require(
        a.placement.task_store != slot, "task_store",
        "must differ from the memory the running task's parameters are read from ('" + slot + "')");
  }
  if (dma && a.dma.transport == DmaTransport::nonblocking) {
    check_nonblocking_targets(root, *dma, a.links);
  }
  a.storage = parse_storage(root, {a.placement.weights, a.placement.weight_overflow});
  a.weight_fetch = parse_weight_fetch(root);
  return a;
}

}  // namespace hmasim
