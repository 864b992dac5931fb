#!/usr/bin/env bash
# Benchmark the index, `search` and `lint` as whole processes, each beside
# ripgrep over the same files in the same run, with peak memory.
#
# Usage: benches/search.sh [--quick]
#
#   --quick   1 warmup + 3 runs instead of 2 + 10
#
# Environment:
#   BENCH_DIR      where generated vaults, indexes, copies and JSON go (default /tmp/vaultkit-bench)
#   VAULTKIT_BIN   vaultkit binary to benchmark; when set, `cargo build --release` is skipped
#   GEN_VAULT_BIN  prebuilt examples/gen_vault binary; when set, building it is skipped
#   SIZES          note counts of the generated vaults (default "2000 20000")
#   WORD           the word searched for (default: garden, in about 5% of the 20k notes)
#
# The index of each vault lives in $BENCH_DIR/index/NAME (--index-dir), so the
# real corpora in ../shared are only read. Writes the tables to stdout and to
# benches/results/search.md.
set -euo pipefail
shopt -s inherit_errexit nullglob
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

read -r -a SIZES <<<"${SIZES:-2000 20000}"
WORD="${WORD:-garden}"
RESULTS="$REPO/benches/results/search.md"
bench_args "$@"
bench_build
mkdir -p "$BENCH_DIR/index"

# NAME<TAB>DIR for each vault: generated ones (shared with graph_stats.sh), then the corpora.
vaults() {
    local notes dir
    for notes in "${SIZES[@]}"; do
        printf 'synthetic-%dk\t%s\n' "$((notes / 1000))" "$(synthetic_vault "$notes")"
    done
    if [[ ! -d "$REPO/../shared/corpora" ]]; then
        echo "search.sh: skipping the real corpora" >&2
        return
    fi
    for dir in "$REPO"/../shared/corpora/*/; do
        printf '%s\t%s\n' "$(basename "$dir")" "$(cd "$dir" && pwd)"
    done
}

# Peak RSS in KB of one run of the command.
rss() {
    /usr/bin/time -f '%M' -o "$BENCH_DIR/rss" "$@" >/dev/null 2>&1 || true
    tail -n 1 "$BENCH_DIR/rss"
}

# hyperfine NAME JSON [--prepare CMD] -- CMD...: times the commands, named a, b, ...
time_pair() {
    local json="$1"; shift
    hyperfine -N -i "${RUNS[@]}" --output null --export-json "$json" "$@" >&2 </dev/null
}

bench() {
    local name="$1" dir="$2" index="$BENCH_DIR/index/$1" j="$BENCH_DIR/json/search-$1"
    local vk="$VK --vault $dir --index-dir $index -q"
    local rg_count="rg --count-matches '\\[\\[' --glob '*.md' $dir"
    local note
    note="$(find "$dir" -name '*.md' -not -path '*/.*' | sort | sed -n 1p)"
    echo "== $name" >&2

    # Cold: no index yet.
    time_pair "$j-cold.json" --prepare "rm -rf $index" \
        -n index "$vk index" -n lint "$vk lint --format json" -n rg "$rg_count"
    rm -rf "$index"; local rss_lint_cold; rss_lint_cold="$(rss $vk lint --format json)"
    local rss_index; rss_index="$(rss $vk index)"
    local size; size="$(du -sb "$index" | cut -f1)"
    # Warm: nothing changed.
    time_pair "$j-warm.json" -n search "$vk search $WORD --format paths" -n lint "$vk lint --format json" \
        -n "rg-l" "rg -i -l $WORD --glob '*.md' $dir" -n rg "$rg_count" \
        -n stat "find $dir -type f -not -path '*/.*' -printf '%s %T@\\n'"
    local rss_lint_warm; rss_lint_warm="$(rss $vk lint --format json)"
    # One note edited before each search.
    cp "$note" "$BENCH_DIR/edited.bak"
    time_pair "$j-edit.json" --prepare "sh -c 'echo edited \$RANDOM >> \"$note\"'" \
        -n search "$vk search $WORD --format paths" -n rg "$rg_count"
    cp "$BENCH_DIR/edited.bak" "$note"
    $vk index >/dev/null
    local bytes notes
    bytes="$(find "$dir" -name '*.md' -not -path '*/.*' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')"
    notes="$(find "$dir" -name '*.md' -not -path '*/.*' | wc -l)"
    python3 - "$name" "$notes" "$bytes" "$size" "$rss_index" "$rss_lint_cold" "$rss_lint_warm" "$j" <<'PY'
import json, sys
name, notes, md, size, rss_index, rss_lint_cold, rss_lint_warm, j = sys.argv[1:]
def load(kind):
    return {r["command"]: r["mean"] * 1000 for r in json.load(open(f"{j}-{kind}.json"))["results"]}
cold, warm, edit = load("cold"), load("warm"), load("edit")
mb = int(md) / 1e6
print(f"| {name} | {notes} | {mb:.1f} "
      f"| {cold['index']:.0f} ms ({cold['index'] / cold['rg']:.1f}x) | {int(rss_index) / 1024:.0f} MB | {100 * int(size) / int(md):.0f}% "
      f"| {warm['search']:.1f} ms ({warm['rg-l'] / warm['search']:.1f}x faster than rg -l) "
      f"| {edit['search']:.0f} ms ({edit['search'] / edit['rg']:.1f}x) "
      f"| {cold['lint']:.0f} ms ({cold['lint'] / cold['rg']:.1f}x), {int(rss_lint_cold) / 1024:.0f} MB "
      f"| {warm['lint']:.0f} ms ({warm['lint'] / warm['rg']:.1f}x), {int(rss_lint_warm) / 1024:.0f} MB "
      f"| {cold['rg']:.0f} / {warm['rg-l']:.0f} / {warm['stat']:.0f} ms "
      f"| {1000 * cold['index'] / (int(md) / 1e6) / 1000:.0f} ms/MB |")
PY
}

{
    echo "# index, search and lint benchmark"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit: $(git -C "$REPO" describe --always --dirty), hyperfine ${RUNS[*]}, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(rg --version | head -n 1)"
    echo "- ratios: against \`rg --count-matches '\\[\\['\` (index, edit, lint) and \`rg -i -l $WORD\` (warm search) over the same files, same run"
    echo "- stat floor: \`find DIR -type f -printf '%s %T@'\` over the same files (one thread): what looking at every file's size and time costs, which every refresh does"
    echo
    echo "| vault | notes | MB | cold \`index\` | its peak RSS | index size / Markdown | warm \`search $WORD\` | edit one note, then \`search\` | \`lint\`, no index | \`lint\`, warm | rg count / rg -l / stat floor | cold index per MB |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    while IFS=$'\t' read -r name dir; do
        bench "$name" "$dir"
    done < <(vaults)
} | tee "$RESULTS"
