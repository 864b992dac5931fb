#!/usr/bin/env bash
# Benchmark `vaultkit props set` on 5,000 notes of the synthetic vault, whole
# process, against ripgrep reading the same files, in the same hyperfine run.
#
# Usage: benches/props.sh [--quick]
#
#   --quick   1 warmup + 3 runs instead of 2 + 10
#
# Environment:
#   BENCH_DIR      where the generated vault, its copy and JSON go (default /tmp/vaultkit-bench)
#   VAULTKIT_BIN   vaultkit binary to benchmark; when set, `cargo build --release` is skipped
#   GEN_VAULT_BIN  prebuilt examples/gen_vault binary; when set, building it is skipped
#   NOTES          notes of the generated vault (default 20000)
#   EDITED         notes edited (default 5000): the first ones in path order
#
# `props` writes the vault, so it runs on a copy ($BENCH_DIR/props-NAME), and
# before each run the edited notes get their original bytes back (untimed
# `--prepare`): every run reads, plans, checks and writes all of them. The
# notes are named as PATHS, so no index is opened. Writes benches/results/props.md.
set -euo pipefail
shopt -s inherit_errexit nullglob
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly TARGET_SECONDS=2
NOTES="${NOTES:-20000}"
EDITED="${EDITED:-5000}"
RESULTS="$REPO/benches/results/props.md"
bench_args "$@"
bench_build

vault="$(synthetic_vault "$NOTES")"
name="synthetic-$((NOTES / 1000))k"
copy="$BENCH_DIR/props-$name"
pristine="$BENCH_DIR/props-$name.pristine"
json="$BENCH_DIR/json/props-$name.json"
rm -rf -- "$copy" "$pristine"
cp -a "$vault" "$copy"
mapfile -t paths < <(cd "$copy" && find . -name '*.md' -not -path './.*' | sed 's|^\./||' | LC_ALL=C sort | head -n "$EDITED")
[[ "${#paths[@]}" -eq "$EDITED" ]] || { echo "props.sh: the vault has fewer than $EDITED notes" >&2; exit 1; }
mkdir -p "$pristine"
(cd "$copy" && printf '%s\0' "${paths[@]}" | tar --null -T - -cf - | tar -xf - -C "$pristine")

quoted=""
for path in "${paths[@]}"; do quoted+=" $(printf '%q' "$path")"; done
# 5,000 paths are longer than one argument may be, so each command is a
# script that execs the program (bash's start, a millisecond, is timed too).
props_run="$BENCH_DIR/props-run.sh"
rg_run="$BENCH_DIR/props-rg.sh"
printf 'cd %q && exec %q --vault . -q props set reviewed true%s\n' "$copy" "$VK" "$quoted" >"$props_run"
printf 'cd %q && exec rg --count-matches ^--- --no-messages%s\n' "$copy" "$quoted" >"$rg_run"
restore="cp -a $pristine/. $copy/"
$restore
changed="$(bash "$props_run" 2>&1 >/dev/null | tail -n1)"
[[ "$changed" == "changed $EDITED of $EDITED notes"* ]] || { echo "props.sh: unexpected: $changed" >&2; exit 1; }
hyperfine -N "${RUNS[@]}" --output null --export-json "$json" --prepare "$restore" \
    -n "props set" "bash $props_run" -n rg "bash $rg_run" >&2 </dev/null
$restore
peak="$(/usr/bin/time -f '%M' bash "$props_run" 2>&1 >/dev/null | tail -n1)"

{
    echo "# props benchmark"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit: $(git -C "$REPO" describe --always --dirty), hyperfine ${RUNS[*]}, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "- vault: a copy of \`examples/gen_vault.rs --notes $NOTES --seed $SEED\`; the first $EDITED notes in path order get their bytes back before each run"
    echo "- commands: \`vaultkit --vault DIR -q props set reviewed true PATHS…\` ($EDITED paths: every note read, edited, checked against the rules and written) vs \`rg --count-matches ^--- PATHS…\`; run \`benches/props.sh\`"
    echo "- peak RSS of one props run: $((peak / 1024)) MB"
    echo
    python3 - "$json" "$TARGET_SECONDS" <<'PY'
import json, sys
path, limit = sys.argv[1], float(sys.argv[2])
runs = {r["command"]: r for r in json.load(open(path))["results"]}
props, rg = runs["props set"], runs["rg"]
print("| command | mean ± σ | min | max |")
print("|---|---:|---:|---:|")
for name, r in (("props set", props), ("rg", rg)):
    print(f"| `{name}` | {r['mean'] * 1000:.0f} ± {r['stddev'] * 1000:.0f} ms | {r['min'] * 1000:.0f} ms | {r['max'] * 1000:.0f} ms |")
print()
print(f"props set / rg: {props['mean'] / rg['mean']:.1f}x")
print()
print(f"Target: props set {props['mean']:.2f} s ≤ {limit:.0f} s: {'PASS' if props['mean'] <= limit else 'FAIL'}")
PY
} | tee "$RESULTS"
