// What the memories report to the traces (core/trace_sink.hpp), through a recording sink: the
// base's byte counter, power state and request slices; LPDDR4 bank states at the command times
// of scripted patterns, and against an independent reading of the command log under random
// traffic; eNVM and SRAM bank busy wires; the watermark claim of accounted_until(); and that
// tracing changes no statistic, timing or energy. Expected values come from the parsed configs
// and the command log, never from a run.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/energy_ledger.hpp"
#include "mem/envm/envm.hpp"
#include "mem/lpddr4/lpddr4.hpp"
#include "mem/memory_system.hpp"
#include "mem/sram.hpp"
#include "support/memory_bench.hpp"
#include "support/recording_trace_sink.hpp"

namespace hmasim {

// Readable times in failure messages (found by argument-dependent lookup in hmasim).
void PrintTo(const Time& t, std::ostream* os) {
  *os << t.value() << " ps";
}

namespace {

using test::parse_platform;
using test::RecordingEnergyObserver;
using test::RecordingTraceSink;
using Driver = test::ScriptedInitiator;
using Waveform = std::vector<std::pair<Time, std::uint64_t>>;

// ---------------------------------------------------------------------------------------------
// LPDDR4 helpers

// One lpddr4 memory `dram` on the shipped preset, 1 GiB, the shipped mapping (each bank a
// contiguous 128 MiB), plus `lines`.
std::string dram_yaml(const std::vector<std::string>& lines) {
  std::string y =
      "memories:\n  dram:\n    preset: lpddr4-3200\n    model: lpddr4\n    capacity: 1GiB\n"
      "    address_mapping: {byte: [0], column: [\"1-10\"], row: [\"11-26\"], bank: "
      "[\"27-29\"], channel: []}\n";
  for (const std::string& l : lines) y += "    " + l + "\n";
  return y;
}
const Lpddr4Config& as_lpddr4(const MemorySpec& s) {
  return dynamic_cast<const Lpddr4Config&>(*s.config);
}
std::uint64_t address_of(const Lpddr4Config& c, std::uint64_t bank, std::uint64_t row,
                         std::uint64_t column) {
  return c.mapping.compose({0, column, row, bank, 0});
}
Time at_cycle(const Lpddr4Config& c, Cycles k) {
  return c.timing.tCK * k.value();
}
Time at_cycle(const Lpddr4Config& c, std::uint64_t k) {
  return at_cycle(c, Cycles(k));
}
std::vector<Lpddr4CommandRecord> sorted_log(std::vector<Lpddr4CommandRecord> log) {
  std::stable_sort(log.begin(), log.end(),
                   [](const auto& a, const auto& b) { return a.cycle < b.cycle; });
  return log;
}
std::vector<Cycles> cycles_of(const std::vector<Lpddr4CommandRecord>& log, Lpddr4Command c,
                              std::uint16_t bank = Lpddr4CommandRecord::kAllBanks) {
  std::vector<Cycles> v;
  for (const auto& r : sorted_log(log)) {
    if (r.command == c && (bank == Lpddr4CommandRecord::kAllBanks || r.bank == bank)) {
      v.push_back(r.cycle);
    }
  }
  return v;
}
TraceSink::Id bank_signal(const RecordingTraceSink& sink, unsigned channel, unsigned bank) {
  return sink.signal_id("memories.dram.ch" + std::to_string(channel),
                        "bank" + std::to_string(bank));
}

// Reads at the given cycles, each waiting for the previous one's completion.
std::vector<Driver::Result> blocking_reads(
    Driver& d, const Lpddr4Config& c,
    const std::vector<std::pair<std::uint64_t, std::uint64_t>>& cycle_address) {
  std::vector<Driver::Result> results;
  for (const auto& [cycle, address] : cycle_address) {
    d.advance_to(at_cycle(c, cycle));
    results.push_back(d.read(address, 32));
    EXPECT_EQ(results.back().status, tlm::TLM_OK_RESPONSE);
    d.advance_to(results.back().completed);
  }
  return results;
}

// The bank states the command log implies, per bank of `channel`, read independently of the
// model: ACT active, PRE precharged, PREA precharges the open banks, REF refreshing for tRFCab
// then precharged, PDE and SRE powered down, PDX back to open or precharged, SRX precharged. At
// one cycle a refresh's end comes first, then the commands in log order. An ACT to an open bank
// or a PRE to a closed one (a PREA that came too early) goes to `problems`.
std::vector<Waveform> states_from_log(const Lpddr4Config& c,
                                      const std::vector<Lpddr4CommandRecord>& log, unsigned channel,
                                      std::vector<std::string>* problems = nullptr) {
  const auto problem = [&](const char* what, Cycles at) {
    if (problems)
      problems->push_back(std::string(what) + " at cycle " + std::to_string(at.value()));
  };
  struct Event {
    Cycles at;
    int order;  // 0: a refresh ends; 1: a command
    std::size_t seq;
    std::uint32_t bank;
    std::uint64_t value;
  };
  std::vector<Event> events;
  std::vector<bool> open(c.banks, false);
  auto all = [&](Cycles at, int order, auto value_of) {
    for (std::uint32_t b = 0; b < c.banks; ++b) {
      events.push_back({at, order, events.size(), b, value_of(b)});
    }
  };
  for (const auto& r : sorted_log(log)) {
    if (r.channel != channel) continue;
    switch (r.command) {
      case Lpddr4Command::ACT:
        if (open[r.bank]) problem("ACT to an open bank", r.cycle);
        open[r.bank] = true;
        events.push_back({r.cycle, 1, events.size(), r.bank, 1});
        break;
      case Lpddr4Command::PRE:
        if (!open[r.bank]) problem("PRE to a closed bank", r.cycle);
        open[r.bank] = false;
        events.push_back({r.cycle, 1, events.size(), r.bank, 0});
        break;
      case Lpddr4Command::PREA:
        for (std::uint32_t b = 0; b < c.banks; ++b) {
          if (open[b]) events.push_back({r.cycle, 1, events.size(), b, 0});
          open[b] = false;
        }
        break;
      case Lpddr4Command::REF:
        all(r.cycle, 1, [](std::uint32_t) { return 2u; });
        all(r.cycle + c.timing.RFCab, 0, [](std::uint32_t) { return 0u; });
        break;
      case Lpddr4Command::PDE:
      case Lpddr4Command::SRE:
        all(r.cycle, 1, [](std::uint32_t) { return 3u; });
        break;
      case Lpddr4Command::PDX:
        all(r.cycle, 1, [&](std::uint32_t b) { return open[b] ? 1u : 0u; });
        break;
      case Lpddr4Command::SRX:
        all(r.cycle, 1, [](std::uint32_t) { return 0u; });
        break;
      case Lpddr4Command::RD:
      case Lpddr4Command::WR:
      case Lpddr4Command::REFPB:
        break;
    }
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    if (a.at != b.at) return a.at < b.at;
    if (a.order != b.order) return a.order < b.order;
    return a.seq < b.seq;
  });
  std::vector<Waveform> w(c.banks);
  std::vector<std::uint64_t> current(c.banks, 0);
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    // The last event of a bank at one cycle wins.
    bool later_same = false;
    for (std::size_t j = i + 1; j < events.size() && events[j].at == e.at; ++j) {
      later_same = later_same || events[j].bank == e.bank;
    }
    if (later_same || current[e.bank] == e.value) continue;
    current[e.bank] = e.value;
    w[e.bank].emplace_back(at_cycle(c, e.at), e.value);
  }
  return w;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string s;
  for (const std::string& l : lines) s += l + "\n";
  return s;
}

