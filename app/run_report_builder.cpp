#include "app/run_report_builder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <set>

#include "app/schedule_report.hpp"
#include "core/clock.hpp"
#include "mem/envm/envm.hpp"
#include "mem/lpddr4/lpddr4.hpp"

namespace hmasim {

namespace {

// A storage setting of the weights in one memory: the one of every class it holds, or each
// class's ("shared: bitmask, task: dense") when they differ; `top` for a memory holding none.
std::string class_setting(const std::set<ParameterClass>& held, const std::string& top,
                          const std::function<std::string(ParameterClass)>& of) {
  std::set<std::string> distinct;
  for (ParameterClass c : held) distinct.insert(of(c));
  if (distinct.empty()) return top;
  if (distinct.size() == 1) return *distinct.begin();
  std::string out;
  for (ParameterClass c : held)
    out += (out.empty() ? "" : ", ") + std::string(to_string(c)) + ": " + of(c);
  return out;
}

// Bytes of the task-specific sets kept in memory `m`, the slot's occupant included.
std::uint64_t task_weight_bytes(const Accelerator& acc, std::size_t m) {
  std::uint64_t bytes = 0;
  for (const auto& s : acc.task_sets_kept_in(m, /*slot=*/true)) bytes += s.set->bytes;
  return bytes;
}

// A link caps a memory when it is clearly slower than the memory's peak and held up most of the
// memory's bytes; otherwise the memory itself was the limit. A link within 10% of the peak is not
// reported: it costs those transfers at most 10% of their time, no more than a memory loses to
// its own overheads (NVDLA-1024's 25 GB/s link to a 25.6 GB/s LPDDR4 holds requests up without
// costing the run anything measurable).
constexpr double kCapMargin = 0.9;

std::string limited_by(const MemoryReport& m) {
  if (m.link_bytes == 0) return "none";
  const bool capped = m.link_bandwidth_bytes_per_s <= kCapMargin * m.peak_bandwidth_bytes_per_s &&
                      m.link_limited_fraction >= 0.5;
  return capped ? "link" : "memory";
}

std::string gigabytes_per_s(double bytes_per_s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f GB/s", bytes_per_s * 1e-9);
  return text;
}

}  // namespace

RunReport build_run_report(const Accelerator& acc, const EnergyLedger& ledger,
                           const std::string& platform, const std::string& workload,
                           const RunOptions& options) {
  RunReport r;
  const AcceleratorConfig& cfg = acc.config();
  const Clock clock(cfg.clock);
  const Time end = acc.end_time();
  const double frames = options.frames;
  const double mac_slots = static_cast<double>(cfg.mac.atomic_c) * cfg.mac.atomic_k;

  r.platform = platform;
  r.workload = workload;
  r.seed = options.seed;
  r.frames = options.frames;
  for (const Layer& l : acc.network().layers) {
    r.macs += l.macs;
    r.params += l.params;
  }
  // Frames at a target rate leave idle gaps: latency and utilisation count the frames only.
  Time active(0);
  for (const FrameRecord& f : acc.frames()) active = active + (f.end - f.start);
  const double active_s = to_seconds(active);
  const std::uint64_t total_cycles = clock.cycle_at_or_after(active).value();
  r.cycles = options.frames ? total_cycles / options.frames : 0;
  r.clock_hz = static_cast<double>(cfg.clock.value());
  r.latency_s = active_s / frames;
  r.fps_max = active_s > 0 ? frames / active_s : 0;
  r.mac_utilization = total_cycles ? static_cast<double>(r.macs) * frames /
                                         (static_cast<double>(total_cycles) * mac_slots)
                                   : 0;
  r.energy_per_frame_j = ledger.total().value() / frames;
  r.avg_power_w = average_power(ledger.total(), end).value();

  add_schedule_reports(acc, options, r);

  // Memory components carry their transfer statistics; the datapath's come from its actions.
  for (EnergyLedger::ComponentId c = 0; c < ledger.component_count(); ++c) {
    ComponentReport cr;
    cr.name = ledger.name(c);
    cr.dynamic_j = ledger.dynamic_energy(c).value();
    cr.static_j = ledger.static_energy(c).value();
    for (const MemoryTarget* m : acc.memories()) {
      if (m->component() != c) continue;
      cr.reads = m->stats().reads;
      cr.writes = m->stats().writes;
      cr.bytes_read = m->stats().bytes_read;
      cr.bytes_written = m->stats().bytes_written;
    }
    for (const auto& a : ledger.actions(c)) {
      if (a.name == "read_byte") cr.bytes_read = a.count;
      if (a.name == "write_byte") cr.bytes_written = a.count;
    }
    r.components.push_back(cr);
  }
  r.area_mm2 = cfg.area_mm2;
  const Placement& place = acc.placement();
  for (std::size_t i = 0; i < acc.memories().size(); ++i) {
    const MemoryTarget& m = *acc.memories()[i];
    MemoryReport mr;
    mr.name = m.basename();
    mr.model = m.model_name();
    mr.capacity_bytes = m.capacity().value();
    if (const auto* envm = dynamic_cast<const Envm*>(&m); envm && envm->config().fit_to_contents) {
      mr.fitted_capacity_bytes = envm->fitted_capacity().value();
    }
    mr.area_mm2 = m.area_mm2();
    mr.bandwidth_bytes_per_s =
        bandwidth_of(Bytes(m.stats().bytes_read + m.stats().bytes_written), end).value();
    mr.weight_bytes = place.weight_bytes_per_memory[i] + task_weight_bytes(acc, i);
    mr.activation_peak_bytes = place.activation_peak_per_memory[i];
    const Interconnect::LinkStats& link = acc.interconnect().stats(i);
    mr.peak_bandwidth_bytes_per_s = m.peak_bandwidth().value();
    if (const auto* dram = dynamic_cast<const Lpddr4*>(&m)) {
      mr.energy_by_rail = rail_energies(dram->energy_by_rail());
    }
    mr.link_bandwidth_bytes_per_s = acc.interconnect().link(i).bandwidth.value();
    mr.link_bytes = link.bytes;
    mr.link_limited_bytes = link.link_limited_bytes;
    mr.link_limited_fraction =
        link.bytes ? static_cast<double>(link.link_limited_bytes) / link.bytes : 0;
    mr.link_wait_s = to_seconds(link.wait);
    mr.limited_by = limited_by(mr);
    r.area_mm2 += mr.area_mm2;
    r.memories.push_back(mr);
  }
  // Weights in eNVM: storage per structure, and what faults did to them.
  for (std::size_t i = 0; i < acc.memories().size(); ++i) {
    const auto* envm = dynamic_cast<const Envm*>(acc.memories()[i]);
    if (!envm) continue;
    FaultReport f;
    f.memory = envm->basename();
    f.fault_mode = to_string(envm->fault_mode());
    f.fault_seed = envm->fault_seed();
    // With `storage.classes`, each class's structures are reported apart ("task.values").
    const bool by_class = !cfg.storage.classes.empty();
    std::map<std::string, StructureReport> structures;
    std::set<ParameterClass> held;
    const auto add = [&](const StoredWeights& s, ParameterClass c, bool own_mode) {
      held.insert(c);
      for (const EncodedStructure& st : s.layout.structures) {
        const std::string name = by_class ? std::string(to_string(c)) + "." + st.name() : st.name();
        StructureReport& sr = structures[name];
        sr.name = name;
        sr.bits_per_cell =
            own_mode ? envm->bits_per_cell()
                     : acc.structure_bits(st, c, envm->instance_name(), envm->bits_per_cell());
        sr.bytes += st.bytes.size();
        sr.cells += st.cells(static_cast<unsigned>(sr.bits_per_cell));
      }
    };
    for (std::size_t l = 0; l < acc.stored_weights().size(); ++l) {
      const StoredWeights& s = acc.stored_weights()[l];
      if (s.bytes > 0 && place.weights[l].memory == i) {
        add(s, parameter_class(acc.network().layers[l]), false);
      }
    }
    for (const auto& s : acc.task_sets_kept_in(i, /*slot=*/true)) {
      add(*s.set, ParameterClass::task, s.in_slot);
    }
    f.encoding = class_setting(held, to_string(cfg.storage.encoding), [&](ParameterClass c) {
      return std::string(to_string(cfg.storage.encoding_of(c, envm->instance_name())));
    });
    f.protection = class_setting(held, to_string(cfg.storage.protection), [&](ParameterClass c) {
      return std::string(to_string(cfg.storage.protection_of(c, envm->instance_name())));
    });
    for (auto& kv : structures) {
      f.cells += kv.second.cells;
      f.structures.push_back(kv.second);
    }
    // Area per cell of the array as configured (capacity at its own bits per cell).
    const double array_cells =
        static_cast<double>(envm->fitted_capacity().value()) * 8.0 / envm->bits_per_cell();
    f.cells_area_mm2 =
        array_cells > 0 ? envm->area_mm2() * static_cast<double>(f.cells) / array_cells : 0;
    const FaultStats stats = envm->fault_stats();
    f.cells_read = stats.cells_read;
    f.level_faults = stats.level_faults;
    f.bit_errors = stats.bit_errors;
    const WeightCheck& c = acc.weight_checks()[i];
    f.ecc_corrected = c.ecc_corrected;
    f.ecc_uncorrectable = c.ecc_uncorrectable;
    f.weights_total = c.weights;
    f.weights_corrupted = c.corrupted;
    f.weights_misaligned = c.misplaced;
    r.faults.push_back(f);
  }
  const DmaEngine& dma = acc.dma();
  r.dma.transport = dma.nonblocking() ? "nonblocking" : "blocking";
  for (const auto c : {DmaEngine::kRead, DmaEngine::kWrite}) {
    DmaReport::Channel& out = c == DmaEngine::kRead ? r.dma.read : r.dma.write;
    out.requests = dma.stats(c).requests;
    out.bytes = dma.stats(c).bytes;
    out.max_in_flight = dma.max_in_flight(c);
  }
  for (const ProgrammingResult& p : acc.programming()) {
    r.programming.push_back({p.memory, p.bytes, p.requests, to_seconds(p.time), p.energy.value()});
  }
  for (const LayerRecord& rec : acc.records()) {
    const Layer& l = acc.network().layers[rec.layer];
    LayerReport lr;
    lr.frame = rec.frame;
    lr.name = l.name;
    lr.type = to_string(l.type);
    lr.macs = l.macs;
    lr.start_cycle = clock.cycle_at_or_after(rec.start).value();
    lr.cycles = rec.cycles.value();
    lr.busy_cycles = rec.busy_cycles.value();
    lr.memory_bound = rec.memory_bound();
    lr.tiles = rec.tiles;
    lr.mac_utilization =
        rec.cycles.value() ? static_cast<double>(l.macs) / (rec.cycles.value() * mac_slots) : 0;
    lr.bytes_per_memory = rec.bytes_per_memory;
    lr.energy_j = rec.energy.value();
    for (const Energy& e : rec.energy_per_component) lr.energy_per_component_j.push_back(e.value());
    r.layers.push_back(lr);
  }
  return r;
}

std::string link_limit_notes(const RunReport& report) {
  std::string notes;
  for (const MemoryReport& m : report.memories) {
    if (m.limited_by != "link") continue;
    char share[16];
    std::snprintf(share, sizeof share, "%.0f%%", m.link_limited_fraction * 100);
    notes += "note: memory '" + m.name + "' (peak " +
             gigabytes_per_s(m.peak_bandwidth_bytes_per_s) + ") was limited by its " +
             gigabytes_per_s(m.link_bandwidth_bytes_per_s) + " interconnect link for " + share +
             " of its bytes (interconnect." + m.name + ".bandwidth)\n";
  }
  return notes;
}

std::vector<RailEnergy> rail_energies(const Lpddr4RailReport& rails) {
  std::vector<RailEnergy> out;
  for (std::size_t k = 0; k < Lpddr4RailReport::kClasses; ++k) {
    out.push_back({Lpddr4RailReport::kNames[k], rails.by_class[k].core.value(),
                   rails.by_class[k].io.value()});
  }
  return out;
}

}  // namespace hmasim
