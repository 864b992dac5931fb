#!/usr/bin/env bash
# Times the live vault model's in-place updates, in memory (no file writes):
# upserting one note (its text only; a changed link; a new note that captures
# unresolved links), p50/p95 over 200 notes, and renaming a note linked from
# 500 notes (to another folder; to another name). Targets: upsert p95 <= 2 ms,
# rename <= 20 ms.
#
# Usage: benches/model.sh
#
# Runs on the 20k synthetic vault (generated as benches/lib.sh does) and on
# ../shared/corpora/obsidian-help (beside the repository) when it is there. Writes the figures to
# stdout and to benches/results/model.md.
set -euo pipefail

source "$(dirname "$0")/lib.sh"
case "${1:-}" in
    "") ;;
    *) sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0" >&2; exit 1 ;;
esac
mkdir -p "$BENCH_DIR" "$REPO/benches/results"
(cd "$REPO" && cargo build --release --quiet --example live_model --example gen_vault)
GEN_VAULT="${GEN_VAULT_BIN:-$TARGET_DIR/release/examples/gen_vault}"
LIVE_MODEL="$TARGET_DIR/release/examples/live_model"

vaults=("$(synthetic_vault 20000)")
help="$REPO/../shared/corpora/obsidian-help"
if [[ -d "$help" ]]; then
    vaults+=("$help")
else
    echo "model.sh: $help is absent, skipped" >&2
fi

{
    echo "# Live model updates ($(date -u +%Y-%m-%d), $(nproc) cores)"
    echo
    echo '```'
    for vault in "${vaults[@]}"; do
        "$LIVE_MODEL" "$vault" 200
        echo
    done
    echo '```'
} | tee "$REPO/benches/results/model.md"
