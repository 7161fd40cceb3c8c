#include "mem/sram.hpp"

#include "mem/memory_registry.hpp"

namespace hmasim {

SramConfig SramConfig::parse(const ConfigNode& node, const std::string& instance) {
  SramConfig c;
  c.common = parse_common_config(node, instance, Frequency(1'000'000'000), Bytes(1));
  c.banks = node.get<std::uint32_t>("banks", 1);
  node.require(c.banks > 0, "banks", "must be at least 1");
  c.port_width = node.get<Bytes>("port_width");
  node.require(c.port_width.value() > 0 || !node.has("port_width"), "port_width",
               "must be positive");
  // Cycle counts beyond a million are unit mistakes (and bring time overflow within reach).
  constexpr std::uint64_t kMaxCycles = 1'000'000;
  const std::string too_many = "must be at most " + std::to_string(kMaxCycles) + " cycles";
  c.read_latency = Cycles(node.get<std::uint64_t>("read_latency"));
  node.require(c.read_latency.value() <= kMaxCycles, "read_latency", too_many);
  c.write_latency = Cycles(node.get<std::uint64_t>("write_latency"));
  node.require(c.write_latency.value() <= kMaxCycles, "write_latency", too_many);
  c.bank_cycle = Cycles(node.get<std::uint64_t>("bank_cycle", 1));
  node.require(c.bank_cycle.value() > 0 && c.bank_cycle.value() <= kMaxCycles, "bank_cycle",
               "must be 1 to " + std::to_string(kMaxCycles) + " cycles");
  c.read_energy = node.get<Energy>("read_energy");
  c.write_energy = node.get<Energy>("write_energy");

  const auto total = node.find<Power>("leakage");
  const Power per_mib = node.get<Power>("leakage_per_mib", Power(0.0));
  if (total) {
    c.leakage = *total;
  } else if (node.has("leakage_per_mib")) {
    c.leakage = per_mib * (static_cast<double>(c.common.capacity.value()) / kBytesPerMiB);
  } else {
    node.error("", "missing leakage: give leakage_per_mib (e.g. 28.2mW) or leakage (total)");
  }

  c.area_per_mib_mm2 = node.get<double>("area_per_mib", 0.0);
  node.require(c.area_per_mib_mm2 >= 0.0, "area_per_mib", "must not be negative (mm^2 per MiB)");
  // `wakeup_time` is this model's older name of power.wake_latency: one value, given once.
  c.wakeup_time = node.get<Time>("wakeup_time", c.common.power.wake_latency.value_or(Time(0)));
  node.require(c.wakeup_time <= kMaxLatency, "wakeup_time", "must be at most 1s");
  node.require(!(node.has("wakeup_time") && c.common.power.wake_latency), "wakeup_time",
               "given twice: give wakeup_time or power.wake_latency, not both");
  return c;
}

Sram::Sram(const sc_core::sc_module_name& name, const SramConfig& config, EnergyLedger& ledger)
    : MemoryTarget(name, config.common, ledger),
      config_(config),
      bank_free_(config.banks, Cycles(0)),
      read_(ledger.add_action(component(), "read")),
      write_(ledger.add_action(component(), "write")) {
  set_static_power(config_.leakage, Time(0));
}

Sram::Outcome Sram::serve(const Request& r) {
  return busy_.on() ? serve_words<true>(r) : serve_words<false>(r);
}

template <bool kTraced>
Sram::Outcome Sram::serve_words(const Request& r) {
  const bool read = r.command == tlm::TLM_READ_COMMAND;
  const std::uint64_t width = config_.port_width.value();
  const std::uint64_t first = r.address / width;
  const std::uint64_t last = (r.address + r.length - 1) / width;

  Outcome o;
  Cycles start = r.arrival;
  for (std::uint64_t word = first; word <= last; ++word) {
    const std::size_t bank = word % config_.banks;
    Cycles& bank_free = bank_free_[bank];
    start = max(start, bank_free);  // in address order, and only once the bank is free
    if (word == first) o.accepted = start;
    bank_free = start + config_.bank_cycle;
    if constexpr (kTraced) busy_.occupy(bank, start, config_.bank_cycle);
  }
  if constexpr (kTraced) busy_.end_request();
  o.done = start + (read ? config_.read_latency : config_.write_latency);

  const std::uint64_t words = last - first + 1;
  mutable_stats().busy_cycles += words * config_.bank_cycle.value();
  if (read) {
    read_words_ += words;
    ledger().charge(read_, config_.read_energy, words);
  } else {
    write_words_ += words;
    ledger().charge(write_, config_.write_energy, words);
  }
  return o;
}

void Sram::on_power_off(Time at) {
  // No retention state: the base clears the contents, and the array draws nothing while off.
  set_static_power(Power(0.0), at);
}

Bandwidth Sram::peak_bandwidth() const {
  const double bytes_per_cycle = static_cast<double>(config_.banks) *
                                 static_cast<double>(config_.port_width.value()) /
                                 static_cast<double>(config_.bank_cycle.value());
  return Bandwidth(bytes_per_cycle * static_cast<double>(clock().frequency().value()));
}

double Sram::area_mm2() const {
  return static_cast<double>(config_.common.capacity.value()) / kBytesPerMiB *
         config_.area_per_mib_mm2;
}

std::map<std::string, std::uint64_t> Sram::command_counts() const {
  return {{"read_word", read_words_}, {"write_word", write_words_}};
}

HMASIM_REGISTER_MEMORY(Sram, SramConfig, "sram",
                       "banked on-chip SRAM: interleaved pipelined banks, energy per word, "
                       "leakage, power gating loses contents");

}  // namespace hmasim
