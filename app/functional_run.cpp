#include "app/functional_run.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "core/seed.hpp"
#include "workloads/npy_file.hpp"
#include "workloads/reference_inference.hpp"
#include "workloads/task_networks.hpp"

namespace hmasim {

namespace {

// Classes by score, highest first (the lower class first among equal scores).
std::vector<std::size_t> ranked(const std::vector<std::int32_t>& logits) {
  std::vector<std::size_t> order(logits.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return logits[a] > logits[b]; });
  return order;
}

bool in_top(const std::vector<std::size_t>& order, std::size_t n, std::int64_t label) {
  for (std::size_t i = 0; i < std::min(n, order.size()); ++i) {
    if (static_cast<std::int64_t>(order[i]) == label) return true;
  }
  return false;
}

}  // namespace

FunctionalInputs load_functional_inputs(const std::string& path, const Network& network,
                                        std::uint64_t seed, std::uint64_t synthetic) {
  FunctionalInputs in;
  if (!network.input) {
    throw std::runtime_error("--functional: network '" + network.name +
                             "' has no input: its layers state their own shapes");
  }
  in.shape = *network.input;
  const std::uint64_t n = in.shape.elements();
  // The network input's elements are its first layer's: int16 for 9..16 bits.
  const bool wide = !network.layers.empty() && network.layers.front().precision > 8;
  in.element_bytes = wide ? 2 : 1;
  if (path.empty()) {
    // Synthetic images: splitmix64 of (seed, element), 0..127 (int8) or 0..32767 (int16) as a
    // ReLU'd camera image is.
    in.count = synthetic;
    in.values.resize(in.count * n);
    std::uint64_t z = derive_seed(seed, "functional.inputs");
    const std::uint64_t mask = wide ? 0x7fff : 0x7f;
    for (std::int16_t& v : in.values) {
      z += 0x9e3779b97f4a7c15ULL;
      std::uint64_t x = z;
      x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
      x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
      v = static_cast<std::int16_t>((x ^ (x >> 31)) & mask);
    }
    return in;
  }
  const Npy8Array a = read_npy_integers(path);
  const std::string first = network.layers.empty() ? std::string() : network.layers.front().name;
  if (wide && a.element_bytes != 2) {
    throw std::runtime_error(path + ": images must be int16 ('<i2'): network '" + network.name +
                             "' takes int16 images (its first layer '" + first + "' is " +
                             std::to_string(network.layers.front().precision) + "-bit)");
  }
  if (!wide && a.element_bytes != 1) {
    throw std::runtime_error(path + ": images must be int8 ('|i1'): network '" + network.name +
                             "' takes int8 images (its first layer '" + first + "' is " +
                             std::to_string(network.layers.front().precision) + "-bit)");
  }
  if (!a.is_signed) throw std::runtime_error(path + ": images must be int8 ('|i1'), not uint8");
  const Shape& s = in.shape;
  const bool hwc =
      a.shape.size() == 4 && a.shape[1] == s.h && a.shape[2] == s.w && a.shape[3] == s.c;
  const bool hw = a.shape.size() == 3 && s.c == 1 && a.shape[1] == s.h && a.shape[2] == s.w;
  if (!hwc && !hw) {
    std::string shape;
    for (const std::uint64_t d : a.shape) shape += (shape.empty() ? "" : " x ") + std::to_string(d);
    throw std::runtime_error(path + ": images of shape " + shape + "; network '" + network.name +
                             "' takes N x " + std::to_string(s.h) + " x " + std::to_string(s.w) +
                             " x " + std::to_string(s.c));
  }
  in.count = a.shape[0];
  if (in.count == 0) throw std::runtime_error(path + ": holds no image");
  in.values.resize(a.elements());
  for (std::size_t i = 0; i < in.values.size(); ++i) {
    in.values[i] = wide ? a.int16(i) : a.int8(i);
  }
  return in;
}

std::vector<std::int64_t> load_labels(const std::string& path, std::uint64_t images) {
  const Npy8Array a = read_npy8(path);
  if (a.shape.size() != 1 || a.shape[0] != images) {
    throw std::runtime_error(path + ": expected " + std::to_string(images) +
                             " labels (a one-dimensional array, one per image)");
  }
  std::vector<std::int64_t> labels;
  for (std::size_t i = 0; i < a.bytes.size(); ++i) {
    labels.push_back(a.is_signed ? a.int8(i) : a.bytes[i]);
  }
  return labels;
}

