#!/usr/bin/env bash
# Every script in scripts/ and bench/ answers -h and --help with its usage (a line starting
# "usage:") and exit status 0, and rejects an unknown option with a non-zero status. The tools a
# script would build or install with are stubs that fail here, so a script that started to build
# fails this test instead of building.
#   tests/scripts/test_help.sh REPO_ROOT
set -uo pipefail
root="${1:?usage: tests/scripts/test_help.sh REPO_ROOT}"
stubs="$(mktemp -d)"
trap 'rm -rf "$stubs"' EXIT
for tool in cmake ctest make ninja apt-get sudo dpkg-query; do
  printf '#!/bin/sh\necho "stub: %s was called" >&2\nexit 97\n' "$tool" >"$stubs/$tool"
  chmod +x "$stubs/$tool"
done

failures=0
checked=0
check() {  # SCRIPT: its --help, -h and an unknown option
  local script="$1" rel="$2" flag out status problem=""
  for flag in --help -h; do
    out=$(cd "$stubs" && PATH="$stubs:$PATH" HMASIM_BUILD_DIR="$stubs/build" \
      timeout 30 bash "$script" "$flag" 2>&1)
    status=$?
    if ((status != 0)); then
      problem+="  $flag: exit status $status"$'\n'
    elif ! grep -qi '^usage:' <<<"$out"; then
      problem+="  $flag: no 'usage:' line"$'\n'
    fi
    if grep -q '^stub: ' <<<"$out"; then problem+="  $flag: $(grep -m1 '^stub: ' <<<"$out")"$'\n'; fi
  done
  out=$(cd "$stubs" && PATH="$stubs:$PATH" HMASIM_BUILD_DIR="$stubs/build" \
    timeout 30 bash "$script" --no-such-option 2>&1)
  status=$?
  if ((status == 0)); then problem+="  --no-such-option: accepted (exit 0)"$'\n'; fi
  if grep -q '^stub: ' <<<"$out"; then
    problem+="  --no-such-option: not rejected before $(grep -m1 '^stub: ' <<<"$out")"$'\n'
  fi
  if [[ -z $problem ]]; then
    echo "ok      $rel"
  else
    printf 'FAILED  %s\n%s' "$rel" "$problem"
    failures=$((failures + 1))
  fi
  checked=$((checked + 1))
}

for script in "$root"/scripts/*.sh "$root"/bench/*.sh; do
  rel=${script#"$root"/}
  [[ $rel == scripts/common.sh ]] && continue  # sourced by the others, never run
  check "$script" "$rel"
done
if ((checked == 0)); then
  echo "no scripts found under $root/scripts and $root/bench" >&2
  exit 1
fi
echo "$checked scripts, $failures failed"
((failures == 0))
