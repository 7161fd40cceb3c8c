# Shared by scripts/run.sh and scripts/test.sh: install what is missing, configure, build.
# Sourced, not run. Works on a fresh Debian machine (as root, or with sudo available).

HMASIM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HMASIM_PACKAGES=(build-essential cmake pkg-config libsystemc-dev libyaml-cpp-dev libboost-dev
  libboost-program-options-dev googletest libgtest-dev)

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
hmasim_build() {
  local dir="$1" target=()
  [[ $# -ge 2 ]] && target=(--target "$2")
  cmake -S "$HMASIM_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=Release -DHMASIM_BUILD_TESTS=ON \
    -DHMASIM_WERROR=ON
  cmake --build "$dir" -j "$(nproc)" "${target[@]}"
}
