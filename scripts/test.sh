#!/usr/bin/env bash
# Installs what is missing and runs every check (docs/testing.md), in three stages:
#   1. release: Release build (warnings are errors) and the whole test suite;
#   2. asan:    the same suite built with ASan + UBSan (scripts/sanitize.sh, in build-asan);
#   3. fuzz:    each libFuzzer harness for 60 s (scripts/fuzz.sh, in build-fuzz).
# `--quick` runs stage 1 only. Every stage runs even if an earlier one failed (one CI run shows
# every problem); the exit status is non-zero if any failed. Each stage's time is printed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  cat <<EOF
usage: scripts/test.sh [--quick] [--fuzz-time SECONDS]

  --quick              only the Release build and its test suite
  --fuzz-time SECONDS  fuzz each harness this long (default 60)
  -h, --help           this text

The Release build goes to \$HMASIM_BUILD_DIR (default build/), the sanitizer build to
build-asan/, the fuzzing build to build-fuzz/.
EOF
}

QUICK=0
FUZZ_TIME=60
while (($#)); do
  case "$1" in
    --quick) QUICK=1; shift ;;
    --fuzz-time) FUZZ_TIME="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "test.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

BUILD_DIR="${HMASIM_BUILD_DIR:-$HMASIM_ROOT/build}"

release_stage() {
  hmasim_install
  hmasim_build "$BUILD_DIR"
  cd "$BUILD_DIR"
  # Every test runs in its own process (SystemC elaborates once per process).
  ctest --output-on-failure -j "$(nproc)" --timeout 600
}

STAGES=()
FAILED=0
# stage NAME COMMAND...: runs COMMAND in a subshell, records its time and result.
stage() {
  local name="$1" start=$SECONDS rc=0
  shift
  echo "=== test.sh: stage $name"
  ("$@") || rc=$?
  local t=$((SECONDS - start))
  local result=ok
  ((rc == 0)) || { result="FAILED (exit $rc)"; FAILED=1; }
  STAGES+=("$(printf '%-8s %4dm%02ds  %s' "$name" $((t / 60)) $((t % 60)) "$result")")
  echo "=== test.sh: stage $name: $result after $((t / 60))m$((t % 60))s"
}

TOTAL_START=$SECONDS
stage release release_stage
if ((!QUICK)); then
  stage asan bash "$HMASIM_ROOT/scripts/sanitize.sh"
  # Harnesses fuzz side by side, one per core.
  stage fuzz bash "$HMASIM_ROOT/scripts/fuzz.sh" --time "$FUZZ_TIME" --jobs "$(nproc)"
fi

t=$((SECONDS - TOTAL_START))
echo
echo "=== test.sh: summary"
printf '%s\n' "${STAGES[@]}"
printf '%-8s %4dm%02ds\n' total $((t / 60)) $((t % 60))
if ((FAILED)); then
  echo "test.sh: FAILED" >&2
  exit 1
fi
