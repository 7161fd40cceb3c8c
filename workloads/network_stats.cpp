#include "workloads/network_stats.hpp"

#include <cstdio>

namespace hmasim {

std::uint64_t element_bytes(std::uint32_t precision) {
  return (precision + 7) / 8;
}

std::uint64_t dense_weight_bytes(const Layer& layer) {
  return layer.weights * element_bytes(layer.precision);
}

namespace {
NetworkStats stats_over_layers(const Network& net, const std::string* task) {
  NetworkStats s;
  for (const Layer& l : net.layers) {
    if (task && !runs_for_task(l, *task)) continue;
    ++s.layers;
    s.macs += l.macs;
    s.params += l.params;  // 0 for a layer that shares another's weights
    if (!l.shared) s.task_specific_params += l.params;
    if (l.owner) continue;  // its weights are the owner's, counted there
    s.weights += l.weights;
    s.weight_bytes += dense_weight_bytes(l);
  }
  return s;
}
}  // namespace

NetworkStats network_stats(const Network& net) {
  return stats_over_layers(net, nullptr);
}

NetworkStats network_stats(const Network& net, const std::string& task) {
  return stats_over_layers(net, &task);
}

namespace {
std::string scaled(double v, double unit, const char* suffix) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f %s", v / unit, suffix);
  return buf;
}
}  // namespace

std::string summary_line(const NetworkStats& s) {
  std::string line = std::to_string(s.layers) + " layers, " +
                     scaled(static_cast<double>(s.macs), 1e9, "GMAC") + ", " +
                     scaled(static_cast<double>(s.params), 1e6, "M params");
  if (s.task_specific_params > 0) {
    line +=
        " (" + scaled(static_cast<double>(s.task_specific_params), 1e6, "M task-specific") + ")";
  }
  return line + ", " + scaled(static_cast<double>(s.weight_bytes), 1e6, "MB of weights");
}

std::string layer_table(const Network& net) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%4s  %-28s %-8s %-16s %-16s %14s %12s %12s\n", "#", "name",
                "type", "input", "output", "macs", "weights", "params");
  out += line;
  for (const Layer& l : net.layers) {
    std::string in;
    for (const Shape& s : l.in) in += (in.empty() ? "" : "+") + to_string(s);
    std::snprintf(line, sizeof line, "%4zu  %-28s %-8s %-16s %-16s %14llu %12llu %12llu%s\n",
                  l.index, l.name.c_str(), to_string(l.type), in.c_str(), to_string(l.out).c_str(),
                  static_cast<unsigned long long>(l.macs),
                  static_cast<unsigned long long>(l.weights),
                  static_cast<unsigned long long>(l.params),
                  (std::string(l.shared ? "" : "  task-specific") +
                   (l.shares.empty() ? "" : "  shares " + l.shares) +
                   (l.task.empty() ? "" : "  task " + l.task))
                      .c_str());
    out += line;
  }
  return out;
}

}  // namespace hmasim
