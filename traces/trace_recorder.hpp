// The traces of `hmasim run --trace ...` (docs/traces.md): one TraceRecorder is the run's
// TraceSink (what modules report) and the energy ledger's EnergyObserver (power over time), and
// streams waves.vcd, power.csv, bandwidth.csv, timeline.json and endurance.csv into a directory
// (the run's staging directory, core/file_output.hpp StagedDirectory) as the run goes.
//
// Use: construct after the options are known (the files are created then); register modules'
// signals and tracks and call set_components(ledger) after elaboration, before simulation;
// advance(t) as simulated time goes (after ledger.close(t), so that static power up to t has been
// reported); finish(end) once at the end, which completes and closes every file; files() names
// them for the manifest.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/energy_ledger.hpp"
#include "core/trace_sink.hpp"
#include "core/units.hpp"

namespace hmasim {

class VcdWriter;
class TimelineWriter;
class PowerWindows;
class BandwidthWindows;
class EnduranceWriter;
class OutputStream;

inline constexpr const char* kWavesFile = "waves.vcd";
inline constexpr const char* kPowerFile = "power.csv";
inline constexpr const char* kBandwidthFile = "bandwidth.csv";
inline constexpr const char* kTimelineFile = "timeline.json";
inline constexpr const char* kEnduranceFile = "endurance.csv";

struct TraceOptions {
  bool vcd = false;         // waves.vcd
  bool power = false;       // power.csv
  bool bandwidth = false;   // bandwidth.csv
  bool timeline = false;    // timeline.json
  bool endurance = false;   // endurance.csv
  Time window{10'000'000};  // 10 us: power.csv, bandwidth.csv and the VCD's per-window signals
  TraceDetail detail = TraceDetail::tile;
  bool any() const { return vcd || power || bandwidth || timeline || endurance; }
};

// Sets the kinds named in a comma-separated list ("vcd,power", "all"). Throws
// std::invalid_argument naming an unknown kind and listing the known ones.
void parse_trace_kinds(const std::string& list, TraceOptions& options);
// "layer", "tile" or "burst"; throws std::invalid_argument otherwise.
TraceDetail parse_trace_detail(const std::string& text);

class TraceRecorder : public TraceSink, public EnergyObserver {
 public:
  // What the recorder had to repair: reports that broke the watermark rule, or came after the
  // end. All zero in a correct run (docs/traces.md).
  struct Stats {
    std::uint64_t late_changes = 0;       // VCD changes before the watermark: written at it
    std::uint64_t late_spans = 0;         // energy spans starting before the watermark
    Energy moved_energy{0.0};             // their energy put into the oldest open window
    std::uint64_t late_byte_reports = 0;  // byte reports before the watermark
    Energy observed_energy{0.0};          // all energy reported to energy()
    std::uint64_t observed_bytes = 0;
  };

  // Creates the chosen files in `directory` (which must exist; the files must not). Throws
  // OutputError, or std::invalid_argument for a zero window.
  TraceRecorder(const TraceOptions& options, const std::string& directory);
  ~TraceRecorder() override;
  TraceRecorder(const TraceRecorder&) = delete;
  TraceRecorder& operator=(const TraceRecorder&) = delete;

  // The energy ledger's components, in ComponentId order: power.csv's columns and the VCD's
  // power.<name> signals. Once, after elaboration and before the first advance(); throws
  // std::logic_error after.
  void set_components(const std::vector<std::string>& names);
  void set_components(const EnergyLedger& ledger);

  // ---- TraceSink ----
  Id integer_signal(const std::string& scope, const std::string& name, unsigned bits) override;
  Id real_signal(const std::string& scope, const std::string& name) override;
  Id track(const std::string& group, const std::string& name) override;
  Id byte_counter(const std::string& scope, const std::string& name) override;
  void set(Id signal, Time at, std::uint64_t value) override;
  void set_real(Id signal, Time at, double value) override;
  void slice(Id track, Time begin, Time end, const std::string& name,
             const char* category) override;
  void counter(Id track, Time at, const std::string& name, double value) override;
  void add_bytes(Id counter, Time at, std::uint64_t bytes) override;
  void block_writes(const std::string& memory, std::uint32_t frame, Time at,
                    const std::vector<std::uint64_t>& writes_per_group) override;
  void advance(Time t) override;

  // ---- EnergyObserver ----
  void energy(EnergyLedger::ComponentId c, bool is_static, Energy e, Time begin, Time end) override;

  // Writes everything up to `end` (the run's simulated end; at least the watermark), completes
  // and closes every file. Reports after it are ignored. Throws OutputError. Idempotent.
  void finish(Time end);

  // The files written into the directory, in a fixed order (for the run's manifest).
  std::vector<std::string> files() const;
  const TraceOptions& options() const { return options_; }
  Time watermark() const { return watermark_; }
  bool finished() const { return finished_; }
  Stats stats() const;
  // Value changes waiting for the watermark (bounded by what lies after it).
  std::size_t buffered_changes() const;

 private:
  void emit_power(std::uint64_t index, Time start, Time length, const std::vector<double>& e);
  void emit_bytes(std::uint64_t index, Time start, Time length,
                  const std::vector<std::uint64_t>& bytes);
  void ensure_power();
  void write_headers();

  TraceOptions options_;
  std::string directory_;
  std::unique_ptr<VcdWriter> vcd_;
  std::unique_ptr<TimelineWriter> timeline_;
  std::unique_ptr<EnduranceWriter> endurance_;
  std::unique_ptr<OutputStream> power_csv_;
  std::unique_ptr<OutputStream> bandwidth_csv_;
  std::unique_ptr<PowerWindows> power_;
  std::unique_ptr<BandwidthWindows> bandwidth_;

  std::vector<std::string> components_;
  bool components_set_ = false;
  std::vector<std::uint32_t> power_vars_;  // VCD power.<component>, then power.total
  std::vector<std::string> counter_names_;
  std::vector<std::uint32_t> counter_vars_;  // VCD variable per byte counter
  Id signals_ = 0;                           // signal ids handed out while the VCD is off
  Id tracks_ = 0;                            // track ids handed out while the timeline is off
  Time watermark_{0};
  bool started_ = false;  // the first advance() came: registration is closed
  bool headers_written_ = false;
  bool finished_ = false;
};

}  // namespace hmasim
