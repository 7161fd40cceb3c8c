// A network description (workload YAML, docs/workload-format.md): parsed into plain structs
// (stage one), then validated (stage two): every layer's input and output shapes, MACs, weights and
// parameters are derived, and inconsistencies (unknown or later producers, duplicate names,
// mismatched element-wise inputs, kernels larger than the padded input, channels not divisible by
// groups, ...) are diagnostics naming the file, line, column and key (`layers[3].k`). Every error
// of a file is collected before ConfigError is thrown.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/config_node.hpp"
#include "workloads/layer.hpp"

namespace hmasim {

struct Network {
  std::string file;
  std::string name;
  std::string source;          // where the shapes come from (paper, library, importer)
  std::optional<Shape> input;  // absent when every layer states its own input shape
  std::uint32_t precision = 8;
  std::vector<Layer> layers;
  // `weights:` file of real weights (docs/weights.md), relative to the workload's folder when
  // written relative; empty: the weights are generated.
  std::string weights;

  // The layer called `name`, or nullptr.
  const Layer* find(const std::string& name) const;
};

// The task heads of a network (`task:` keys), in the order of their first layer; empty for a
// single-task network. A plain run executes every layer once, every task's head included; a
// schedule runs, for task T, the layers without a task and those of T.
std::vector<std::string> network_tasks(const Network& net);
// Whether `layer` runs when task `task` runs (a layer without `task:` runs for every task).
inline bool runs_for_task(const Layer& layer, const std::string& task) {
  return layer.task.empty() || layer.task == task;
}

// Stage one: reads the document's root into a Network whose layers carry only declared values
// (defaults applied). Problems are diagnostics of the document; nothing is thrown.
Network parse_network(const ConfigNode& root);

// Stage two: derives shapes, MACs and counts in place. Each problem is passed to `report` with the
// layer index and the key it concerns (empty: the layer as a whole). Returns true if none.
using LayerErrorSink =
    std::function<void(std::size_t layer, const std::string& key, const std::string& message)>;
// Layers i with `skip` given and !(*skip)[i] (they failed stage one) are left out, with the layers
// that read them, silently: their own errors say what is wrong.
bool resolve_network(Network& net, const LayerErrorSink& report,
                     const std::vector<bool>* skip = nullptr);

// How workload keys are written on the command line: `--set workload.input.h=320`. The loaders
// take the overrides without it and name them with it in diagnostics.
inline constexpr const char* kWorkloadOverridePrefix = "workload.";

// Both stages on a file (with `--set key.path=value` overrides) or on text; throws ConfigError
// listing every problem, including unknown keys.
Network load_network(const std::string& file, const std::vector<std::string>& overrides = {});
Network load_network_text(const std::string& text, const std::string& name,
                          const std::vector<std::string>& overrides = {});

// True if `file` parses as a YAML map with a top-level `layers:` key: how `hmasim check` tells a
// workload from a platform. Unreadable files are not workloads (the platform loader reports them).
bool is_network_file(const std::string& file);

}  // namespace hmasim
