#!/usr/bin/env bash
# Building the vault model from a warm index, against a reference binary (the
# one before a change to the model): `graph stats` and `show NOTE` of each,
# whole processes, interleaved as benches/compare.sh does (every round runs
# each command once with each binary, so a noisy neighbour slows both
# alike). Reports the median wall time and the median peak RSS of each.
# Targets: the new binary's median within 10% of the reference's, its peak
# RSS within 20%.
#
# Usage: benches/model_load.sh REFERENCE_BINARY [ROUNDS]
#
#   ROUNDS   rounds of every command (default 15)
#
# Runs on the 20k synthetic vault and on ../shared/corpora/obsidian-help when
# it is there, each binary with its own index (built and current before the
# first round). Environment: as benches/lib.sh (VAULTKIT_BIN is the new
# binary; built with `cargo build --release` when unset). Writes
# benches/results/model_load.md.
set -euo pipefail
shopt -s inherit_errexit

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
readonly MAX_TIME_RATIO=1.10
readonly MAX_RSS_RATIO=1.20
[[ $# -ge 1 && -x "$1" ]] || { sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0" >&2; exit 1; }
reference="$(realpath "$1")"
ROUNDS="${2:-15}"
bench_args
bench_build
new="$(realpath "$VK")"

vaults=("$(synthetic_vault 20000)")
help="$REPO/../shared/corpora/obsidian-help"
if [[ -d "$help" ]]; then
    vaults+=("$(realpath "$help")")
else
    echo "model_load.sh: $help is absent, skipped" >&2
fi

results="$REPO/benches/results/model_load.md"
samples="$BENCH_DIR/model-load-samples.txt"
: >"$samples"
{
    echo "# Model load from a warm index: new binary against a reference"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M') UTC, commit: $(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet || echo -dirty), $ROUNDS interleaved rounds, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- machine: $(nproc) cores; reference: \`$reference\`; new: \`$new\`"
    echo "- targets: median wall time new/reference ≤ ${MAX_TIME_RATIO}x, median peak RSS ≤ ${MAX_RSS_RATIO}x"
    echo
    echo "| vault | command | reference ms | new ms | new/reference | reference RSS MB | new RSS MB | RSS ratio | |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---|"
} >"$results"
for vault in "${vaults[@]}"; do
    name="$(basename "$vault")"
    # A note whose path has no space: the commands are split into words.
    note="$(cd "$vault" && find . -name '*.md' -not -path './.*' | grep -v ' ' | sort | head -1 | sed 's|^\./||')"
    declare -A BIN=([reference]="$reference" [new]="$new")
    for side in reference new; do
        mkdir -p "$BENCH_DIR/index"
        "${BIN[$side]}" --vault "$vault" --index-dir "$BENCH_DIR/index/model-load-$side-$name" -q index >/dev/null
    done
    for ((round = 0; round < ROUNDS; round++)); do
        for command in "graph stats" "show $note"; do
            for side in reference new; do
                # Wall time from the shell's clock (in µs); peak RSS from time(1).
                start="${EPOCHREALTIME/./}"
                # shellcheck disable=SC2086  # the command is split into words on purpose
                kb="$(/usr/bin/time -f '%M' "${BIN[$side]}" --vault "$vault" \
                    --index-dir "$BENCH_DIR/index/model-load-$side-$name" -q $command 2>&1 >/dev/null | tail -1)"
                echo "$name|$command|$side|$((${EPOCHREALTIME/./} - start)) $kb" >>"$samples"
            done
        done
    done
done
python3 - "$samples" "$MAX_TIME_RATIO" "$MAX_RSS_RATIO" >>"$results" <<'PY'
import statistics, sys
samples, max_t, max_m = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
runs = {}
for line in open(samples):
    vault, command, side, measured = line.rstrip("\n").split("|")
    micros, kb = measured.split()
    runs.setdefault((vault, command), {}).setdefault(side, []).append((int(micros) / 1000, int(kb) / 1024))
failed = False
for (vault, command), sides in runs.items():
    wall = {s: statistics.median(t for t, _ in v) for s, v in sides.items()}
    rss = {s: statistics.median(m for _, m in v) for s, v in sides.items()}
    t, m = wall["new"] / wall["reference"], rss["new"] / rss["reference"]
    ok = t <= max_t and m <= max_m
    failed |= not ok
    print(f"| {vault} | `{command}` | {wall['reference']:.0f} | {wall['new']:.0f} | {t:.2f}x "
          f"| {rss['reference']:.1f} | {rss['new']:.1f} | {m:.2f}x | {'PASS' if ok else 'FAIL'} |")
print()
print("Targets: " + ("FAIL" if failed else "PASS"))
PY
cat "$results"
grep -q '^Targets: PASS' "$results"