std::string describe(const Waveform& w) {
  std::string s;
  for (const auto& [t, v] : w)
    s += "(" + std::to_string(t.value()) + "ps," + std::to_string(v) + ") ";
  return s;
}

// ---------------------------------------------------------------------------------------------
// The base: registrations, bytes, slices, power state

const char* kIdealPair =
    "memories:\n"
    "  ideal:\n"
    "    model: simple\n"
    "    capacity: 1MiB\n"
    "    latency: 10ns\n"
    "    bandwidth: 25GB/s\n"
    "  quiet:\n"
    "    model: simple\n"
    "    capacity: 1MiB\n"
    "    latency: 10ns\n"
    "    bandwidth: 25GB/s\n";

TEST(MemoryTargetTraces, RegistersBytesPowerAndRequestLanesInTheMemoryScope) {
  const auto specs = parse_platform(kIdealPair);
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  RecordingTraceSink burst(TraceDetail::burst), tile(TraceDetail::tile);
  system.find("ideal")->set_trace(&burst);
  system.find("quiet")->set_trace(&tile);
  using Kind = RecordingTraceSink::Kind;
  for (const RecordingTraceSink* s : {&burst, &tile}) {
    const std::string scope = s == &burst ? "memories.ideal" : "memories.quiet";
    EXPECT_TRUE(s->has(Kind::byte_counter, scope, "data"));
    ASSERT_TRUE(s->has(Kind::integer, scope, "powered"));
    const TraceSink::Id powered = s->signal_id(scope, "powered");
    EXPECT_EQ(s->registrations()[powered].bits, 1u);
    EXPECT_EQ(s->waveform(powered), (Waveform{{Time(0), 1}})) << "powered from the start";
  }
  // Request lanes only at burst detail, opened as requests need them (none before any).
  EXPECT_TRUE(burst.in_scope(Kind::track, "memories").empty());
  EXPECT_TRUE(tile.in_scope(Kind::track, "memories").empty());
  EXPECT_EQ(joined(burst.violations()), "");
}

