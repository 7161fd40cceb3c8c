// waves.vcd: an IEEE 1364 value change dump that GTKWave opens. Integers (1 to 64 bits; 1 bit is
// a wire) and reals in nested `$scope module` blocks built from dotted scopes, initial values in
// `$dumpvars` at #0, then one `#t` section per time with a change.
//
// Changes arrive out of time order but none before the watermark (advance): they wait in a heap
// and are written, sorted by time, once the watermark has passed them, so memory holds only what
// lies after the watermark. At one time the change reported last wins, and a change to the value
// a variable already has is not written. A change reported before the watermark (a contract
// violation) is written at the watermark and counted (late_changes), never dropped.
#pragma once

#include <cstdint>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "core/units.hpp"
#include "traces/output_stream.hpp"

namespace hmasim {

class VcdWriter {
 public:
  using Id = std::uint32_t;

  // Creates `path` (it must not exist). Throws OutputError.
  explicit VcdWriter(const std::string& path);
  ~VcdWriter();

  // ---- registration: before the first advance() past time 0 (the header is written then) ----
  // A variable in dotted `scope` ("accelerator.cbuf"; empty: scope "top"). Names keep letters,
  // digits and '_' (anything else becomes '_'); a name taken in its scope gets "_2", "_3", ...
  // Throws std::invalid_argument for bits outside 1..64, std::logic_error once started.
  Id integer(const std::string& scope, const std::string& name, unsigned bits);
  Id real(const std::string& scope, const std::string& name);

  // ---- changes ----
  void set(Id var, Time at, std::uint64_t value);  // masked to the variable's width
  void set_real(Id var, Time at, double value);
  // Writes every change earlier than `t`; later reports must not be earlier than `t`.
  void advance(Time t);
  // Writes everything still buffered, then a last `#end` so viewers show the run up to its end,
  // and closes the file (throws OutputError on a write error). Idempotent.
  void finish(Time end);

  std::size_t buffered() const { return pending_.size(); }
  Time watermark() const { return watermark_; }
  std::uint64_t late_changes() const { return late_; }
  std::uint64_t changes_written() const { return written_; }
  std::size_t variables() const { return vars_.size(); }
  const std::string& path() const { return out_.path(); }

 private:
  struct Var {
    std::string name;
    std::string code;  // identifier code: base-94 printable ASCII
    unsigned bits;     // 64 for reals
    bool is_real;
    std::uint64_t value;  // the integer, or the real's bit pattern
  };
  struct Scope {
    std::string name;
    std::vector<std::size_t> children;  // indices into scopes_, in creation order
    std::vector<Id> vars;
  };
  struct Change {
    std::uint64_t time;
    Id var;
    std::uint64_t seq;  // report order: the last report at a time wins
    std::uint64_t value;
  };
  // Min-heap order: time, then variable (a deterministic order within a section), then report.
  struct Later {
    bool operator()(const Change& a, const Change& b) const {
      if (a.time != b.time) return a.time > b.time;
      if (a.var != b.var) return a.var > b.var;
      return a.seq > b.seq;
    }
  };

  Id add(const std::string& scope, const std::string& name, unsigned bits, bool is_real);
  std::size_t scope_index(const std::string& dotted);
  void push(Id var, Time at, std::uint64_t value);
  // Pops every change earlier than `limit` (all, if `all`) and writes it.
  void drain(std::uint64_t limit, bool all);
  void write_header();
  void write_scope(std::size_t s);
  void append_value(const Var& v);
  void flush_text();

  OutputStream out_;
  std::vector<Var> vars_;
  std::vector<Scope> scopes_;  // scopes_[0]: the root (not written)
  std::priority_queue<Change, std::vector<Change>, Later> pending_;
  std::uint64_t seq_ = 0;
  Time watermark_{0};
  bool header_written_ = false;
  bool finished_ = false;
  bool any_section_ = false;
  std::uint64_t last_section_ = 0;
  std::uint64_t late_ = 0;
  std::uint64_t written_ = 0;
  std::string text_;  // formatted output not yet handed to the stream
};

}  // namespace hmasim
