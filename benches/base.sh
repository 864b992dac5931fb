#!/usr/bin/env bash
# Benchmark `vaultkit base` against `vaultkit graph stats` on the same vault, both
# whole processes with a warm index, in the same hyperfine run.
#
# Usage: benches/base.sh [--quick]
#
#   --quick   1 warmup + 3 runs instead of 2 + 10
#
# Environment:
#   BENCH_DIR      where the generated vault, its index and JSON go (default /tmp/vaultkit-bench)
#   VAULTKIT_BIN   vaultkit binary to benchmark; when set, `cargo build --release` is skipped
#   GEN_VAULT_BIN  prebuilt examples/gen_vault binary; when set, building it is skipped
#   NOTES          notes of the generated vault (default 20000)
#
# The base (three filters, two formulas, a group) is written beside the vault,
# not into it, so the vault the other benchmarks share is left as it is. The
# index lives in $BENCH_DIR/index/base-NAME. Writes benches/results/base.md.
set -euo pipefail
shopt -s inherit_errexit nullglob
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly MAX_RATIO=1.2
NOTES="${NOTES:-20000}"
RESULTS="$REPO/benches/results/base.md"
bench_args "$@"
bench_build

vault="$(synthetic_vault "$NOTES")"
name="synthetic-$((NOTES / 1000))k"
index="$BENCH_DIR/index/base-$name"
base="$BENCH_DIR/open-by-type.base"
json="$BENCH_DIR/json/base-$name.json"
cat >"$base" <<'YAML'
filters:
  and:
    - file.ext == "md"
    - status != "archived"
    - created >= date("2019-01-01")
formulas:
  age_days: ((today() - created) / 86400000).round()
  tag_count: file.tags.length
views:
  - type: table
    name: Open by type
    groupBy:
      property: note.type
      direction: ASC
    order: [file.name, note.status, formula.age_days, formula.tag_count]
YAML

vk="$VK --vault $vault --index-dir $index -q"
base_cmd="$vk base $base"
stats_cmd="$vk graph stats"
# Warm: the index is built and current before the timed runs.
mkdir -p "$(dirname "$index")"
$vk index >/dev/null
rows="$($base_cmd --format paths | wc -l)"
[[ "$rows" -gt 0 ]] || { echo "base.sh: the base has no rows" >&2; exit 1; }
hyperfine -N "${RUNS[@]}" --output null --export-json "$json" \
    -n base "$base_cmd" -n "graph stats" "$stats_cmd" >&2 </dev/null

{
    echo "# base benchmark"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit: $(git -C "$REPO" describe --always --dirty), hyperfine ${RUNS[*]}, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "- vault: \`examples/gen_vault.rs --notes $NOTES --seed $SEED\`; index built and current before the runs (\`--index-dir\`)"
    echo "- base: three filters (\`file.ext\`, \`status\`, \`created\`), two formulas (age in days, tag count), grouped by \`type\`: $rows rows"
    echo "- commands: \`vaultkit --vault DIR --index-dir INDEX -q base open-by-type.base\` vs \`… graph stats\`; run \`benches/base.sh\`"
    echo
    python3 - "$json" "$MAX_RATIO" <<'PY'
import json, sys
path, limit = sys.argv[1], float(sys.argv[2])
runs = {r["command"]: r for r in json.load(open(path))["results"]}
base, stats = runs["base"], runs["graph stats"]
print("| command | mean ± σ | min | max | user CPU | system CPU |")
print("|---|---:|---:|---:|---:|---:|")
for name, r in (("base", base), ("graph stats", stats)):
    print(f"| `{name}` | {r['mean'] * 1000:.0f} ± {r['stddev'] * 1000:.0f} ms | {r['min'] * 1000:.0f} ms | {r['max'] * 1000:.0f} ms | {r['user'] * 1000:.0f} ms | {r['system'] * 1000:.0f} ms |")
ratio = base["mean"] / stats["mean"]
print()
print(f"Target: base / graph stats {ratio:.2f}x ≤ {limit}x: {'PASS' if ratio <= limit else 'FAIL'}")
print(f"(user CPU: {base['user'] / stats['user']:.2f}x)")
PY
} | tee "$RESULTS"