TEST(MemoryTargetTraces, BytesAndSlicesCoverEveryServedRequest) {
  // Only the first of the pair: a simulation binds every socket.
  const std::string yaml(kIdealPair);
  const auto specs = parse_platform(yaml.substr(0, yaml.find("  quiet:")));
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  MemoryTarget* m = system.find("ideal");
  RecordingTraceSink sink;
  m->set_trace(&sink);
  std::vector<Driver::Result> results;
  std::vector<bool> writes;
  Driver d("drv", *m, [&](Driver& d) {
    std::mt19937_64 rng(3);
    for (int i = 0; i < 400; ++i) {
      const bool write = rng() % 4 == 0;
      const std::uint32_t length = 32u << (rng() % 3);
      const std::uint64_t address = (rng() % 4096) * 64;
      results.push_back(write ? d.write(address, std::vector<std::uint8_t>(length, 1))
                              : d.read(address, length));
      writes.push_back(write);
      d.advance_to(results.back().accepted);  // pipelined: several requests in flight
    }
    // Refused requests move nothing.
    EXPECT_EQ(d.read(m->capacity().value(), 64).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  });
  sc_core::sc_start();
  const MemoryStats& st = m->stats();
  const TraceSink::Id bytes = sink.counter_id("memories.ideal", "data");
  EXPECT_EQ(sink.total_bytes(bytes), st.bytes_read + st.bytes_written);
  ASSERT_EQ(sink.byte_reports().size(), results.size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(sink.byte_reports()[i].at, results[i].completed) << "at completion, request " << i;
  }
  // One slice per request [arrival, done); a lane's slices never overlap.
  std::vector<RecordingTraceSink::Slice> all;
  std::size_t lanes_used = 0;
  for (TraceSink::Id lane : sink.in_scope(RecordingTraceSink::Kind::track, "memories")) {
    auto on = sink.slices_on(lane);
    lanes_used += on.empty() ? 0 : 1;
    for (std::size_t i = 1; i < on.size(); ++i) {
      EXPECT_GE(on[i].begin, on[i - 1].end) << "overlap on lane " << lane;
    }
    all.insert(all.end(), on.begin(), on.end());
  }
  EXPECT_GT(lanes_used, 1u) << "requests in flight overlap, so they need several lanes";
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
  ASSERT_EQ(all.size(), results.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].begin, results[i].issued);  // issued on the 1 GHz grid: arrival = issue
    EXPECT_EQ(all[i].end, results[i].completed);
    EXPECT_EQ(all[i].name, writes[i] ? "write" : "read");
    EXPECT_EQ(all[i].category, "memory");
  }
  EXPECT_EQ(joined(sink.violations()), "");
}

TEST(MemoryTargetTraces, ModelsWithoutLazyAccountingPutNoConstraintOnTheWatermark) {
  const auto specs = parse_platform(
      "memories:\n"
      "  s: {model: sram, capacity: 64KiB, port_width: 8B, read_latency: 1, write_latency: 1,"
      " read_energy: 1pJ, write_energy: 1pJ, leakage: 1mW}\n"
      "  e: {model: envm, capacity: 64KiB, technology: {preset: rram}}\n"
      "  i: {model: simple, capacity: 64KiB, latency: 1ns, bandwidth: 1GB/s}\n");
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  for (const auto& m : system.all()) {
    EXPECT_EQ(m->accounted_until(), MemoryTarget::kAllAccounted) << m->instance_name();
  }
}

// ---------------------------------------------------------------------------------------------
// SRAM

const char* kSram =
    "memories:\n"
    "  s:\n"
    "    model: sram\n"
    "    capacity: 1MiB\n"
    "    clock: 1GHz\n"
    "    banks: 4\n"
    "    port_width: 8B\n"
    "    read_latency: 3\n"
    "    write_latency: 2\n"
    "    bank_cycle: 2\n"
    "    read_energy: 1pJ\n"
    "    write_energy: 2.5pJ\n"
    "    leakage_per_mib: 28mW\n"
    "    wakeup_time: 10ns\n";

TEST(sram_traces, PoweredFollowsPowerOffAndOn) {
  const auto specs = parse_platform(kSram);
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  MemoryTarget* m = system.find("s");
  RecordingTraceSink sink;
  m->set_trace(&sink);
  const Time off_at = nanoseconds(2000), on_at = nanoseconds(5000);
  Driver d("drv", *m, [&](Driver& d) {
    d.advance_to(off_at);
    m->power_off(d.local_time());
    m->power_off(d.local_time() + nanoseconds(10));  // already off: no change
    d.advance_to(on_at);
    m->power_on(d.local_time());
  });
  sc_core::sc_start();
  const TraceSink::Id powered = sink.signal_id("memories.s", "powered");
  EXPECT_EQ(sink.waveform(powered), (Waveform{{Time(0), 1}, {off_at, 0}, {on_at, 1}}));
  EXPECT_EQ(sink.changes_of(powered).size(), 3u);
}

TEST(sram_traces, BankBusyJoinsBackToBackWords) {
  const auto specs = parse_platform(kSram);
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  MemoryTarget* m = system.find("s");
  RecordingTraceSink sink;
  m->set_trace(&sink);
  Driver d("drv", *m, [&](Driver& d) {
    d.advance_to(nanoseconds(10));
    // 8 words over 4 banks: each bank takes two words back to back, [10, 14) ns.
    d.read(0, 64);
    // At 14 ns words 0 and 1 again: banks 0 and 1 stay busy to 16 ns.
    d.advance_to(nanoseconds(14));
    d.read(0, 16);
    // Later, bank 3 alone.
    d.advance_to(nanoseconds(30));
    d.write(24, std::vector<std::uint8_t>(8, 7));
  });
  sc_core::sc_start();
  const auto busy = [&](unsigned b) {
    return sink.waveform(sink.signal_id("memories.s", "bank" + std::to_string(b) + "_busy"));
  };
  const Time ns10 = nanoseconds(10), ns14 = nanoseconds(14), ns16 = nanoseconds(16);
  EXPECT_EQ(busy(0), (Waveform{{ns10, 1}, {ns16, 0}}));
  EXPECT_EQ(busy(1), (Waveform{{ns10, 1}, {ns16, 0}}));
  EXPECT_EQ(busy(2), (Waveform{{ns10, 1}, {ns14, 0}}));
  EXPECT_EQ(busy(3), (Waveform{{ns10, 1}, {ns14, 0}, {nanoseconds(30), 1}, {nanoseconds(32), 0}}));
  // One interval per bank and request, not one per word.
  EXPECT_EQ(sink.changes().size(), 1u + 2 * 4 + 2 * 2 + 2 * 1);  // powered at 0, then the wires
}

