#include "mem/envm.hpp"

#include <stdexcept>

#include "mem/memory_registry.hpp"

namespace hmasim {

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
  c.wakeup_time = node.get<Time>("wakeup_time", Time(0));
  c.gated_power = node.get<Power>("gated_power", Power(0.0));
  return c;
}

Envm::Envm(const sc_core::sc_module_name& name, const EnvmConfig& config, EnergyLedger& ledger)
    : MemoryTarget(name, config.common, ledger),
      config_(config),
      access_bytes_(config.access_bytes()),
      read_latency_(clock().cycles_for(config.technology.read_latency)),
      read_cycle_(max(Cycles(1), clock().cycles_for(config.technology.read_cycle))),
      write_cycles_(
          max(Cycles(1), clock().cycles_for(config.technology.write_time(config.bits_per_cell)))),
      write_energy_(config.technology.write_energy(config.bits_per_cell)),
      leakage_(config.technology.leakage_of(config.common.capacity)),
      bank_free_(config.banks, Cycles(0)),
      wear_(config.common.capacity, config.endurance_block),
      read_(ledger.add_action(component(), "read")),
      write_(ledger.add_action(component(), "write")) {
  if (access_bytes_.value() == 0 || config_.banks == 0) {
    throw std::invalid_argument("envm '" + config.common.instance +
                                "': configuration was not validated");
  }
  set_static_power(leakage_, Time(0));
}

Envm::Outcome Envm::serve(const Request& r) {
  const bool read = r.command == tlm::TLM_READ_COMMAND;
  const Cycles occupancy = read ? read_cycle_ : write_cycles_;
  const Cycles latency = read ? read_latency_ : write_cycles_;
  const std::uint64_t first = r.address / access_bytes_.value();
  const std::uint64_t last = (r.address + r.length - 1) / access_bytes_.value();

  Outcome o;
  Cycles start = r.arrival;
  for (std::uint64_t unit = first; unit <= last; ++unit) {
    Cycles& bank_free = bank_free_[unit % config_.banks];
    start = max(start, bank_free);  // in address order, and only once the bank is free
    if (unit == first) o.accepted = start;
    bank_free = start + occupancy;
  }
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

Bandwidth Envm::peak_bandwidth() const {
  const double bytes_per_cycle = static_cast<double>(config_.banks) *
                                 static_cast<double>(access_bytes_.value()) /
                                 static_cast<double>(read_cycle_.value());
  return Bandwidth(bytes_per_cycle * static_cast<double>(clock().frequency().value()));
}

double Envm::area_mm2() const {
  return config_.technology.area_mm2(config_.common.capacity, config_.bits_per_cell);
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
