#include "mem/envm/envm.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <stdexcept>

#include "mem/memory_registry.hpp"

namespace hmasim {

namespace {

// The modes the technology gives level distributions for, e.g. "1, 2" (for diagnostics).
std::string modes_with_levels(const EnvmTechnology& t) {
  std::string s;
  for (int b = 1; b <= EnvmTechnology::kMaxBitsPerCell; ++b) {
    if (t.levels.has(b)) s += (s.empty() ? "" : ", ") + std::to_string(b);
  }
  return s.empty() ? "none" : s;
}

std::string needs_levels(const EnvmTechnology& t, int bits_per_cell) {
  return "needs the technology's level_distributions for " + std::to_string(bits_per_cell) +
         " bit" + (bits_per_cell == 1 ? "" : "s") +
         " per cell (it gives them for: " + modes_with_levels(t) + ")";
}

void parse_faults(const ConfigNode& node, EnvmConfig& c) {
  const auto faults = node.optional_child("faults");
  if (!faults) return;
  const std::string mode = faults->choice("mode", {"off", "program", "read"}, "off");
  c.faults.mode = fault_mode_from_string(mode).value_or(FaultMode::off);
  c.faults.seed = faults->find<std::uint64_t>("seed");
  c.faults.coding = level_coding_from_string(faults->choice("coding", {"gray", "binary"}, "gray"))
                        .value_or(LevelCoding::gray);
  if (c.faults.mode != FaultMode::off && !c.technology.levels.has(c.bits_per_cell)) {
    faults->error("mode",
                  "fault mode '" + mode + "' " + needs_levels(c.technology, c.bits_per_cell));
    c.faults.mode = FaultMode::off;
  }
}

}  // namespace

EnvmConfig EnvmConfig::parse(const ConfigNode& node, const std::string& instance) {
  EnvmConfig c;
  c.common = parse_common_config(node, instance, Frequency(1'000'000'000), Bytes(1));
  const ConfigNode tech = node.child("technology");
  c.technology = EnvmTechnology::parse(tech);

  c.bits_per_cell = node.get<int>("bits_per_cell", 1);
  const int max_mode = EnvmTechnology::kMaxBitsPerCell;
  if (!node.require(c.bits_per_cell >= 1 && c.bits_per_cell <= max_mode, "bits_per_cell",
                    "must be 1 to " + std::to_string(max_mode) + ", got " +
                        std::to_string(c.bits_per_cell))) {
    c.bits_per_cell = 1;
  } else if (!node.require(c.bits_per_cell <= c.technology.max_bits_per_cell, "bits_per_cell",
                           std::to_string(c.bits_per_cell) +
                               " bits per cell exceeds the technology's max_bits_per_cell " +
                               std::to_string(c.technology.max_bits_per_cell))) {
    c.bits_per_cell = 1;
  }
  const std::uint64_t bits = c.technology.bits_per_access(c.bits_per_cell);
  if (bits > 0 && bits % 8 != 0) {
    // Reported at cells_per_access: it sets the access width, bits_per_cell only scales it.
    tech.error("cells_per_access",
               "cells_per_access " + std::to_string(c.technology.cells_per_access) +
                   " x bits_per_cell " + std::to_string(c.bits_per_cell) + " = " +
                   std::to_string(bits) + " bits is not a whole number of bytes");
  }

  c.banks = node.get<std::uint32_t>("banks", 1);
  node.require(c.banks > 0, "banks", "must be at least 1");
  c.endurance_block = node.get<Bytes>("endurance_block", Bytes(4096));
  node.require(c.endurance_block.value() > 0, "endurance_block", "must be positive");
  // `wakeup_time` is this model's older name of power.wake_latency: one value, given once.
  c.wakeup_time = node.get<Time>("wakeup_time", c.common.power.wake_latency.value_or(Time(0)));
  node.require(c.wakeup_time <= kMaxLatency, "wakeup_time", "must be at most 1s");
  node.require(!(node.has("wakeup_time") && c.common.power.wake_latency), "wakeup_time",
               "given twice: give wakeup_time or power.wake_latency, not both");
  c.gated_power = node.get<Power>("gated_power", Power(0.0));
  c.fit_to_contents = node.get<bool>("fit_to_contents", false);
  c.fit_granularity = node.get<Bytes>("fit_granularity", c.fit_granularity);
  node.require(c.fit_granularity.value() > 0, "fit_granularity", "must be positive");
  node.require(c.fit_to_contents || !node.has("fit_granularity"), "fit_granularity",
               "has no effect without fit_to_contents: true");
  parse_faults(node, c);
  return c;
}

Envm::Envm(const sc_core::sc_module_name& name, const EnvmConfig& config, EnergyLedger& ledger)
    : MemoryTarget(name, config.common, ledger),
      config_(config),
      access_bytes_(config.access_bytes()),
      read_latency_(clock().cycles_for(config.technology.read_time(config.bits_per_cell))),
      read_cycle_(max(Cycles(1),
                      clock().cycles_for(config.technology.read_occupancy(config.bits_per_cell)))),
      write_cycles_(
          max(Cycles(1), clock().cycles_for(config.technology.write_time(config.bits_per_cell)))),
      write_energy_(config.technology.write_energy(config.bits_per_cell)),
      leakage_(config.technology.leakage_of(config.common.capacity)),
      fitted_(config.common.capacity),
      bank_free_(config.banks, Cycles(0)),
      wear_(config.common.capacity, config.endurance_block),
      read_(ledger.add_action(component(), "read")),
      write_(ledger.add_action(component(), "write")) {
  if (access_bytes_.value() == 0 || config_.banks == 0) {
    throw std::invalid_argument("envm '" + config.common.instance +
                                "': configuration was not validated");
  }
  set_static_power(leakage_, Time(0));
  const EnvmTechnology& t = config_.technology;
  if (t.read_bandwidth) {
    // Picoseconds per access unit, rounded up (at most 1 ps per unit fast of the cap).
    const double ps = static_cast<double>(access_bytes_.value()) * 1e12 / t.read_bandwidth->value();
    port_interval_ = Time(static_cast<std::uint64_t>(std::ceil(ps)));
  }
  for (int b = 1; b <= t.max_bits_per_cell; ++b) {
    if (t.levels.has(b)) {
      fault_models_[static_cast<std::size_t>(b)].emplace(t.levels.levels(b), t.sense_offset);
    }
  }
  whole_ =
      make_region(0, config_.common.capacity.value(), config_.bits_per_cell, config_.faults.coding);
}

const MlcFaultModel* Envm::fault_model(int bits_per_cell) const {
  if (bits_per_cell < 1 || bits_per_cell > EnvmTechnology::kMaxBitsPerCell) return nullptr;
  const auto& model = fault_models_[static_cast<std::size_t>(bits_per_cell)];
  return model ? &*model : nullptr;
}

Envm::FaultRegion Envm::make_region(std::uint64_t begin, std::uint64_t end, int bits_per_cell,
                                    LevelCoding coding) {
  FaultRegion r;
  r.begin = begin;
  r.end = end;
  if (config_.faults.mode == FaultMode::off) return r;
  const MlcFaultModel* model = fault_model(bits_per_cell);
  if (!model) {
    throw std::invalid_argument("envm '" + config_.common.instance + "': fault mode '" +
                                to_string(config_.faults.mode) + "' " +
                                needs_levels(config_.technology, bits_per_cell));
  }
  // Regions sharing a seed must not share draws: the stream names the layout's origin and mode.
  const std::uint64_t stream = begin << 4 | static_cast<std::uint64_t>(bits_per_cell);
  r.injector = std::make_unique<FaultInjector>(
      *model,
      CellLayout{Bytes(end - begin), coding, config_.technology.cells_sensed(bits_per_cell)},
      config_.faults.mode, fault_seed(), stream);
  // Program-and-verify settles each cell anew: a rewritten block draws its variation again.
  r.injector->set_programmings([this, begin](std::uint64_t offset) -> std::uint64_t {
    const std::uint64_t block = (begin + offset) / wear_.block_size().value();
    return block < wear_.block_count() ? wear_.writes(block) : 0;
  });
  r.stored = [this, begin](std::uint64_t offset) {
    std::uint8_t byte = 0;
    storage().read(begin + offset, &byte, 1);
    return byte;
  };
  return r;
}

void Envm::set_region(std::uint64_t address, Bytes length, int bits_per_cell, LevelCoding coding) {
  const std::string who = "envm '" + config_.common.instance + "': region at " +
                          std::to_string(address) + " of " + std::to_string(length.value()) +
                          " bytes";
  const std::uint64_t capacity = config_.common.capacity.value();
  if (length.value() == 0 || address > capacity || length.value() > capacity - address) {
    throw std::invalid_argument(who + " is empty or leaves the memory of " +
                                std::to_string(capacity) + " bytes");
  }
  if (bits_per_cell < 1 || bits_per_cell > config_.technology.max_bits_per_cell) {
    throw std::invalid_argument(who + ": bits per cell must be 1 to " +
                                std::to_string(config_.technology.max_bits_per_cell) + ", got " +
                                std::to_string(bits_per_cell));
  }
  const std::uint64_t end = address + length.value();
  const auto next = regions_.lower_bound(address);
  const bool overlaps_next = next != regions_.end() && next->first < end;
  const bool overlaps_previous = next != regions_.begin() && std::prev(next)->second.end > address;
  if (overlaps_next || overlaps_previous) {
    throw std::invalid_argument(who + " overlaps an earlier region (clear_regions() first)");
  }
  regions_.emplace(address, make_region(address, end, bits_per_cell, coding));
}

void Envm::clear_regions() {
  for (const auto& kv : regions_) {
    if (kv.second.injector) cleared_stats_ += kv.second.injector->stats();
  }
  regions_.clear();
}

FaultStats Envm::fault_stats() const {
  FaultStats s = cleared_stats_;
  if (whole_.injector) s += whole_.injector->stats();
  for (const auto& kv : regions_) {
    if (kv.second.injector) s += kv.second.injector->stats();
  }
  return s;
}

void Envm::inject(FaultRegion& region, std::uint64_t from, std::uint64_t to, std::uint8_t* data) {
  region.injector->read(from - region.begin, data, to - from, region.stored);
}

void Envm::on_read_data(std::uint64_t address, std::uint8_t* data, std::uint32_t length) {
  if (config_.faults.mode == FaultMode::off) return;
  // Walk the request through the regions it crosses; the gaps belong to the memory's own mode.
  const std::uint64_t end = address + length;
  std::uint64_t at = address;
  while (at < end) {
    const auto next = regions_.upper_bound(at);
    if (next != regions_.begin() && std::prev(next)->second.end > at) {
      FaultRegion& r = std::prev(next)->second;
      const std::uint64_t to = std::min(end, r.end);
      inject(r, at, to, data + (at - address));
      at = to;
      continue;
    }
    const std::uint64_t to = next == regions_.end() ? end : std::min(end, next->first);
    inject(whole_, at, to, data + (at - address));
    at = to;
  }
}

void Envm::on_trace(TraceSink* sink) {
  busy_.attach(sink, trace_scope(), config_.banks, clock());
  if (!sink) return;
  static_assert(static_cast<int>(FaultMode::program) == 1 && static_cast<int>(FaultMode::read) == 2,
                "fault_mode's documented encoding");
  const TraceSink::Id mode = sink->integer_signal(trace_scope(), "fault_mode", 2);
  sink->set(mode, Time(0), static_cast<std::uint64_t>(config_.faults.mode));
}

Envm::Outcome Envm::serve(const Request& r) {
  return busy_.on() ? serve_units<true>(r) : serve_units<false>(r);
}

template <bool kTraced>
Envm::Outcome Envm::serve_units(const Request& r) {
  const bool read = r.command == tlm::TLM_READ_COMMAND;
  const Cycles occupancy = read ? read_cycle_ : write_cycles_;
  const Cycles latency = read ? read_latency_ : write_cycles_;
  const std::uint64_t first = r.address / access_bytes_.value();
  const std::uint64_t last = (r.address + r.length - 1) / access_bytes_.value();

  Outcome o;
  Cycles start = r.arrival;
  for (std::uint64_t unit = first; unit <= last; ++unit) {
    const std::size_t bank = unit % config_.banks;
    Cycles& bank_free = bank_free_[bank];
    start = max(start, bank_free);  // in address order, and only once the bank is free
    if (read && port_interval_.value() > 0) {
      // The array's read bandwidth: unit slots of port_interval_ back to back over all banks,
      // kept in picoseconds so that a burst's rate is the cap's, not its whole-cycle rounding.
      // A unit starts in the cycle its slot opens in (several short slots share a cycle).
      const Time slot = std::max(port_free_, clock().time_of(start));
      Cycles in = clock().cycle_at_or_after(slot);
      if (clock().time_of(in) > slot) in = Cycles(in.value() - 1);
      start = max(start, in);
      port_free_ = slot + port_interval_;
    }
    if (unit == first) o.accepted = start;
    bank_free = start + occupancy;
    if constexpr (kTraced) busy_.occupy(bank, start, occupancy);
  }
  if constexpr (kTraced) busy_.end_request();
  o.done = start + latency;

  const std::uint64_t accesses = last - first + 1;
  mutable_stats().busy_cycles += accesses * occupancy.value();
  if (read) {
    read_accesses_ += accesses;
    ledger().charge(read_, config_.technology.read_energy, accesses);
  } else {
    write_accesses_ += accesses;
    ledger().charge(write_, write_energy_, accesses);
    wear_.record_write(r.address, r.length);
  }
  return o;
}

Bandwidth Envm::bank_bandwidth() const {
  const double bytes_per_cycle = static_cast<double>(config_.banks) *
                                 static_cast<double>(access_bytes_.value()) /
                                 static_cast<double>(read_cycle_.value());
  return Bandwidth(bytes_per_cycle * static_cast<double>(clock().frequency().value()));
}

bool Envm::read_bandwidth_limits() const {
  const auto& cap = config_.technology.read_bandwidth;
  return cap && cap->value() < bank_bandwidth().value();
}

Bandwidth Envm::peak_bandwidth() const {
  return read_bandwidth_limits() ? *config_.technology.read_bandwidth : bank_bandwidth();
}

void Envm::fit_to(Bytes used) {
  if (!config_.fit_to_contents) return;
  const std::uint64_t g = config_.fit_granularity.value();
  const std::uint64_t capacity = config_.common.capacity.value();
  const std::uint64_t macros = std::max<std::uint64_t>(1, (used.value() + g - 1) / g);
  fitted_ = Bytes(std::min(capacity, macros * g));
  // A total `leakage` is the whole capacity's: the fitted array leaks its share of it.
  leakage_ = config_.technology.leakage_of(config_.common.capacity) *
             (static_cast<double>(fitted_.value()) / static_cast<double>(capacity));
  set_static_power(leakage_, Time(0));
}

double Envm::area_mm2() const {
  return config_.technology.area_mm2(fitted_, config_.bits_per_cell);
}

std::map<std::string, std::uint64_t> Envm::command_counts() const {
  const std::uint64_t pulses =
      write_accesses_ * config_.technology.pulses[static_cast<std::size_t>(config_.bits_per_cell)];
  return {{"read_access", read_accesses_},
          {"write_access", write_accesses_},
          {"program_pulse", pulses}};
}

HMASIM_REGISTER_MEMORY(Envm, EnvmConfig, "envm",
                       "eNVM (RRAM, CTT, PCM, STT-MRAM, FeFET): MLC modes, pipelined bank reads, "
                       "program-and-verify writes, endurance per block, power gating with "
                       "retention");

}  // namespace hmasim