// ---------------------------------------------------------------------------------------------
// eNVM

// Round numbers: 8 B per access (64 SLC cells), reads every 2 ns, a write 1 x (10 + 5) ns.
const char* kEnvm =
    "memories:\n"
    "  e:\n"
    "    model: envm\n"
    "    capacity: 1MiB\n"
    "    banks: 2\n"
    "    technology: {name: round, max_bits_per_cell: 3, cell_area_f2: 10, node: 20nm,"
    " cells_per_access: 64, read_latency: 5ns, read_cycle: 2ns, read_energy: 4pJ,"
    " pulses: {1: 1, 2: 4, 3: 9}, pulse_time: 10ns, verify_time: 5ns, energy_per_pulse: 50pJ,"
    " verify_energy: 4pJ, leakage_per_mib: 2mW, endurance: 1e6}\n";
// And one with faults on read.
const std::string kEnvmAndFaulty = std::string(kEnvm) +
                                   "  faulty:\n"
                                   "    model: envm\n"
                                   "    capacity: 64KiB\n"
                                   "    bits_per_cell: 2\n"
                                   "    technology: {preset: rram}\n"
                                   "    faults: {mode: read}\n";

TEST(envm_traces, BankBusyCoversReadsAndProgramAndVerifyWrites) {
  const auto specs = parse_platform(kEnvm);
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  auto* e = dynamic_cast<Envm*>(system.find("e"));
  ASSERT_NE(e, nullptr);
  const EnvmConfig& c = e->config();
  ASSERT_EQ(e->access_bytes(), Bytes(8));
  const Time read_cycle = c.technology.read_cycle;
  const Time write_time = c.technology.write_time(1);
  ASSERT_EQ(read_cycle, nanoseconds(2));
  ASSERT_EQ(write_time, nanoseconds(15));
  RecordingTraceSink sink;
  e->set_trace(&sink);
  const Time w_at = nanoseconds(100), r_at = nanoseconds(101);
  Driver d("drv", *e, [&](Driver& d) {
    // Four units over two banks: each bank reads twice back to back, [0, 2 read cycles).
    d.read(0, 32);
    d.advance_to(w_at);
    d.write(0, std::vector<std::uint8_t>(8, 0x5a));  // bank 0, program and verify
    d.advance_to(r_at);
    d.read(8, 8);  // bank 1
  });
  sc_core::sc_start();
  const auto busy = [&](unsigned b) {
    return sink.waveform(sink.signal_id("memories.e", "bank" + std::to_string(b) + "_busy"));
  };
  EXPECT_EQ(busy(0),
            (Waveform{{Time(0), 1}, {read_cycle * 2, 0}, {w_at, 1}, {w_at + write_time, 0}}));
  EXPECT_EQ(busy(1),
            (Waveform{{Time(0), 1}, {read_cycle * 2, 0}, {r_at, 1}, {r_at + read_cycle, 0}}));
  EXPECT_EQ(joined(sink.violations()), "");
}

TEST(envm_traces, FaultModeIsAConstantSignal) {
  const auto specs = parse_platform(kEnvmAndFaulty);
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  RecordingTraceSink sink;
  system.find("e")->set_trace(&sink);
  system.find("faulty")->set_trace(&sink);
  const TraceSink::Id off = sink.signal_id("memories.e", "fault_mode");
  const TraceSink::Id read = sink.signal_id("memories.faulty", "fault_mode");
  EXPECT_EQ(sink.registrations()[read].bits, 2u);
  EXPECT_EQ(sink.value_at(off, Time(0)), 0u);
  EXPECT_EQ(sink.waveform(read), (Waveform{{Time(0), 2}}));  // 0 off, 1 program, 2 read
}

// ---------------------------------------------------------------------------------------------
// LPDDR4 bank states

TEST(Lpddr4Traces, RowMissIsPrechargeThenActivate) {
  const auto specs = parse_platform(dram_yaml({"refresh: none"}));
  const Lpddr4Config& c = as_lpddr4(specs[0]);
  EnergyLedger ledger;
  Lpddr4 dram("dram", c, ledger);
  dram.enable_command_log();
  RecordingTraceSink sink;
  dram.set_trace(&sink);
  Driver d("drv", dram, [&](Driver& d) {
    blocking_reads(d, c, {{0, address_of(c, 0, 0, 0)}, {2000, address_of(c, 0, 1, 0)}});
  });
  sc_core::sc_start();
  const Lpddr4Timing& t = c.timing;
  // ACT at 0; the row miss: PRE at its arrival, ACT tRPpb later.
  EXPECT_EQ(cycles_of(dram.command_log(), Lpddr4Command::PRE), std::vector<Cycles>{Cycles(2000)});
  EXPECT_EQ(cycles_of(dram.command_log(), Lpddr4Command::ACT),
            (std::vector<Cycles>{Cycles(0), Cycles(2000) + t.RPpb}));
  EXPECT_EQ(
      sink.waveform(bank_signal(sink, 0, 0)),
      (Waveform{{Time(0), 1}, {at_cycle(c, 2000), 0}, {at_cycle(c, Cycles(2000) + t.RPpb), 1}}));
  for (unsigned b = 1; b < c.banks; ++b) {
    EXPECT_TRUE(sink.waveform(bank_signal(sink, 0, b)).empty()) << "bank " << b;
    EXPECT_EQ(sink.registrations()[bank_signal(sink, 0, b)].bits, 2u);
  }
}

