#!/usr/bin/env bash
# Benchmark `vaultkit outline` on the 20k-note synthetic vault, from a root that
# reaches about 2,000 notes, beside ripgrep counting `[[` and beside
# `vaultkit graph stats` (which loads the same vault and does little else, so
# the gap between the two is what building the outline costs).
#
# Usage: benches/outline.sh [--quick]
#
#   --quick   1 warmup + 3 runs instead of 2 + 10
#
# Environment:
#   BENCH_DIR      where the generated vault and hyperfine JSON go (default /tmp/vaultkit-bench)
#   VAULTKIT_BIN   vaultkit binary to benchmark; when set, `cargo build --release` is skipped
#   GEN_VAULT_BIN  prebuilt examples/gen_vault binary; when set, building it is skipped
#   OUTLINE_ROOT   root note (default: Index); OUTLINE_DEPTH its depth (default: 7)
#
# Writes the Markdown table to stdout and to benches/results/outline.md.
set -euo pipefail
shopt -s inherit_errexit
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly NOTES=20000 TARGET_MS=200
ROOT_NOTE="${OUTLINE_ROOT:-Index}"
DEPTH="${OUTLINE_DEPTH:-7}"
bench_args "$@"
bench_build
VAULTKIT="$VK"
VAULT="$(synthetic_vault "$NOTES")"
JSON="$BENCH_DIR/json/outline.json"
RESULTS="$REPO/benches/results/outline.md"

# Warm: the index (in its own folder, so other builds never touch it) is
# built first; `outline` and `graph stats` then read the vault from it.
INDEX_DIR="$BENCH_DIR/index/outline-20k"
VAULTKIT="$VAULTKIT --index-dir $INDEX_DIR"
$VAULTKIT -q --vault "$VAULT" index >&2
lessons="$($VAULTKIT -q --vault "$VAULT" outline "$ROOT_NOTE" --depth "$DEPTH" --format json |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["lessons"])')"
echo "outline of '$ROOT_NOTE' at depth $DEPTH: $lessons lessons" >&2

hyperfine -N "${RUNS[@]}" --output null --export-json "$JSON" \
    --command-name "vaultkit outline" "$VAULTKIT -q --vault $VAULT outline $ROOT_NOTE --depth $DEPTH" \
    --command-name "vaultkit graph stats" "$VAULTKIT -q --vault $VAULT graph stats" \
    --command-name "rg" "rg --count-matches '\\[\\[' --glob '*.md' $VAULT" >&2 </dev/null

{
    echo "# outline benchmark"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit: $(git -C "$REPO" describe --always --dirty), hyperfine ${RUNS[*]}"
    echo "- machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
    echo "- vault: synthetic-20k (\`examples/gen_vault.rs --notes $NOTES --seed $SEED\`); root \`$ROOT_NOTE\`, \`--depth $DEPTH\`: $lessons lessons"
    echo
    python3 - "$JSON" "$TARGET_MS" <<'PY'
import json
import sys

results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
target = float(sys.argv[2])
print("| command | mean ± σ | median | min | user CPU | vs rg |")
print("|---|---:|---:|---:|---:|---:|")
rg = results["rg"]["mean"]
for name, r in results.items():
    print(f"| {name} | {r['mean'] * 1000:.1f} ± {(r['stddev'] or 0) * 1000:.1f} ms "
          f"| {r['median'] * 1000:.1f} ms | {r['min'] * 1000:.1f} ms "
          f"| {r['user'] * 1000:.1f} ms | {r['mean'] / rg:.2f}x |")
outline, load = results["vaultkit outline"], results["vaultkit graph stats"]
print()
print(f"Outline work beyond loading the vault (graph stats): "
      f"{(outline['mean'] - load['mean']) * 1000:+.1f} ms wall, "
      f"{(outline['user'] - load['user']) * 1000:+.1f} ms user CPU. "
      f"Target {target:.0f} ms warm: mean {'PASS' if outline['mean'] * 1000 <= target else 'FAIL'}, "
      f"median {'PASS' if outline['median'] * 1000 <= target else 'FAIL'} "
      f"(on a shared machine a few slow runs move the mean more than the median).")
PY
} | tee "$RESULTS"
