#!/usr/bin/env bash
# Checks that two vaultkit binaries print the same thing: `show`, `links`,
# `backlinks` and `outline` of the five most linked notes, `graph --format
# json`, `graph stats`, `lint --format json` and `search --format json` for a
# few queries, on the bundled vault and on each corpus under ../shared/corpora
# (those present); standard output, standard error and the exit code. Each binary reads a private copy of each vault, with its own
# index. Prints every command whose output differs, with a diff of its first
# lines, and exits 1 when any differs.
#
# Usage: benches/same_output.sh OLD_BINARY NEW_BINARY
#
# Environment: BENCH_DIR (default /tmp/vaultkit-bench), where the copies go.
set -euo pipefail
shopt -s inherit_errexit

if [[ $# -ne 2 || ! -x "$1" || ! -x "$2" ]]; then
    sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0" >&2
    exit 2
fi
command -v jq >/dev/null || { echo "$0: jq is missing (apt-get install jq)" >&2; exit 2; }
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OLD="$(realpath "$1")"
NEW="$(realpath "$2")"
OUT="${BENCH_DIR:-/tmp/vaultkit-bench}/same-output"
rm -rf -- "$OUT"
mkdir -p "$OUT"

vaults=("$REPO/vault")
for corpus in "$REPO"/../shared/corpora/*/; do
    [[ -d "$corpus" ]] && vaults+=("${corpus%/}")
done

differences=0
compared=0
# Runs `vaultkit ARGS` with both binaries on the vault `$name` and reports a difference.
same() {
    local side binary
    for side in old new; do
        binary="$OLD"
        [[ $side == new ]] && binary="$NEW"
        (cd "$OUT/$name-$side" && "$binary" --vault . --color never "$@" \
            >"$OUT/$side.out" 2>"$OUT/$side.err"; echo "exit $?" >>"$OUT/$side.out") || true
        cat "$OUT/$side.err" >>"$OUT/$side.out"
    done
    compared=$((compared + 1))
    if ! cmp -s "$OUT/old.out" "$OUT/new.out"; then
        differences=$((differences + 1))
        echo "== $name: vaultkit $*"
        diff "$OUT/old.out" "$OUT/new.out" | head -20 || true
    fi
}

for vault in "${vaults[@]}"; do
    name="$(basename "$vault")"
    for side in old new; do
        cp -r "$vault" "$OUT/$name-$side"
        rm -rf "$OUT/$name-$side/.vaultkit"
    done
    # The notes to look at, as the old binary ranks them.
    mapfile -t hubs < <("$OLD" --vault "$OUT/$name-old" graph stats --format json 2>/dev/null |
        jq -r '.top_hubs[:5][].path' 2>/dev/null)
    same graph --format json
    same graph stats
    same lint --format json
    same search --format json -- the
    same search --format json -- 'tag:#a OR [status] OR "of the"'
    same search --format json -- "links-to:\"${hubs[0]:-x}\" -orphan:true"
    for hub in "${hubs[@]}"; do
        same show -- "$hub"
        same links -- "$hub"
        same backlinks -- "$hub"
        same outline --format json -- "$hub"
    done
done
echo "$compared commands compared" >&2
echo "$differences commands differ" >&2
[[ $differences -eq 0 ]]