TEST(Lpddr4Traces, IdleRefreshesShowRefreshingForTrfc) {
  const auto specs = parse_platform(dram_yaml({}));  // open page, all-bank refresh
  const Lpddr4Config& c = as_lpddr4(specs[0]);
  const Lpddr4Timing& t = c.timing;
  EnergyLedger ledger;
  Lpddr4 dram("dram", c, ledger);
  dram.enable_command_log();
  RecordingTraceSink sink;
  dram.set_trace(&sink);
  const std::uint64_t second = 3 * t.REFI.value() + 100;
  Driver d("drv", dram, [&](Driver& d) {
    blocking_reads(d, c, {{0, address_of(c, 2, 0, 0)}, {second, address_of(c, 2, 0, 16)}});
  });
  sc_core::sc_start();
  // The open row is closed at the first due time (PREA), the refresh follows tRPab later; the
  // next two are due while the channel is idle and precharged.
  const auto log = dram.command_log();
  EXPECT_EQ(cycles_of(log, Lpddr4Command::PREA), std::vector<Cycles>{t.REFI});
  const auto refs = cycles_of(log, Lpddr4Command::REF);
  ASSERT_EQ(refs.size(), 3u);
  EXPECT_EQ(refs[0], t.REFI + t.RPab);
  EXPECT_EQ(refs[1], t.REFI * 2);
  EXPECT_EQ(refs[2], t.REFI * 3);
  // Every bank: refreshing for tRFCab from each REF, precharged otherwise.
  Waveform refreshing;
  for (Cycles r : refs) {
    refreshing.emplace_back(at_cycle(c, r), 2);
    refreshing.emplace_back(at_cycle(c, r + t.RFCab), 0);
  }
  for (unsigned b = 0; b < c.banks; ++b) {
    if (b == 2) continue;
    EXPECT_EQ(sink.waveform(bank_signal(sink, 0, b)), refreshing) << "bank " << b;
  }
  // Bank 2 is active until the PREA; the second read, to the same row, finds it closed and
  // activates it again once the last refresh is over.
  const auto acts = cycles_of(log, Lpddr4Command::ACT);
  ASSERT_EQ(acts.size(), 2u);
  EXPECT_EQ(acts[1], max(Cycles(second), refs[2] + t.RFCab));
  Waveform bank2{{Time(0), 1}, {at_cycle(c, t.REFI), 0}};
  bank2.insert(bank2.end(), refreshing.begin(), refreshing.end());
  if (acts[1] == refs[2] + t.RFCab) {
    bank2.back().second = 1;  // refresh over and activated in the same cycle
  } else {
    bank2.emplace_back(at_cycle(c, acts[1]), 1);
  }
  EXPECT_EQ(sink.waveform(bank_signal(sink, 0, 2)), bank2)
      << describe(sink.waveform(bank_signal(sink, 0, 2)));
}

TEST(Lpddr4Traces, PowerDownAfterIdleShowsOnEveryBank) {
  const std::uint64_t idle = 64, second = 10000;
  const auto specs = parse_platform(
      dram_yaml({"page_policy: closed", "refresh: none",
                 "power_down: {enabled: true, idle_cycles: " + std::to_string(idle) + "}"}));
  const Lpddr4Config& c = as_lpddr4(specs[0]);
  const Lpddr4Timing& t = c.timing;
  EnergyLedger ledger;
  Lpddr4 dram("dram", c, ledger);
  dram.enable_command_log();
  RecordingTraceSink sink;
  dram.set_trace(&sink);
  Driver d("drv", dram, [&](Driver& d) {
    blocking_reads(d, c, {{0, address_of(c, 0, 0, 0)}, {second, address_of(c, 0, 0, 0)}});
  });
  sc_core::sc_start();
  const Cycles bl2 = c.burst_cycles();
  // Closed page: the bank auto-precharges (tRAS after the ACT or tRTP after the RD); the channel
  // is quiet tRPpb later (or when the data is out) and powers down `idle` cycles after that.
  const Cycles pre = max(t.RAS, t.RCD + t.RTP);
  const Cycles quiet = max(t.RCD + t.RL + bl2, pre + t.RPpb);
  const Cycles pde = quiet + Cycles(idle);
  const auto log = dram.command_log();
  ASSERT_EQ(cycles_of(log, Lpddr4Command::PDE), std::vector<Cycles>{pde});
  ASSERT_EQ(cycles_of(log, Lpddr4Command::PDX), std::vector<Cycles>{Cycles(second)});
  const auto pres = cycles_of(log, Lpddr4Command::PRE);
  ASSERT_EQ(pres.size(), 2u);
  EXPECT_EQ(pres[0], pre);
  const Cycles act2 = Cycles(second) + t.XP;  // the exit latency first
  EXPECT_EQ(sink.waveform(bank_signal(sink, 0, 0)), (Waveform{{Time(0), 1},
                                                              {at_cycle(c, pre), 0},
                                                              {at_cycle(c, pde), 3},
                                                              {at_cycle(c, second), 0},
                                                              {at_cycle(c, act2), 1},
                                                              {at_cycle(c, pres[1]), 0}}));
  for (unsigned b = 1; b < c.banks; ++b) {
    EXPECT_EQ(sink.waveform(bank_signal(sink, 0, b)),
              (Waveform{{at_cycle(c, pde), 3}, {at_cycle(c, second), 0}}))
        << "bank " << b;
  }
}

