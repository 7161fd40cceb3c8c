#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz (clang++, ASan + UBSan) and runs each of them.
# Exit status is non-zero on any finding (crash, sanitizer report, timeout, out-of-memory, leak);
# findings are copied to tests/fuzz/regressions/<harness>/, where ctest replays them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

HARNESSES_ALL=(platform network stl scalesim)

usage() {
  cat <<EOF
usage: scripts/fuzz.sh [--time SECONDS] [--runs N] [options] [HARNESS...] [-- LIBFUZZER_ARGS...]

Installs what is missing (clang, libFuzzer), builds the harnesses in build-fuzz and fuzzes each
HARNESS (default: all of ${HARNESSES_ALL[*]}), then prints per harness the executions,
executions per second, coverage (libFuzzer's cov: edges) and findings. The corpus grows in
BUILD_DIR/corpus/<harness>/, seeded from tests/fuzz/corpus/<harness>/ and the shipped files;
the repository's corpus is never written.

  --time SECONDS     fuzz each harness this long (default 60; CI uses 60)
  --runs N           fuzz each harness for N executions instead (the long run: 1000000);
                     with --time too, whichever comes first
  --keep-going       do not stop at the first finding: fork mode, crashes, timeouts and
                     out-of-memory inputs are saved and fuzzing goes on (collects every bug)
  --jobs N           fuzz N harnesses at once (default 1)
  --timeout SECONDS  an input running longer is a finding (default 10)
  --regressions DIR  copy findings to DIR/<harness>/ (default tests/fuzz/regressions)
  --build-dir DIR    build directory (default build-fuzz)
  --no-build         use the harnesses already built
  -h, --help         this text
  -- ARGS...         further libFuzzer options for every harness, e.g. -- -max_len=4096

Exit status: 0 without findings, 1 with findings, 2 on bad usage or a failed build.
EOF
}

TIME=60
TIME_GIVEN=0
RUNS=""
KEEP_GOING=0
JOBS=1
TIMEOUT=10
REGRESSIONS="$HMASIM_ROOT/tests/fuzz/regressions"
BUILD_DIR="$HMASIM_ROOT/build-fuzz"
BUILD=1
HARNESSES=()
EXTRA=()
while (($#)); do
  case "$1" in
    --time) TIME="$2"; TIME_GIVEN=1; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --keep-going) KEEP_GOING=1; shift ;;
    --jobs) JOBS="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --regressions) REGRESSIONS="$(realpath -m "$2")"; shift 2 ;;
    --build-dir) BUILD_DIR="$(realpath -m "$2")"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h | --help) usage; exit 0 ;;
    --) shift; EXTRA=("$@"); break ;;
    -*) echo "fuzz.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    *)
      [[ " ${HARNESSES_ALL[*]} " == *" $1 "* ]] || { echo "fuzz.sh: no harness '$1'" >&2; exit 2; }
      HARNESSES+=("$1"); shift ;;
  esac
