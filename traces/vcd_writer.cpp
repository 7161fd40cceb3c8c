#include "traces/vcd_writer.hpp"

#include <cstring>
#include <stdexcept>

#include "traces/text_format.hpp"

namespace hmasim {

namespace {

// VCD identifiers are whitespace-free; GTKWave also reads '.' as hierarchy and '[' as a bit
// range, so names keep only what every viewer takes literally.
std::string vcd_name(const std::string& s) {
  std::string o = s.empty() ? std::string("_") : s;
  for (char& c : o) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) c = '_';
  }
  return o;
}

std::string identifier_code(std::size_t n) {
  std::string code;
  do {
    code += static_cast<char>('!' + n % 94);
    n /= 94;
  } while (n > 0);
  return code;
}

std::uint64_t bits_of(double v) {
  std::uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

double real_of(std::uint64_t b) {
  double v;
  std::memcpy(&v, &b, sizeof v);
  return v;
}

// Hand formatted text to the stream in large pieces.
constexpr std::size_t kTextChunk = 1 << 16;

}  // namespace

VcdWriter::VcdWriter(const std::string& path) : out_(path) {
  scopes_.push_back(Scope{"", {}, {}});
}

VcdWriter::~VcdWriter() = default;

std::size_t VcdWriter::scope_index(const std::string& dotted) {
  std::size_t at = 0;
  std::size_t begin = 0;
  const std::string path = dotted.empty() ? std::string("top") : dotted;
  while (begin <= path.size()) {
    std::size_t dot = path.find('.', begin);
    if (dot == std::string::npos) dot = path.size();
    if (dot > begin) {  // empty parts ("a..b", a leading dot) add no level
      const std::string part = vcd_name(path.substr(begin, dot - begin));
      std::size_t found = 0;
      for (std::size_t c : scopes_[at].children) {
        if (scopes_[c].name == part) found = c;
      }
      if (found == 0) {
        scopes_.push_back(Scope{part, {}, {}});
        found = scopes_.size() - 1;
        scopes_[at].children.push_back(found);
      }
      at = found;
    }
    begin = dot + 1;
  }
  return at;
}

VcdWriter::Id VcdWriter::add(const std::string& scope, const std::string& name, unsigned bits,
                             bool is_real) {
  if (header_written_ || finished_) {
    throw std::logic_error("waves.vcd: variable '" + scope + "." + name +
                           "' registered after the trace started; register before simulation");
  }
  if (bits < 1 || bits > 64) {
    throw std::invalid_argument("waves.vcd: variable '" + scope + "." + name +
                                "' must have 1 to 64 bits, not " + std::to_string(bits));
  }
  const std::size_t s = scope_index(scope);
  const std::string base = vcd_name(name);
  std::string unique = base;
  for (unsigned n = 2;; ++n) {
    bool taken = false;
    for (Id v : scopes_[s].vars) taken = taken || vars_[v].name == unique;
    if (!taken) break;
    unique = base + "_" + std::to_string(n);
  }
  const Id id = static_cast<Id>(vars_.size());
  vars_.push_back(Var{unique, identifier_code(id), bits, is_real, is_real ? bits_of(0.0) : 0});
  scopes_[s].vars.push_back(id);
  return id;
}

VcdWriter::Id VcdWriter::integer(const std::string& scope, const std::string& name, unsigned bits) {
  return add(scope, name, bits, false);
}

VcdWriter::Id VcdWriter::real(const std::string& scope, const std::string& name) {
  return add(scope, name, 64, true);
}

void VcdWriter::push(Id var, Time at, std::uint64_t value) {
  if (finished_) return;
  if (var >= vars_.size()) throw std::out_of_range("waves.vcd: unknown variable id");
  std::uint64_t t = at.value();
  if (at < watermark_) {  // already written up to the watermark: the earliest time still open
    t = watermark_.value();
    ++late_;
  }
  pending_.push(Change{t, var, seq_++, value});
}

void VcdWriter::set(Id var, Time at, std::uint64_t value) {
  if (var < vars_.size() && vars_[var].bits < 64)
    value &= (std::uint64_t{1} << vars_[var].bits) - 1;
  push(var, at, value);
}

void VcdWriter::set_real(Id var, Time at, double value) {
  push(var, at, bits_of(value));
}

void VcdWriter::append_value(const Var& v) {
  if (v.is_real) {
    text_ += 'r';
    append_real(text_, real_of(v.value));
    text_ += ' ';
  } else if (v.bits == 1) {
    text_ += v.value != 0 ? '1' : '0';
  } else {
    text_ += 'b';
    int top = 63;
    while (top > 0 && ((v.value >> top) & 1) == 0) --top;
    for (int b = top; b >= 0; --b) text_ += ((v.value >> b) & 1) != 0 ? '1' : '0';
    text_ += ' ';
  }
  text_ += v.code;
  text_ += '\n';
}

void VcdWriter::write_scope(std::size_t s) {
  const Scope& sc = scopes_[s];
  text_ += "$scope module " + sc.name + " $end\n";
  for (Id v : sc.vars) {
    const Var& var = vars_[v];
    text_ += var.is_real ? "$var real 64 " : "$var wire " + std::to_string(var.bits) + " ";
    text_ += var.code + " " + var.name + " $end\n";
  }
  for (std::size_t c : sc.children) write_scope(c);
  text_ += "$upscope $end\n";
}

void VcdWriter::write_header() {
  // Values at time 0 are the initial values: fold them in rather than write a second #0.
  while (!pending_.empty() && pending_.top().time == 0) {
    const Change c = pending_.top();
    pending_.pop();
    vars_[c.var].value = c.value;  // popped in report order per variable: the last one stays
  }
  text_ += "$version hmasim $end\n$timescale 1ps $end\n";
  for (std::size_t c : scopes_[0].children) write_scope(c);
  text_ += "$enddefinitions $end\n#0\n$dumpvars\n";
  for (const Var& v : vars_) append_value(v);
  text_ += "$end\n";
  header_written_ = true;
  any_section_ = true;
  last_section_ = 0;
}

void VcdWriter::flush_text() {
  out_.write(text_);
  text_.clear();
}

void VcdWriter::drain(std::uint64_t limit, bool all) {
  while (!pending_.empty() && (all || pending_.top().time < limit)) {
    const Change c = pending_.top();
    pending_.pop();
    // A later report for the same variable at the same time overrides this one.
    if (!pending_.empty() && pending_.top().time == c.time && pending_.top().var == c.var) {
      continue;
    }
    Var& v = vars_[c.var];
    if (v.value == c.value) continue;
    v.value = c.value;
    if (!any_section_ || c.time != last_section_) {
      text_ += '#';
      text_ += std::to_string(c.time);
      text_ += '\n';
      any_section_ = true;
      last_section_ = c.time;
    }
    append_value(v);
    ++written_;
    if (text_.size() >= kTextChunk) flush_text();
  }
  flush_text();
}

void VcdWriter::advance(Time t) {
  if (finished_ || t <= watermark_) return;
  watermark_ = t;
  if (!header_written_) write_header();
  drain(t.value(), false);
}

void VcdWriter::finish(Time end) {
  if (finished_) return;
  if (!header_written_) write_header();
  drain(0, true);
  watermark_ = max(watermark_, end);
  if (end.value() > last_section_) text_ += "#" + std::to_string(end.value()) + "\n";
  flush_text();
  finished_ = true;
  out_.close();
}

}  // namespace hmasim