TEST(Lpddr4Traces, SelfRefreshAndRefreshesInsidePowerDown) {
  const std::uint64_t idle = 100, sr_idle = 20000, second = 200000;
  const auto specs = parse_platform(dram_yaml(
      {"page_policy: closed", "power_down: {enabled: true, idle_cycles: " + std::to_string(idle) +
                                  ", self_refresh_idle_cycles: " + std::to_string(sr_idle) + "}"}));
  const Lpddr4Config& c = as_lpddr4(specs[0]);
  const Lpddr4Timing& t = c.timing;
  EnergyLedger ledger;
  Lpddr4 dram("dram", c, ledger);
  dram.enable_command_log();
  RecordingTraceSink sink;
  dram.set_trace(&sink);
  Driver d("drv", dram, [&](Driver& d) {
    blocking_reads(d, c, {{0, address_of(c, 5, 0, 0)}, {second, address_of(c, 5, 0, 0)}});
  });
  sc_core::sc_start();
  const auto log = dram.command_log();
  const auto sre = cycles_of(log, Lpddr4Command::SRE);
  const auto srx = cycles_of(log, Lpddr4Command::SRX);
  const auto refs = cycles_of(log, Lpddr4Command::REF);
  ASSERT_EQ(sre.size(), 1u);
  ASSERT_EQ(srx.size(), 1u);
  ASSERT_GE(refs.size(), 2u) << "refreshes wake the power-down before self-refresh";
  const TraceSink::Id bank0 = bank_signal(sink, 0, 0);
  for (Cycles r : refs) {
    // Woken for the refresh (PDX tXP before it), refreshing, powered down again as it ends.
    EXPECT_EQ(sink.value_at(bank0, at_cycle(c, r - t.XP)), 0u);
    EXPECT_EQ(sink.value_at(bank0, at_cycle(c, r - t.XP) - Time(1)), 3u);
    EXPECT_EQ(sink.value_at(bank0, at_cycle(c, r)), 2u);
    EXPECT_EQ(sink.value_at(bank0, at_cycle(c, r + t.RFCab) - Time(1)), 2u);
    EXPECT_EQ(sink.value_at(bank0, at_cycle(c, r + t.RFCab)), 3u) << "power-down wins the cycle";
  }
  // Self-refresh: powered down from SRE to SRX, on every bank; no refresh inside.
  for (unsigned b = 0; b < c.banks; ++b) {
    const TraceSink::Id s = bank_signal(sink, 0, b);
    EXPECT_EQ(sink.value_at(s, at_cycle(c, sre[0]) - Time(1)), 0u) << "woken, then SRE";
    EXPECT_EQ(sink.value_at(s, at_cycle(c, sre[0])), 3u);
    EXPECT_EQ(sink.value_at(s, at_cycle(c, srx[0]) - Time(1)), 3u);
    EXPECT_EQ(sink.value_at(s, at_cycle(c, srx[0])), 0u);
  }
  EXPECT_LT(refs.back(), sre[0]);
  EXPECT_EQ(sink.waveform(bank_signal(sink, 0, 5)), states_from_log(c, log, 0)[5]);
}

// Random traffic with refreshes, power-down and (in the second memory) self-refresh, idle gaps
// long enough for refreshes in bulk: every bank's waveform is what the command log implies.
// Requests arrive every 0 to `max_gap` cycles.
void expect_states_match_log(const std::vector<std::string>& lines, std::uint64_t seed,
                             std::uint64_t max_gap) {
  const auto specs = parse_platform(dram_yaml(lines));
  const Lpddr4Config& c = as_lpddr4(specs[0]);
  EnergyLedger ledger;
  Lpddr4 dram("dram", c, ledger);
  dram.enable_command_log();
  RecordingTraceSink sink;
  dram.set_trace(&sink);
  Driver d("drv", dram, [&](Driver& d) {
    std::mt19937_64 rng(seed);
    std::uint64_t cycle = 0;
    for (int i = 0; i < 3000; ++i) {
      cycle += rng() % max_gap;
      if (i % 500 == 499) cycle += 100000;  // ~16 refresh intervals idle
      d.advance_to(max(d.local_time(), at_cycle(c, cycle)));
      const std::uint64_t address = (rng() % (c.common.capacity.value() / 64)) * 64;
      const auto r =
          rng() % 4 == 0 ? d.write(address, std::vector<std::uint8_t>(64, 1)) : d.read(address, 64);
      EXPECT_EQ(r.status, tlm::TLM_OK_RESPONSE);
      d.advance_to(r.accepted);
    }
  });
  sc_core::sc_start();
  dram.finish(d.local_time() + nanoseconds(200000));
  std::vector<std::string> problems;
  const auto expected = states_from_log(c, dram.command_log(), 0, &problems);
  // (A closed-page bank's auto-precharge after a PREA for a refresh was such a problem.)
  EXPECT_EQ(joined(problems), "");
  std::size_t changes = 0;
  for (unsigned b = 0; b < c.banks; ++b) {
    const Waveform got = sink.waveform(bank_signal(sink, 0, b));
    changes += got.size();
    ASSERT_EQ(got.size(), expected[b].size()) << "bank " << b;
    for (std::size_t i = 0; i < got.size(); ++i) {
      ASSERT_EQ(got[i], expected[b][i]) << "bank " << b << " change " << i;
    }
  }
  EXPECT_GT(changes, 3000u);
  EXPECT_GT(dram.count(Lpddr4Command::PDE), 0u);
}

