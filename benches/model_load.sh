#!/usr/bin/env bash
# Building the vault model from a warm index, against a reference binary (the
# one before a change to the model): `graph stats` and `show NOTE` of each,
# whole processes, in the same hyperfine run, and the peak RSS of `graph
# stats` (the median of five). Targets: the new binary's wall time within 10%
# of the reference's, its peak RSS within 20%.
#
# Usage: benches/model_load.sh [--quick] REFERENCE_BINARY
#
# Runs on the 20k synthetic vault and on ../shared/corpora/obsidian-help when
# it is there, each binary with its own index (built and current before the
# timed runs). Environment: as benches/lib.sh (VAULTKIT_BIN is the new
# binary; built with `cargo build --release` when unset). Writes
# benches/results/model_load.md.
set -euo pipefail
shopt -s inherit_errexit

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
readonly MAX_TIME_RATIO=1.10
readonly MAX_RSS_RATIO=1.20
reference=""
args=()
for arg in "$@"; do
    case "$arg" in
        --quick) args+=("$arg") ;;
        *) reference="$arg" ;;
    esac
done
[[ -x "$reference" ]] || { sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0" >&2; exit 1; }
bench_args "${args[@]}"
bench_build
reference="$(realpath "$reference")"
new="$(realpath "$VK")"

vaults=("$(synthetic_vault 20000)")
help="$REPO/../shared/corpora/obsidian-help"
if [[ -d "$help" ]]; then
    vaults+=("$(realpath "$help")")
else
    echo "model_load.sh: $help is absent, skipped" >&2
fi

# The median peak RSS in MB of five runs of a command.
peak_rss() {
    local i
    for i in 1 2 3 4 5; do
        /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1
    done | sort -n | sed -n 3p | awk '{ printf "%.1f", $1 / 1024 }'
}

results="$REPO/benches/results/model_load.md"
failed=0
{
    echo "# Model load from a warm index: new binary against a reference"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M') UTC, commit: $(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet || echo -dirty), hyperfine ${RUNS[*]}, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- machine: $(nproc) cores; reference: \`$reference\`; new: \`$new\`"
    echo "- targets: new/reference wall time ≤ ${MAX_TIME_RATIO}x, peak RSS ≤ ${MAX_RSS_RATIO}x"
    echo
    echo "| vault | command | reference mean | new mean | new/reference | reference RSS MB | new RSS MB | RSS ratio |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|"
} >"$results"
for vault in "${vaults[@]}"; do
    name="$(basename "$vault")"
    # A note whose path has no space: the commands are split into words.
    note="$(cd "$vault" && find . -name '*.md' -not -path './.*' | grep -v ' ' | sort | head -1 | sed 's|^\./||')"
    for side in reference new; do
        binary="$reference"
        [[ $side == new ]] && binary="$new"
        index="$BENCH_DIR/index/model-load-$side-$name"
        mkdir -p "$(dirname "$index")"
        "$binary" --vault "$vault" --index-dir "$index" -q index >/dev/null
    done
    for command in "graph stats" "show $note"; do
        ref_cmd="$reference --vault $vault --index-dir $BENCH_DIR/index/model-load-reference-$name -q"
        new_cmd="$new --vault $vault --index-dir $BENCH_DIR/index/model-load-new-$name -q"
        json="$BENCH_DIR/json/model-load-$name-${command%% *}.json"
        # shellcheck disable=SC2086  # the commands are split into words on purpose
        hyperfine -N "${RUNS[@]}" --output null --export-json "$json" \
            -n reference "$ref_cmd $command" -n new "$new_cmd $command" >&2 </dev/null
        read -r ref_mean new_mean < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print(r[0]["mean"] * 1000, r[1]["mean"] * 1000)' "$json")
        # shellcheck disable=SC2086
        ref_rss="$(peak_rss $ref_cmd $command)"
        # shellcheck disable=SC2086
        new_rss="$(peak_rss $new_cmd $command)"
        line="$(python3 -c '
import sys
ref, new, ref_rss, new_rss, max_t, max_m = map(float, sys.argv[1:7])
t, m = new / ref, new_rss / ref_rss
ok = "PASS" if t <= max_t and m <= max_m else "FAIL"
print(f"{ref:.1f} ms | {new:.1f} ms | {t:.2f}x | {ref_rss:.1f} | {new_rss:.1f} | {m:.2f}x | {ok}")' \
            "$ref_mean" "$new_mean" "$ref_rss" "$new_rss" "$MAX_TIME_RATIO" "$MAX_RSS_RATIO")"
        [[ "$line" == *FAIL ]] && failed=1
        echo "| $name | \`${command}\` | ${line% | *} |" >>"$results"
        echo "$name $command: $line" >&2
    done
done
{
    echo
    if [[ $failed -eq 0 ]]; then echo "Targets: PASS"; else echo "Targets: FAIL"; fi
} >>"$results"
cat "$results"
exit "$failed"
