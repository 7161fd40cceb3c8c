#!/usr/bin/env bash
# `hmasim sweep --slurm` on a real Slurm cluster: one node on localhost, started here from a
# slurm.conf in a temporary directory (munged, slurmctld, slurmd as root, on free ports), an
# 8-point LeNet-5 sweep submitted as a job array with its collect step, and the merged
# results.csv compared with a local -j 2 run of the same sweep (wall times left out).
# Installs Debian's slurm-wlm and munge if they are missing (as root; only this test needs them).
# If the daemons cannot start or the job does not finish, the test FAILS and prints their logs.
# The daemons are always stopped by their pid files.
#   tests/slurm/test_slurm_sweep.sh HMASIM REPO_ROOT
set -uo pipefail
hmasim="${1:?usage: tests/slurm/test_slurm_sweep.sh HMASIM REPO_ROOT}"
root="${2:?usage: tests/slurm/test_slurm_sweep.sh HMASIM REPO_ROOT}"
packages=(slurm-wlm munge)
deadline=90  # seconds for the job array and its collect step

fail() {
  echo "FAILED: $*" >&2
  for log in "$tmp"/*.log; do
    [[ -f $log ]] || continue
    echo "----- $log" >&2
    tail -n 60 "$log" >&2
  done
  exit 1
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "FAILED: ${missing[*]} missing and not root to install them" >&2
    exit 1
  fi
  echo "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
    { echo "FAILED: apt-get install ${missing[*]}" >&2; exit 1; }
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "FAILED: the one-node cluster runs its daemons as root (SlurmUser=root)" >&2
  exit 1
fi

tmp="$(mktemp -d /tmp/hmasim-slurm.XXXXXX)"
chmod 755 "$tmp"  # munged wants every directory above its socket searchable by all
stop_daemons() {
  local name pid
  for name in slurmd slurmctld munged; do
    [[ -f $tmp/$name.pid ]] || continue
    pid=$(cat "$tmp/$name.pid")
    [[ $pid =~ ^[0-9]+$ ]] || continue
    kill "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
  rm -rf "$tmp"
}
trap stop_daemons EXIT

# Two free TCP ports, so this can run beside other builds' copies of the test.
free_port() {
  local port
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo 0
}
ctld_port=$(free_port)
slurmd_port=$(free_port)
while ((slurmd_port == ctld_port)); do slurmd_port=$(free_port); done
host=$(hostname -s)

mungekey --create --keyfile="$tmp/munge.key" >"$tmp/mungekey.log" 2>&1 ||
  fail "mungekey could not create a key"
munged --key-file="$tmp/munge.key" --socket="$tmp/munge.socket" --pid-file="$tmp/munged.pid" \
  --log-file="$tmp/munged.log" --seed-file="$tmp/munged.seed" ||
  fail "munged did not start"

mkdir -p "$tmp/state" "$tmp/spool"
cat >"$tmp/slurm.conf" <<EOF
ClusterName=hmasim$$
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$tmp/munge.socket
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SwitchType=switch/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=hmasim Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$tmp/slurm.conf"
slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
slurmd -f "$SLURM_CONF" || fail "slurmd did not start"
for _ in $(seq 100); do
  sinfo -h -o %t 2>/dev/null | grep -Eq '^(idle|mix|alloc)' && break
  sleep 0.2
done
sinfo -h -o %t 2>/dev/null | grep -Eq '^(idle|mix|alloc)' ||
  fail "the node did not come up: $(sinfo 2>&1)"

cat >"$tmp/sweep.yaml" <<EOF
sweep: slurm-test
platform: $root/platforms/nvdla64-lpddr4.yaml
workload: $root/workloads/networks/lenet5.yaml
axes:
  - {key: memories.dram.page_policy, values: [open, closed]}
  - {key: seed, range: {from: 1, to: 4}}
EOF
"$hmasim" sweep "$tmp/sweep.yaml" --out "$tmp/slurm" --slurm --array-max 8 >"$tmp/submit.log" 2>&1 ||
  fail "hmasim sweep --slurm failed: $(cat "$tmp/submit.log")"
cat "$tmp/submit.log"
grep -q "8 points in 8 array tasks" "$tmp/submit.log" || fail "not 8 array tasks"

start=$SECONDS
while squeue -h 2>/dev/null | grep -q .; do
  ((SECONDS - start < deadline)) || fail "jobs still queued after ${deadline}s: $(squeue 2>&1)"
  sleep 0.5
done
[[ -f $tmp/slurm/results.csv ]] ||
  fail "no results.csv after the jobs ended; collect said: $(cat "$tmp/slurm/slurm/collect.out" 2>&1)"
grep -q "collected 8 of 8 points (8 ok, 0 failed" "$tmp/slurm/slurm/collect.out" ||
  fail "collect: $(cat "$tmp/slurm/slurm/collect.out")"
echo "array and collect done in $((SECONDS - start))s"

"$hmasim" sweep "$tmp/sweep.yaml" --out "$tmp/local" -j 2 >"$tmp/local.log" 2>&1 ||
  fail "the local sweep failed: $(cat "$tmp/local.log")"

# The same table but for the wall-time columns.
strip_wall() {
  python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
keep = [i for i, h in enumerate(rows[0]) if "wall_time" not in h]
for r in rows:
    print(",".join(r[i] for i in keep))
' "$1"
}
strip_wall "$tmp/slurm/results.csv" >"$tmp/slurm.csv"
strip_wall "$tmp/local/results.csv" >"$tmp/local.csv"
rows=$(wc -l <"$tmp/slurm.csv")
((rows == 9)) || fail "results.csv from Slurm has $rows lines, expected 9"
diff "$tmp/local.csv" "$tmp/slurm.csv" >"$tmp/diff.log" ||
  fail "Slurm and local results differ: $(head -c 2000 "$tmp/diff.log")"
ls "$tmp"/slurm/slurm/shard-*.out >/dev/null 2>&1 || fail "no array task output"
echo "ok: 8 points on Slurm equal the local -j 2 run"