done
((${#HARNESSES[@]})) || HARNESSES=("${HARNESSES_ALL[@]}")
for n in "$TIME" "${RUNS:-0}" "$JOBS" "$TIMEOUT"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "fuzz.sh: '$n' is not a whole number" >&2; exit 2; }
done

# libclang-rt-dev holds libFuzzer and the sanitizer runtimes for Debian's default clang;
# llvm gives llvm-symbolizer, so reports name files and lines.
HMASIM_PACKAGES+=(clang libclang-rt-dev llvm)
if ((BUILD)); then
  hmasim_install
  # Warnings are the Release build's job (-Werror there); this build looks for bugs only.
  cmake -S "$HMASIM_ROOT" -B "$BUILD_DIR" -DHMASIM_FUZZ=ON -DHMASIM_BUILD_TESTS=OFF \
    -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_UNITY_BUILD=ON \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1" >/dev/null ||
    { echo "fuzz.sh: configure failed" >&2; exit 2; }
  cmake --build "$BUILD_DIR" -j "$(nproc)" --target fuzz_harnesses ||
    { echo "fuzz.sh: build failed" >&2; exit 2; }
fi

export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"

# The shipped files of each format seed the corpus besides tests/fuzz/corpus/<harness>/.
seed_files() {
  local r="$HMASIM_ROOT"
  case "$1" in
    platform) find "$r/platforms" -name '*.yaml' ;;
    network) ls "$r"/workloads/networks/*.yaml "$r"/tests/workloads/data/*.yaml ;;
    stl) ls "$r"/platforms/traces/*.stl ;;
    scalesim) ;;
  esac
  find "$r/tests/fuzz/corpus/$1" -type f
}

descendants() {
  local p
  for p in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$p"
    descendants "$p"
  done
}

# watchdog PID EXE LOG: libFuzzer reports a timeout or an out-of-memory input from a signal
# handler or a watcher thread; when that happens inside malloc (yaml-cpp's LoadAll loop allocates
# without end) the report can deadlock, and a fork-mode parent then waits for its job forever.
# This kills (by PID, only processes this script started) a fork-mode job older than any job
# libFuzzer runs, a fuzzer that printed a report but has not exited a minute later, and the
# whole run once it is well past --time. A kill leaves LOG.stalled, counted as a finding.
watchdog() {
  local root="$1" exe="$2" log="$3" job_limit=$((300 + 10 * TIMEOUT + 60)) total_limit=0
  local reported=0 pid real
  real="$(realpath "$exe")"
  [[ -n "$RUNS" && $TIME_GIVEN == 0 ]] || total_limit=$((TIME + 10 * TIMEOUT + 300))
  while kill -0 "$root" 2>/dev/null; do
    sleep 10
    for pid in $(descendants "$root"); do
      [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == "$real" ]] || continue
      if (($(ps -o etimes= -p "$pid" 2>/dev/null || echo 0) > job_limit)); then
        echo "watchdog: fuzzing job $pid ran past ${job_limit} s, killed" | tee -a "$log.stalled" >&2
        kill -9 "$pid" 2>/dev/null || true
      fi
    done
    if ((!KEEP_GOING && !reported)) &&
      grep -qE '^ALARM:|^==[0-9]+== ?ERROR|deadly signal' "$log" 2>/dev/null; then
      reported=$SECONDS
    fi
    local stalled=""
    ((reported && SECONDS - reported > 60)) && stalled="did not exit a minute after its report"
    ((total_limit && $(ps -o etimes= -p "$root" 2>/dev/null || echo 0) > total_limit)) &&
      stalled="ran past ${total_limit} s"
    if [[ -n "$stalled" ]]; then
      echo "watchdog: $(basename "$exe") $stalled, killed" | tee -a "$log.stalled" >&2
      # Children first, so no orphan keeps running.
      # shellcheck disable=SC2046  # one PID per word
      kill -9 $(descendants "$root") "$root" 2>/dev/null || true
      return
    fi
  done
}

# fuzz_one HARNESS: runs libFuzzer, writes BUILD_DIR/logs/HARNESS.{log,result}.
fuzz_one() {
  local h="$1" exe="$BUILD_DIR/tests/fuzz/fuzz_$1"
  local corpus="$BUILD_DIR/corpus/$h" artifacts="$BUILD_DIR/artifacts/$h"
  local log="$BUILD_DIR/logs/$h.log" result="$BUILD_DIR/logs/$h.result"
  [[ -x "$exe" ]] || { echo "fuzz.sh: $exe is not built" >&2; echo "0 0 0 1" >"$result"; return; }
  mkdir -p "$corpus" "$BUILD_DIR/logs"
  rm -rf "$artifacts" && mkdir -p "$artifacts"
  # Seeds are copied under names made from their paths (two folders may hold the same name).
  local f
  while read -r f; do
    cp -n "$f" "$corpus/seed-$(realpath --relative-to="$HMASIM_ROOT" "$f" | tr '/' '_')"
  done < <(seed_files "$h")
  local args=(-timeout="$TIMEOUT" -rss_limit_mb=2048 -print_final_stats=1 -print_funcs=0
    -artifact_prefix="$artifacts/" -dict="$HMASIM_ROOT/tests/fuzz/dict/$h.dict")
  args+=("${EXTRA[@]}")
  [[ -z "$RUNS" ]] || args+=(-runs="$RUNS")
  [[ -n "$RUNS" && $TIME_GIVEN == 0 ]] || args+=(-max_total_time="$TIME")
  # Fork mode restarts a job per finding and re-reads part of the corpus per job: slower at
  # first (jobs last 1 s, 2 s, ... up to 300 s), as fast as plain mode on long runs.
  if ((KEEP_GOING)); then
    args+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  fi
  rm -f "$log.stalled"
  (cd "$BUILD_DIR/logs" && exec "$exe" "${args[@]}" "$corpus") >"$log" 2>&1 &
  local fuzzer=$!
  watchdog "$fuzzer" "$exe" "$log" &
  local dog=$!
  wait "$fuzzer" || true
  wait "$dog" 2>/dev/null || true

  # Final figures: print_final_stats in plain mode, the last status line in fork mode.
  local execs rate cov findings
  # (A log cut short by a report may lack any of them: no match is not an error.)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  [[ -n "$execs" ]] || execs=$({ grep -o '^#[0-9]*' "$log" || true; } | tail -1 | tr -d '#')
  [[ -n "$rate" ]] || rate=$({ grep -o 'exec/s:\? [0-9]*' "$log" || true; } | tail -1 | sed 's/.* //')
  cov=$({ grep -o ' cov: [0-9]*' "$log" || true; } | tail -1 | sed 's/.* //')
  findings=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \
    -o -name 'leak-*' \) | wc -l)
  if ((findings)); then
    mkdir -p "$REGRESSIONS/$h"
    find "$artifacts" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \
      -o -name 'leak-*' \) -exec cp -n {} "$REGRESSIONS/$h/" \;
  fi
  [[ ! -e "$log.stalled" ]] || findings=$((findings + 1))
  echo "${execs:-0} ${rate:-0} ${cov:-0} $findings" >"$result"
}

limit="${RUNS:+$RUNS runs}"
[[ -n "$RUNS" && $TIME_GIVEN == 0 ]] || limit="${limit:+$limit or }$TIME s"
echo "fuzz.sh: ${HARNESSES[*]}, $limit each," \
  "$JOBS at a time$( ((KEEP_GOING)) && echo ", keep going")"
running=0
for h in "${HARNESSES[@]}"; do
  fuzz_one "$h" &
  running=$((running + 1))
  if ((running >= JOBS)); then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

status=0
printf '\n%-10s %12s %8s %7s %9s\n' harness executions exec/s cov findings
for h in "${HARNESSES[@]}"; do
  read -r execs rate cov findings <"$BUILD_DIR/logs/$h.result"
  printf '%-10s %12s %8s %7s %9s\n' "$h" "$execs" "$rate" "$cov" "$findings"
  ((findings == 0)) || status=1
done
for h in "${HARNESSES[@]}"; do
  read -r _ _ _ findings <"$BUILD_DIR/logs/$h.result"
  ((findings)) || continue
  echo
  echo "fuzz_$h: $findings finding(s), copied to $REGRESSIONS/$h/ (log: $BUILD_DIR/logs/$h.log):"
  for f in "$BUILD_DIR/artifacts/$h"/*; do
    [[ -e "$f" ]] && echo "  $(basename "$f")"
  done
  [[ ! -e "$BUILD_DIR/logs/$h.log.stalled" ]] || sed 's/^/  /' "$BUILD_DIR/logs/$h.log.stalled"
  # What broke, each distinct report once with its count (the inputs' own reports: run the
  # harness on one of them, e.g. $BUILD_DIR/tests/fuzz/fuzz_$h FILE).
  grep -hE 'runtime error:|^==[0-9]+==ERROR: [A-Za-z]+Sanitizer|ERROR: libFuzzer|terminate called|what\(\): ' \
    "$BUILD_DIR/logs/$h.log" | sed -E 's/^==[0-9]+==/==/; s/ on address 0x[0-9a-f]+.*//; s/ \(pid [0-9]+\)//' |
    sort | uniq -c | sort -rn | head -20 | sed 's/^/   /' || true
done
exit $status