TEST(Lpddr4Traces, BankStatesMatchTheCommandLogUnderRandomTraffic) {
  expect_states_match_log({"power_down: {enabled: true, idle_cycles: 32}"}, 5, 200);
}

TEST(Lpddr4Traces, BankStatesMatchTheCommandLogWithSelfRefresh) {
  expect_states_match_log({"page_policy: closed",
                           "power_down: {enabled: true, idle_cycles: 32, "
                           "self_refresh_idle_cycles: 30000}"},
                          9, 40);
}

// ---------------------------------------------------------------------------------------------
// The watermark: accounted_until() bounds every later report

TEST(Lpddr4Traces, AccountedUntilBoundsEveryLaterReport) {
  const auto specs = parse_platform(
      dram_yaml({"power_down: {enabled: true, idle_cycles: 64, self_refresh_idle_cycles: 20000}"}));
  const Lpddr4Config& c = as_lpddr4(specs[0]);
  EnergyLedger ledger;
  RecordingEnergyObserver observer;
  ledger.set_observer(&observer);
  Lpddr4 dram("dram", c, ledger);
  RecordingTraceSink sink;
  dram.set_trace(&sink);
  // Before each request (and the end) the accelerator would advance the trace to the minimum of
  // its own boundary (here: the request's arrival, no request comes earlier) and the memory's
  // accounted_until(); the sink flags any later report before that.
  struct Checkpoint {
    Time bound;
    Time arrival;
    std::uint64_t seq;
    std::size_t spans;
  };
  std::vector<Checkpoint> checkpoints;
  const auto checkpoint = [&](Time arrival) {
    const Time bound = min(dram.accounted_until(), arrival);
    sink.advance(bound);
    checkpoints.push_back({bound, arrival, sink.next_seq(), observer.spans().size()});
  };
  // A burst of requests, an idle gap long enough for power-down, refreshes and self-refresh,
  // more requests, a gap of power-down with refreshes, one more.
  const std::vector<std::uint64_t> cycles = {0, 40, 80, 120, 400000, 400050, 460000};
  std::size_t gap = 0;  // the checkpoint before the first request after the long gap
  Time end(0);
  Driver d("drv", dram, [&](Driver& d) {
    std::uint64_t row = 0;
    for (std::uint64_t cycle : cycles) {
      d.advance_to(max(d.local_time(), at_cycle(c, cycle)));
      if (cycle == 400000) gap = checkpoints.size();
      checkpoint(d.local_time());
      const auto r = d.read(address_of(c, row % 3, row, 0), 64);
      ++row;
      EXPECT_EQ(r.status, tlm::TLM_OK_RESPONSE);
      d.advance_to(r.accepted);
      end = max(end, r.completed);
    }
  });
  sc_core::sc_start();
  end += at_cycle(c, 300000);
  checkpoint(end);
  dram.finish(end);

  EXPECT_EQ(joined(sink.violations()), "");
  for (const Checkpoint& k : checkpoints) {
    for (std::size_t i = k.spans; i < observer.spans().size(); ++i) {
      ASSERT_GE(observer.spans()[i].begin, k.bound) << "energy span " << i;
    }
    EXPECT_GE(sink.earliest_report_since(k.seq), k.bound);
  }
  // Not vacuous: after the long gap the memory's accounting lags the arrival, the idle period's
  // reports lie before the arrival, and the background charge starts exactly at the bound.
  const Checkpoint& g = checkpoints.at(gap);
  EXPECT_LT(g.bound, g.arrival);
  EXPECT_LT(sink.earliest_report_since(g.seq), g.arrival);
  Time earliest_span = RecordingTraceSink::kNoTime;
  for (std::size_t i = g.spans; i < observer.spans().size(); ++i) {
    earliest_span = min(earliest_span, observer.spans()[i].begin);
  }
  EXPECT_EQ(earliest_span, g.bound);
  EXPECT_GT(dram.count(Lpddr4Command::SRE), 0u);
  EXPECT_GT(dram.count(Lpddr4Command::REF), 0u);
  // The spans carry all the energy.
  EXPECT_NEAR(observer.total(dram.component()).value(), ledger.total(dram.component()).value(),
              1e-12 * ledger.total(dram.component()).value());
}

// ---------------------------------------------------------------------------------------------
// Tracing off and on: nothing else changes