namespace {

// Counts over a set of inferences (the run's, or one task's).
struct Tally {
  std::uint64_t inferences = 0, labelled = 0, hit1 = 0, hit5 = 0, free1 = 0, free5 = 0;
  std::uint64_t differing = 0;
};

void fill(AccuracyFigures& a, const Tally& t, bool referenced) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  a.inferences = t.inferences;
  a.labelled = t.labelled;
  a.top1 = a.top5 = a.fault_free_top1 = a.fault_free_top5 = nan;
  if (t.labelled == 0) return;
  const auto n = static_cast<double>(t.labelled);
  a.top1 = static_cast<double>(t.hit1) / n;
  a.top5 = static_cast<double>(t.hit5) / n;
  if (!referenced) return;
  a.fault_free_top1 = static_cast<double>(t.free1) / n;
  a.fault_free_top5 = static_cast<double>(t.free5) / n;
  a.differing_from_fault_free = static_cast<std::int64_t>(t.differing);
}

}  // namespace

FunctionalOutcome functional_outcome(Accelerator& acc, const std::vector<std::int64_t>& labels) {
  FunctionalDatapath& f = *acc.functional();
  FunctionalOutcome out;
  AccuracyReport& a = out.accuracy;
  a.present = true;
  const std::vector<std::string>& task_names = acc.tasks().names;
  const bool multi_task = !task_names.empty();
  // The fault-free reference, per task: the weights as stored (the task's own set of each
  // task-specific layer), computed on the task's layers without any memory.
  std::vector<std::optional<ReferenceInference>> reference(
      std::max<std::size_t>(1, task_names.size()));
  std::vector<const StoredWeights*> stored;  // the accelerator's own (stable) sets
  for (const StoredWeights& w : acc.stored_weights()) stored.push_back(&w);
  if (!labels.empty() && !multi_task) {
    reference[0].emplace(acc.network(), f.stored_network(stored));
  }
  for (std::size_t k = 0; !labels.empty() && k < task_names.size(); ++k) {
    std::vector<const StoredWeights*> task = stored;
    const auto& own = acc.task_stored_weights()[k];
    for (std::size_t i = 0; i < task.size() && i < own.size(); ++i) {
      if (own[i].bytes > 0) task[i] = &own[i];
    }
    reference[k].emplace(task_subnetwork(acc.network(), task_names[k]), f.stored_network(task));
  }
  std::string& csv = out.predictions_csv;
  csv = "frame,image,task,label,predicted";
  for (int k = 1; k <= 5; ++k) {
    csv += ",class" + std::to_string(k) + ",score" + std::to_string(k);
  }
  csv += "\n";
  Tally all;
  std::vector<Tally> per_task(task_names.size());
  const FunctionalInputs& inputs = f.inputs();
  for (const InferenceResult& r : f.results()) {
    const std::vector<std::size_t> order = ranked(r.logits);
    const bool labelled = !labels.empty();
    const std::int64_t label = labelled ? labels[r.image] : -1;
    csv += std::to_string(r.frame) + "," + std::to_string(r.image) + "," +
           (multi_task ? task_names[r.task] : std::string()) + "," +
           (labelled ? std::to_string(label) : std::string()) + "," +
           (order.empty() ? std::string() : std::to_string(order[0]));
    for (std::size_t k = 0; k < 5; ++k) {
      if (k < order.size()) {
        csv += "," + std::to_string(order[k]) + "," + std::to_string(r.logits[order[k]]);
      } else {
        csv += ",,";
      }
    }
    csv += "\n";
    Tally scratch;
    Tally& task = multi_task ? per_task[r.task] : scratch;
    for (Tally* t : {&all, &task}) ++t->inferences;
    if (!labelled) continue;
    const bool top1 = in_top(order, 1, label), top5 = in_top(order, 5, label);
    bool free1 = false, free5 = false, differs = false;
    const auto& ref = reference[multi_task ? r.task : 0];
    if (ref) {
      IntTensor image;
      image.shape = inputs.shape;
      const std::uint64_t n = inputs.shape.elements();
      image.values.assign(inputs.values.begin() + static_cast<std::ptrdiff_t>(r.image * n),
                          inputs.values.begin() + static_cast<std::ptrdiff_t>((r.image + 1) * n));
      const IntTensor logits = ref->run(image);
      const std::vector<std::size_t> free_order = ranked(logits.values);
      free1 = in_top(free_order, 1, label);
      free5 = in_top(free_order, 5, label);
      differs = logits.values != r.logits;
    }
    for (Tally* t : {&all, &task}) {
      ++t->labelled;
      t->hit1 += top1;
      t->hit5 += top5;
      t->free1 += free1;
      t->free5 += free5;
      t->differing += differs;
    }
  }
  const bool referenced = !labels.empty();
  fill(a, all, referenced);
  for (std::size_t k = 0; k < task_names.size(); ++k) {
    AccuracyReport::Task t;
    t.name = task_names[k];
    fill(t, per_task[k], referenced);
    a.tasks.push_back(std::move(t));
  }
  return out;
}

}  // namespace hmasim
