# Shared by scripts/run.sh and scripts/test.sh: install what is missing, configure, build.
# Sourced, not run. Works on a fresh Debian machine (as root, or with sudo available).

HMASIM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HMASIM_PACKAGES=(build-essential cmake pkg-config libsystemc-dev libyaml-cpp-dev libboost-dev
  libboost-program-options-dev googletest libgtest-dev gtkwave python3-matplotlib python3-onnx python3-numpy
  nlohmann-json3-dev)

hmasim_install() {
  local missing=()
  for p in "${HMASIM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  echo "hmasim: installing ${missing[*]}"
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "hmasim: need root or sudo to install ${missing[*]}" >&2; return 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# hmasim_build BUILD_DIR [TARGET]: Release build with all cores, tests included (warnings are
# errors), of TARGET or everything. run.sh and test.sh share one configuration, so neither
# rebuilds what the other built.
# A build takes minutes: it says on stderr what it is doing, keeps one progress line (redrawn on a
# terminal, a line per 10% otherwise) and the time it took. cmake's own output goes to
# BUILD_DIR/hmasim-build.log and, if a step fails, its messages are shown (progress lines left
# out). HMASIM_BUILD_VERBOSE=1 shows cmake's output as it comes instead.
hmasim_build() {
  local dir="$1" target=() what="everything"
  if [[ $# -ge 2 ]]; then
    target=(--target "$2")
    what="$2"
  fi
  local jobs
  jobs="$(nproc)"
  # The libraries are unity builds (several .cpp per compiler run parse the SystemC and TLM
  # headers once); the test executables are not (tests/CMakeLists.txt).
  local configure=(cmake -S "$HMASIM_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=Release
    -DHMASIM_BUILD_TESTS=ON -DHMASIM_WERROR=ON -DCMAKE_UNITY_BUILD=ON)
  local build=(cmake --build "$dir" -j "$jobs" "${target[@]}")
  if [[ ${HMASIM_BUILD_VERBOSE:-0} == 1 ]]; then
    "${configure[@]}" && "${build[@]}"
    return
  fi
  local log="$dir/hmasim-build.log" start=$SECONDS
  mkdir -p "$dir"
  echo "hmasim: configuring $dir (Release, tests on, warnings are errors)" >&2
  if ! "${configure[@]}" >"$log" 2>&1; then
    _hmasim_build_failed configuring "$log"
    return 1
  fi
  echo "hmasim: building $what with $jobs jobs (log: $log)" >&2
  # The filter cannot see cmake's exit status through the pipe, so cmake's is sent after its
  # output; this works with and without `set -o pipefail`.
  if ! { "${build[@]}" 2>&1 && echo "hmasim-build-status: 0" || echo "hmasim-build-status: $?"; } |
    _hmasim_build_progress "$log"; then
    _hmasim_build_failed building "$log"
    return 1
  fi
  local took=$((SECONDS - start))
  printf 'hmasim: built %s in %dm%02ds\n' "$what" $((took / 60)) $((took % 60)) >&2
}

# Appends cmake's output (stdin) to LOG and shows the latest progress on stderr; returns cmake's
# exit status (the `hmasim-build-status:` line).
_hmasim_build_progress() {
  local log="$1" line pct item status=1 shown=-10 tty=0 width=80
  local make_re='^\[ *([0-9]+)%\] (.*)$' ninja_re='^\[([0-9]+)/([0-9]+)\] (.*)$'
  local status_re='^hmasim-build-status: ([0-9]+)$'
  if [[ -t 2 ]]; then
    tty=1
    width=$(tput cols 2>/dev/null || echo 80)
  fi
  while IFS= read -r line; do
    if [[ $line =~ $status_re ]]; then
      status=${BASH_REMATCH[1]}
      continue
    fi
    printf '%s\n' "$line" >>"$log"
    if [[ $line =~ $make_re ]]; then
      pct=${BASH_REMATCH[1]}
      item=${BASH_REMATCH[2]}
    elif [[ $line =~ $ninja_re ]]; then
      pct=$((100 * BASH_REMATCH[1] / BASH_REMATCH[2]))
      item=${BASH_REMATCH[3]}
    else
      continue
    fi
    # "Building CXX object hw/CMakeFiles/hmasim_hw.dir/dma_engine.cpp.o" -> "building hw/dma_engine.cpp"
    item=${item/#Building CXX object /building }
    item=${item/CMakeFiles\/*.dir\//}
    item=${item%.o}
    item=${item/#Linking CXX /linking }
    if ((tty)); then
      line=$(printf '  [%3d%%] %s' "$pct" "$item")
      printf '\r\033[K%s' "${line:0:width-1}" >&2
    elif ((pct >= shown + 10)); then
      printf '  [%3d%%] %s\n' "$pct" "$item" >&2
      shown=$pct
    fi
  done
  if ((tty)); then printf '\r\033[K' >&2; fi
  return "$status"
}

# What cmake said when STEP failed, without the progress lines: the compiler's messages.
_hmasim_build_failed() {
  echo "hmasim: $1 failed; cmake's messages (full log: $2):" >&2
  local noise='^\[ *[0-9]+%\] (Building|Linking|Built target)|^\[[0-9]+/[0-9]+\] '
  noise+='|^(Scanning dependencies|Consolidate compiler generated)'
  [[ $1 == building ]] && noise+='|^-- '  # the configure step's report, already passed
  grep -vE "$noise" "$2" | tail -n 300 >&2
}