// Two identical memories of each model, "<kind>_a" and "<kind>_b".
std::string pairs_yaml() {
  const std::vector<std::pair<std::string, std::string>> blocks = {
      {"dram",
       "{preset: lpddr4-3200, model: lpddr4, capacity: 1GiB,"
       " power_down: {enabled: true, idle_cycles: 64, self_refresh_idle_cycles: 30000},"
       " address_mapping: {byte: [0], column: [\"1-10\"], bank: [\"11-13\"], row: [\"14-29\"],"
       " channel: []}}"},
      {"sram", "{preset: sram-22nm, model: sram, capacity: 2MiB}"},
      {"rram",
       "{model: envm, capacity: 4MiB, banks: 8, bits_per_cell: 2, technology: {preset: rram}}"},
      {"ideal", "{model: simple, capacity: 2MiB, latency: 10ns, bandwidth: 25GB/s}"},
  };
  std::string y = "memories:\n";
  for (const auto& [kind, block] : blocks) {
    y += "  " + kind + "_a: " + block + "\n  " + kind + "_b: " + block + "\n";
  }
  return y;
}

TEST(MemoryTargetTraces, TracingChangesNoTimingStatisticOrEnergy) {
  std::vector<MemorySpec> specs;
  try {
    specs = parse_platform(pairs_yaml());
  } catch (const ConfigError& e) {
    FAIL() << e.what();
  }
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  RecordingTraceSink sink;
  const std::vector<std::string> kinds = {"dram", "sram", "rram", "ideal"};
  for (const std::string& k : kinds) system.find(k + "_b")->set_trace(&sink);
  // The same script for both of a pair: pipelined random 64 B accesses with idle gaps.
  std::vector<std::vector<Driver::Result>> results(system.all().size());
  std::vector<std::unique_ptr<Driver>> drivers;
  Time end(0);
  for (std::size_t i = 0; i < system.all().size(); ++i) {
    MemoryTarget& m = *system.all()[i];
    drivers.push_back(
        std::make_unique<Driver>(("drv_" + m.instance_name()).c_str(), m, [&, i](Driver& d) {
          std::mt19937_64 rng(17);
          Time t(0);
          for (int n = 0; n < 2000; ++n) {
            t += nanoseconds(rng() % 300);
            if (n % 400 == 399) t += nanoseconds(100000);
            d.advance_to(max(t, d.local_time()));
            const std::uint64_t address = (rng() % (1u << 15)) * 64;
            results[i].push_back(rng() % 10 == 0
                                     ? d.write(address, std::vector<std::uint8_t>(64, 0x3c))
                                     : d.read(address, 64));
            d.advance_to(results[i].back().accepted);
            end = max(end, results[i].back().completed);
          }
        }));
  }
  sc_core::sc_start();
  for (const auto& m : system.all()) m->finish(end + nanoseconds(1000));

  for (const std::string& k : kinds) {
    SCOPED_TRACE(k);
    const std::size_t ia = static_cast<std::size_t>(
        std::find_if(system.all().begin(), system.all().end(),
                     [&](const auto& m) { return m->instance_name() == k + "_a"; }) -
        system.all().begin());
    const std::size_t ib = ia + 1;
    const MemoryTarget& a = *system.all()[ia];
    const MemoryTarget& b = *system.all()[ib];
    ASSERT_EQ(b.instance_name(), k + "_b");
    ASSERT_EQ(results[ia].size(), results[ib].size());
    for (std::size_t n = 0; n < results[ia].size(); ++n) {
      ASSERT_EQ(results[ia][n].status, results[ib][n].status) << n;
      ASSERT_EQ(results[ia][n].accepted, results[ib][n].accepted) << n;
      ASSERT_EQ(results[ia][n].completed, results[ib][n].completed) << n;
    }
    const MemoryStats& sa = a.stats();
    const MemoryStats& sb = b.stats();
    EXPECT_EQ(sa.reads, sb.reads);
    EXPECT_EQ(sa.writes, sb.writes);
    EXPECT_EQ(sa.bytes_read, sb.bytes_read);
    EXPECT_EQ(sa.bytes_written, sb.bytes_written);
    EXPECT_EQ(sa.errors, sb.errors);
    EXPECT_EQ(sa.busy_cycles, sb.busy_cycles);
    EXPECT_EQ(sa.latency_cycles, sb.latency_cycles);
    EXPECT_EQ(sa.max_latency_cycles, sb.max_latency_cycles);
    EXPECT_EQ(sa.last_done, sb.last_done);
    EXPECT_EQ(a.command_counts(), b.command_counts());
    const auto& aa = ledger.actions(a.component());
    const auto& ab = ledger.actions(b.component());
    ASSERT_EQ(aa.size(), ab.size());
    for (std::size_t n = 0; n < aa.size(); ++n) {
      EXPECT_EQ(aa[n].count, ab[n].count) << aa[n].name;
      EXPECT_EQ(aa[n].energy.value(), ab[n].energy.value()) << aa[n].name;  // bit for bit
    }
    EXPECT_EQ(ledger.static_energy(a.component()).value(),
              ledger.static_energy(b.component()).value());
    // And the traced one did report: every byte it moved.
    const TraceSink::Id bytes = sink.counter_id("memories." + k + "_b", "data");
    EXPECT_EQ(sink.total_bytes(bytes), sb.bytes_read + sb.bytes_written);
    EXPECT_GT(sb.bytes_read, 0u);
  }
  EXPECT_EQ(joined(sink.violations()), "");
}

}  // namespace
}  // namespace hmasim
