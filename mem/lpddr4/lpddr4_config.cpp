#include "mem/lpddr4/lpddr4_config.hpp"

#include <cmath>
#include <cstdlib>
#include <optional>
#include <vector>

#include "mem/lpddr4/memspec_json.hpp"

namespace hmasim {

namespace {

bool is_power_of_two(std::uint64_t v) {
  return v != 0 && (v & (v - 1)) == 0;
}

unsigned log2_of(std::uint64_t v) {
  unsigned n = 0;
  while (v > 1) {
    v >>= 1;
    ++n;
  }
  return n;
}

Voltage read_voltage(const ConfigNode& node, const std::string& key) {
  const Voltage v = node.get<Voltage>(key);
  node.require(v.value() > 0.0 || !node.has(key), key, "a supply voltage must be positive");
  return v;
}

dram::Rails<Current> read_rails(const ConfigNode& rails) {
  dram::Rails<Current> r;
  r.vdd1 = rails.get<Current>("VDD1");
  r.vdd2 = rails.get<Current>("VDD2");
  r.vddq = rails.get<Current>("VDDQ");
  return r;
}

// A timing parameter in cycles: a positive integer of at least `min`.
Cycles read_cycles(const ConfigNode& t, const std::string& key, std::uint32_t min,
                   const char* why_min = nullptr) {
  const std::uint32_t v = t.get<std::uint32_t>(key);
  if (t.has(key) && v < min) {
    std::string msg = "must be at least " + std::to_string(min) + " cycles of tCK";
    if (why_min) msg += std::string(" (") + why_min + ")";
    t.error(key, msg);
  }
  return Cycles(v);
}

Cycles read_optional_cycles(const ConfigNode& t, const std::string& key) {
  return Cycles(t.get<std::uint32_t>(key, 0));
}

Lpddr4Timing parse_timing(const ConfigNode& t) {
  Lpddr4Timing x;
  x.tCK = t.get<Time>("tCK");
  t.require(x.tCK.value() > 0 || !t.has("tCK"), "tCK", "must be positive");
  // The command bus holds ACT, RD and WR for 4 cycles and PRE for 2: a follow-up command of the
  // same bank can never come earlier than that, and the scheduler relies on it.
  x.RCD = read_cycles(t, "RCD", 4, "an ACT holds the command bus for 4 cycles");
  x.RPpb = read_cycles(t, "RPpb", 2, "a PRE holds the command bus for 2 cycles");
  x.RPab = read_cycles(t, "RPab", 2, "a PREA holds the command bus for 2 cycles");
  x.RL = read_cycles(t, "RL", 1);
  x.WL = read_cycles(t, "WL", 1);
  x.RAS = read_cycles(t, "RAS", 1);
  x.RCpb = read_cycles(t, "RCpb", 1);
  x.WR = read_cycles(t, "WR", 1);
  x.WTR = read_cycles(t, "WTR", 1);
  x.RTP = read_cycles(t, "RTP", 1);
  x.RRD = read_cycles(t, "RRD", 1);
  x.FAW = read_cycles(t, "FAW", 1);
  x.CCD = read_cycles(t, "CCD", 1);
  x.REFI = read_cycles(t, "REFI", 1);
  x.RFCab = read_cycles(t, "RFCab", 1);
  x.XP = read_cycles(t, "XP", 1);
  x.CKE = read_cycles(t, "CKE", 1);
  x.SR = read_cycles(t, "SR", 1);
  x.XSR = read_cycles(t, "XSR", 1);
  x.REFIpb = read_optional_cycles(t, "REFIpb");
  x.RFCpb = read_optional_cycles(t, "RFCpb");
  x.PPD = read_optional_cycles(t, "PPD");
  x.DQSCK = read_optional_cycles(t, "DQSCK");
  x.DQSS = read_optional_cycles(t, "DQSS");
  x.DQS2DQ = read_optional_cycles(t, "DQS2DQ");
  x.WPRE = read_optional_cycles(t, "WPRE");
  x.RPST = read_optional_cycles(t, "RPST");
  if (x.REFI.value() > 0 && x.RFCab.value() > 0 && x.RPab.value() > 0) {
    t.require(x.REFI > x.RFCab + x.RPab, "REFI",
              "REFI (" + std::to_string(x.REFI.value()) + ") must exceed RPab + RFCab (" +
                  std::to_string((x.RFCab + x.RPab).value()) +
                  "), or the channel does nothing but refresh");
  }
  return x;
}

Lpddr4Currents parse_currents(const ConfigNode& c) {
  Lpddr4Currents x;
  x.supply.vdd1 = read_voltage(c, "VDD1");
  x.supply.vdd2 = read_voltage(c, "VDD2");
  x.supply.vddq = read_voltage(c, "VDDQ");
  x.IDD0 = read_rails(c.child("IDD0"));
  x.IDD2N = read_rails(c.child("IDD2N"));
  x.IDD2P = read_rails(c.child("IDD2P"));
  x.IDD3N = read_rails(c.child("IDD3N"));
  x.IDD3P = read_rails(c.child("IDD3P"));
  x.IDD4R = read_rails(c.child("IDD4R"));
  x.IDD4W = read_rails(c.child("IDD4W"));
  x.IDD5 = read_rails(c.child("IDD5"));
  x.IDD6 = read_rails(c.child("IDD6"));
  if (auto pb = c.optional_child("IDD5PB")) x.IDD5PB = read_rails(*pb);
  // The DRAMPower increments must not be negative: a current below its baseline is a typo.
  struct Increment {
    const char* key;
    const dram::Rails<Current>* current;
    const dram::Rails<Current>* base;
    const char* base_name;
    const char* command;
  };
  const Increment increments[] = {
      {"IDD0", &x.IDD0, &x.IDD3N, "IDD3N", "ACT"},  {"IDD0", &x.IDD0, &x.IDD2N, "IDD2N", "PRE"},
      {"IDD4R", &x.IDD4R, &x.IDD3N, "IDD3N", "RD"}, {"IDD4W", &x.IDD4W, &x.IDD3N, "IDD3N", "WR"},
      {"IDD5", &x.IDD5, &x.IDD3N, "IDD3N", "REF"},
  };
  for (const Increment& i : increments) {
    c.require(dram::power_of_difference(x.supply, *i.current, *i.base).value() >= 0.0, i.key,
              std::string(i.key) + " draws less power than " + i.base_name +
                  ", which would make the " + i.command + " energy negative");
  }
  return x;
}

}  // namespace

Lpddr4Config Lpddr4Config::parse(const ConfigNode& block, const std::string& instance) {
  // `memspec: FILE.json`: the device from a DRAMSys memspec, behind the block's own keys.
  const std::optional<ConfigNode> with_device = with_lpddr4_memspec(block);
  if (!with_device) {
    block.ignore_unread_keys();  // the memspec's error stands for the block
    return Lpddr4Config{};
  }
  const ConfigNode& node = *with_device;
  Lpddr4Config c;
  // Cross-checks run only if this block's own values were valid (other blocks' errors aside).
  const std::size_t errors_before = node.document().diagnostics().size();
  // A missing section is one diagnostic, not one per key inside it.
  auto section = [&](const char* key) {
    auto s = node.optional_child(key);
    if (!s) {
      node.error(key, std::string("missing required section '") + key +
                          "' (give it, or inherit it with preset: lpddr4-3200 or memspec: "
                          "FILE.json)");
    }
    return s;
  };
  // tCK first: the model's clock is the DRAM command clock.
  if (auto t = section("timing")) c.timing = parse_timing(*t);

  c.width_bits = node.get<std::uint32_t>("width_bits");
  if (node.has("width_bits")) {
    node.require(c.width_bits >= 8 && c.width_bits % 8 == 0 && is_power_of_two(c.width_bits),
                 "width_bits", "must be 8, 16, 32 or 64 (LPDDR4 channels are x16)");
  }
  c.burst_length = node.get<std::uint32_t>("burst_length");
  if (node.has("burst_length")) {
    node.require(c.burst_length == 16 || c.burst_length == 32, "burst_length",
                 "must be 16 or 32 (the LPDDR4 burst lengths)");
  }
  const bool geometry_ok = c.width_bits >= 8 && is_power_of_two(c.width_bits) &&
                           (c.burst_length == 16 || c.burst_length == 32);

  const std::uint64_t tck_ps = c.timing.tCK.value();
  const Frequency clock(tck_ps > 0 ? (1'000'000'000'000ULL + tck_ps / 2) / tck_ps : 1);
  c.common = parse_common_config(node, instance, clock, geometry_ok ? c.burst_bytes() : Bytes(32),
                                 /*clock_key=*/false);

  auto geometry = [&](const char* key, std::uint32_t fallback, bool required) {
    const std::uint32_t v =
        required ? node.get<std::uint32_t>(key) : node.get<std::uint32_t>(key, fallback);
    if (node.has(key) || !required) {
      if (v == 0) {
        node.error(key, "must be at least 1");
      } else if (!is_power_of_two(v)) {
        node.error(key, std::to_string(v) +
                            " is not a power of two (the address mapping assigns whole bits)");
      }
    }
    return v;
  };
  c.channels = geometry("channels", 1, false);
  c.banks = geometry("banks", 8, true);
  c.rows = geometry("rows", 0, true);
  c.columns = geometry("columns", 0, true);

  c.queue_depth = node.get<std::uint32_t>("queue_depth", 32);
  node.require(c.queue_depth >= 1 && c.queue_depth <= 65536, "queue_depth",
               "must be between 1 and 65536 requests");
  {
    const std::string p =
        node.choice("page_policy", {"open", "closed", "open_adaptive", "closed_adaptive"}, "open");
    c.page_policy = p == "open"            ? PagePolicy::open
                    : p == "closed"        ? PagePolicy::closed
                    : p == "open_adaptive" ? PagePolicy::open_adaptive
                                           : PagePolicy::closed_adaptive;
    const std::string r = node.choice("refresh", {"all_bank", "per_bank", "none"}, "all_bank");
    c.refresh = r == "all_bank"   ? RefreshPolicy::all_bank
                : r == "per_bank" ? RefreshPolicy::per_bank
                                  : RefreshPolicy::none;
  }
  if (auto ctl = node.optional_child("controller")) {
    const std::string s =
        ctl->choice("scheduler", {"in_order", "fcfs", "fr_fcfs", "fr_fcfs_grp"}, "in_order");
    c.controller.scheduler = s == "in_order"  ? SchedulerKind::in_order
                             : s == "fcfs"    ? SchedulerKind::fcfs
                             : s == "fr_fcfs" ? SchedulerKind::fr_fcfs
                                              : SchedulerKind::fr_fcfs_grp;
    c.controller.buffer = ctl->choice("buffer", {"per_bank", "global"}, "per_bank") == "per_bank"
                              ? BufferKind::per_bank
                              : BufferKind::global;
    c.controller.buffer_depth = ctl->get<std::uint32_t>("buffer_depth", 8);
    ctl->require(c.controller.buffer_depth >= 1 && c.controller.buffer_depth <= 4096,
                 "buffer_depth", "must be between 1 and 4096 requests");
    c.controller.responses_in_order =
        ctl->choice("responses", {"in_order", "out_of_order"}, "in_order") == "in_order";
  }
  const bool buffered = c.controller.buffered();
  if (!buffered && (c.page_policy == PagePolicy::open_adaptive ||
                    c.page_policy == PagePolicy::closed_adaptive)) {
    node.error("page_policy",
               "the adaptive page policies need a buffered controller (controller: {scheduler: "
               "fr_fcfs}): they look at the requests waiting for the bank");
  }
  if (!buffered && c.refresh == RefreshPolicy::per_bank) {
    node.error("refresh",
               "per-bank refresh needs a buffered controller (controller: {scheduler: fr_fcfs}); "
               "the in_order controller refreshes all banks");
  }
  if (c.refresh == RefreshPolicy::per_bank &&
      (c.timing.REFIpb.value() == 0 || c.timing.RFCpb.value() == 0)) {
    node.error("refresh", "per-bank refresh needs timing REFIpb and RFCpb (cycles of tCK)");
  }
  if (auto pd = node.optional_child("power_down")) {
    c.power_down.enabled = pd->get<bool>("enabled");
    const auto idle = pd->find<std::uint64_t>("idle_cycles");
    const auto sr = pd->find<std::uint64_t>("self_refresh_idle_cycles");
    if (c.power_down.enabled) {
      if (!idle) {
        pd->error("",
                  "missing required key 'idle_cycles' (idle cycles of tCK before power-down "
                  "entry) while power-down is enabled");
      } else if (*idle == 0) {
        pd->error("idle_cycles", "must be at least 1");
      }
      if (idle && sr && *sr != 0 && *sr <= *idle) {
        pd->error("self_refresh_idle_cycles",
                  "must exceed idle_cycles (" + std::to_string(*idle) +
                      "): self-refresh is the deeper state, entered after power-down");
      }
    }
    c.power_down.idle = Cycles(idle.value_or(0));
    c.power_down.self_refresh_idle = Cycles(sr.value_or(0));
  }

  if (auto cur = section("currents")) c.currents = parse_currents(*cur);

  const auto map_section = node.optional_child("address_mapping");
  if (!map_section) {
    node.error("address_mapping",
               "missing required section 'address_mapping' (bit lists for byte, column, row, "
               "bank, channel, e.g. {byte: [0], column: [\"1-10\"], row: [\"11-26\"], bank: "
               "[\"27-29\"], channel: []})");
    return c;
  }
  const ConfigNode& map_node = *map_section;
  c.mapping = AddressMapping::parse(map_node, {"byte", "column", "row", "bank", "channel"});

  // Everything below cross-checks values that must each be valid first.
  if (node.document().diagnostics().size() != errors_before) return c;

  const std::uint64_t per_channel =
      std::uint64_t{c.banks} * c.rows * c.columns * (c.width_bits / 8);
  const std::uint64_t product = per_channel * c.channels;
  if (product != c.common.capacity.value()) {
    node.error("capacity", "capacity " + to_string(c.common.capacity) + " does not match " +
                               std::to_string(c.channels) + " channels x " +
                               std::to_string(c.banks) + " banks x " + std::to_string(c.rows) +
                               " rows x " + std::to_string(c.columns) + " columns x " +
                               std::to_string(c.width_bits / 8) +
                               " B = " + std::to_string(product) + "B");
    return c;
  }
  const std::uint64_t expected_width[kFieldCount] = {log2_of(c.width_bits / 8), log2_of(c.columns),
                                                     log2_of(c.rows), log2_of(c.banks),
                                                     log2_of(c.channels)};
  const char* counted[kFieldCount] = {"bytes per column (width_bits / 8)", "columns", "rows",
                                      "banks", "channels"};
  const std::uint64_t counts[kFieldCount] = {c.width_bits / 8, c.columns, c.rows, c.banks,
                                             c.channels};
  bool widths_ok = true;
  for (std::size_t f = 0; f < kFieldCount; ++f) {
    if (c.mapping.width(f) != expected_width[f]) {
      map_node.error(c.mapping.name(f), "has " + std::to_string(c.mapping.width(f)) +
                                            " bits, expected " + std::to_string(expected_width[f]) +
                                            " for " + std::to_string(counts[f]) + " " + counted[f]);
      widths_ok = false;
    }
  }
  if (!widths_ok) return c;
  const unsigned address_bits = log2_of(c.common.capacity.value());
  if (c.mapping.used_mask() != c.common.capacity.value() - 1) {
    map_node.error("", "the mapped bits (" + c.mapping.describe() + ") must be exactly bits 0-" +
                           std::to_string(address_bits - 1) + " of the " +
                           to_string(c.common.capacity) + " address space");
    return c;
  }
  // A burst must be one aligned run of addresses: the byte bits and the column bits below the
  // burst length are the lowest address bits, in order.
  const unsigned byte_bits = c.mapping.width(kByte);
  const unsigned burst_column_bits = log2_of(c.burst_length);
  bool burst_ok = true;
  for (unsigned i = 0; i < byte_bits; ++i) burst_ok = burst_ok && c.mapping.bits(kByte)[i] == i;
  for (unsigned i = 0; i < burst_column_bits; ++i) {
    burst_ok = burst_ok && c.mapping.bits(kColumn)[i] == byte_bits + i;
  }
  if (!burst_ok) {
    map_node.error(
        "", "the " + std::to_string(byte_bits) + " byte bits and then the lowest " +
                std::to_string(burst_column_bits) + " column bits must be address bits 0-" +
                std::to_string(byte_bits + burst_column_bits - 1) + " in order, so that one " +
                to_string(c.burst_bytes()) + " burst is one aligned address range");
  }
  return c;
}

}  // namespace hmasim
