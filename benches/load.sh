#!/usr/bin/env bash
# Load test: generated vaults of 10k, 50k and 100k notes; wall time and peak
# memory of `index` (from scratch), `search WORD`, `lint` and `outline ROOT`
# on each; then 20 concurrent `search` processes while `index --rebuild` runs
# on the largest vault, each of which must succeed with the same answer.
#
# Usage: benches/load.sh [NOTES...]        (default: 10000 50000 100000)
#
# Environment:
#   LOAD_DIR       where the vaults go (default /tmp/vk-load; reused when present)
#   SEARCH_WORD    the word searched for (default: customer)
#   OUTLINE_ROOT   the outline's root note (default: Index), with --depth 7
#   SEARCHERS      concurrent searches during the rebuild (default: 20)
#
# Prints a Markdown table and writes it to benches/results/load.md.
set -euo pipefail
shopt -s inherit_errexit

SIZES=("$@")
[[ ${#SIZES[@]} -gt 0 ]] || SIZES=(10000 50000 100000)
LOAD_DIR="${LOAD_DIR:-/tmp/vk-load}"
WORD="${SEARCH_WORD:-customer}"
ROOT_NOTE="${OUTLINE_ROOT:-Index}"
SEARCHERS="${SEARCHERS:-20}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RESULTS="$REPO/benches/results/load.md"
cd "$REPO"

[[ -x /usr/bin/time ]] || { echo "load.sh: GNU time is missing (apt-get install time)" >&2; exit 1; }
cargo build --release --quiet
cargo build --release --quiet --example gen_vault
BIN="${CARGO_TARGET_DIR:-$REPO/target}/release/vaultkit"
mkdir -p "$LOAD_DIR"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# measure NAME VAULT ARGS...: one run; prints "| seconds | MB |"; exit 2 or a crash fails the script.
measure() {
    local name="$1" vault="$2"
    shift 2
    local status=0
    /usr/bin/time -f '%e %M' -o "$TMP/time" "$BIN" --vault "$vault" --color never "$@" \
        >"$TMP/$name.out" 2>"$TMP/$name.err" || status=$?
    if [[ $status -ge 2 ]]; then
        echo "load.sh: vaultkit $* exited $status:" >&2
        cat "$TMP/$name.err" >&2
        exit 1
    fi
    read -r seconds kb <"$TMP/time"
    printf '| %s | %d ' "$seconds" $((kb / 1024))
}

{
    echo "# load test"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M') UTC, commit: $(git rev-parse --short HEAD), machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
    echo "- vaults: \`cargo run --release --example gen_vault -- --notes N --seed 42 --out $LOAD_DIR/N\`"
    echo "- each cell: wall seconds | peak RSS MB of one run (\`/usr/bin/time -f '%e %M'\`); index is a build from scratch, the others run on a current index"
    echo
    echo "| notes | MB of Markdown | index s | MB | search \`$WORD\` s | MB | lint s | MB | outline \`$ROOT_NOTE\` --depth 7 s | MB |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} | tee "$RESULTS"

for n in "${SIZES[@]}"; do
    vault="$LOAD_DIR/$n"
    if [[ ! -d $vault ]]; then
        cargo run --release --quiet --example gen_vault -- --notes "$n" --seed 42 --out "$vault" >&2
    fi
    rm -rf "$vault/.vaultkit"
    mb=$(find "$vault" -name '*.md' -printf '%s\n' | awk '{s += $1} END {printf "%.0f", s / 1e6}')
    {
        printf '| %d | %s ' "$n" "$mb"
        measure index "$vault" index
        measure search "$vault" search "$WORD" --format paths
        measure lint "$vault" lint --format json
        measure outline "$vault" outline "$ROOT_NOTE" --depth 7
        echo "|"
    } | tee -a "$RESULTS"
done

# Concurrent searches during a rebuild, on the largest vault.
vault="$LOAD_DIR/${SIZES[-1]}"
"$BIN" --vault "$vault" search "$WORD" --format paths --sort path >"$TMP/expected" || true
"$BIN" --vault "$vault" index --rebuild >"$TMP/rebuild.out" 2>&1 &
rebuild=$!
sleep 0.5
pids=()
for i in $(seq "$SEARCHERS"); do
    "$BIN" --vault "$vault" search "$WORD" --format paths --sort path \
        >"$TMP/search.$i" 2>"$TMP/search.$i.err" &
    pids+=($!)
done
failed=0 differ=0
for i in $(seq "$SEARCHERS"); do
    status=0
    wait "${pids[$((i - 1))]}" || status=$?
    [[ $status -le 1 ]] || failed=$((failed + 1))
    cmp -s "$TMP/expected" "$TMP/search.$i" || differ=$((differ + 1))
done
rebuild_status=0
wait "$rebuild" || rebuild_status=$?
{
    echo
    echo "Concurrency, ${SIZES[-1]} notes: $SEARCHERS \`search $WORD\` processes started 0.5 s into \`index --rebuild\`" \
        "(rebuild exit $rebuild_status): $failed failed, $differ answered differently from before the rebuild" \
        "($(wc -l <"$TMP/expected") hits each)."
} | tee -a "$RESULTS"
[[ $failed -eq 0 && $differ -eq 0 && $rebuild_status -eq 0 ]]
