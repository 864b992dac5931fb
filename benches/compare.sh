#!/usr/bin/env bash
# Compare two vaultkit binaries on the 20k-note synthetic vault, interleaved:
# every round runs each command once with each binary (and rg), so a noisy
# neighbour slows both alike. Prints the min and median of each, in ms.
#
# Usage: benches/compare.sh OLD_BINARY NEW_BINARY [ROUNDS]
#
#   ROUNDS   rounds of every command (default 15)
#
# Each binary keeps its own index (in $BENCH_DIR/index/compare-{old,new}),
# built before the first round. Commands: a warm `search garden`; `search`
# right after one note was edited in place (restored at the end); `lint`
# after that edit, then warm (nothing changed since the last lint); a warm
# `graph stats` and `outline Index --depth 7`; `rg --count-matches
# '\[\['` and `rg -i -l garden` over the same files.
#
# Environment: BENCH_DIR (default /tmp/vaultkit-bench); GEN_VAULT_BIN, a
# prebuilt examples/gen_vault binary.
set -euo pipefail
shopt -s inherit_errexit
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ $# -lt 2 || ! -x "$1" || ! -x "$2" ]]; then
    sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0" >&2
    exit 1
fi
declare -A BIN=([old]="$1" [new]="$2")
ROUNDS="${3:-15}"
bench_args
VAULTKIT_BIN="$1" bench_build
VAULT="$(synthetic_vault 20000)"
NOTE="$(find "$VAULT" -name '*.md' -print -quit)"
cp -- "$NOTE" "$BENCH_DIR/compare-note.bak"
trap 'cp -- "$BENCH_DIR/compare-note.bak" "$NOTE"' EXIT

run() { # run NAME BINARY-KEY ARGS...: one timed run, as "NAME ms"
    local name="$1" key="$2" start end
    shift 2
    start=$(date +%s%N)
    "${BIN[$key]}" --index-dir "$BENCH_DIR/index/compare-$key" -q --vault "$VAULT" "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    echo "$name $(((end - start) / 1000))"
}

for key in old new; do
    "${BIN[$key]}" --index-dir "$BENCH_DIR/index/compare-$key" -q --vault "$VAULT" index >/dev/null
done
for _ in $(seq "$ROUNDS"); do
    start=$(date +%s%N); rg --count-matches '\[\[' --glob '*.md' "$VAULT" >/dev/null; end=$(date +%s%N)
    echo "rg-count $(((end - start) / 1000))"
    start=$(date +%s%N); rg -i -l garden "$VAULT" >/dev/null; end=$(date +%s%N)
    echo "rg-l $(((end - start) / 1000))"
    echo "edited $RANDOM" >>"$NOTE"
    for key in old new; do run "$key edit+search" "$key" search garden; done
    for key in old new; do run "$key search" "$key" search garden; done
    for key in old new; do run "$key lint after the edit" "$key" lint; done
    for key in old new; do run "$key lint" "$key" lint; done
    for key in old new; do run "$key graph-stats" "$key" graph stats; done
    for key in old new; do run "$key outline" "$key" outline Index --depth 7; done
done | python3 -c '
import statistics, sys
times = {}
for line in sys.stdin:
    name, micros = line.rsplit(" ", 1)
    times.setdefault(name, []).append(int(micros) / 1000)
print("| run | min | median |")
print("|---|---:|---:|")
for name in sorted(times):
    print(f"| {name} | {min(times[name]):.1f} ms | {statistics.median(times[name]):.1f} ms |")
'
