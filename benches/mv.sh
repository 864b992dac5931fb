#!/usr/bin/env bash
# Benchmark `vaultkit mv` of a note linked from 500 notes of the synthetic
# vault, whole process (warm index: load, plan, write every rewritten note,
# move the file).
#
# Usage: benches/mv.sh [--quick]
#
#   --quick   1 warmup + 3 runs instead of 2 + 10
#
# Environment:
#   BENCH_DIR      where the generated vault, its copy and JSON go (default /tmp/vaultkit-bench)
#   VAULTKIT_BIN   vaultkit binary to benchmark; when set, `cargo build --release` is skipped
#   GEN_VAULT_BIN  prebuilt examples/gen_vault binary; when set, building it is skipped
#   NOTES          notes of the generated vault (default 20000)
#   LINKED         how many notes link to the moved note (default 500)
#
# `mv` writes the vault, so it runs on a copy ($BENCH_DIR/mv-NAME). The moved
# note is the one linked from the number of notes nearest LINKED; when none
# is linked from that many, the first LINKED notes that do not link to it get
# a line `[[NAME]]` (in the copy). Each run renames it into another folder
# (so that every link to it is rewritten); before each run the moved note
# and the rewritten notes get their bytes back and the index is refreshed
# (untimed `--prepare`). Writes benches/results/mv.md.
set -euo pipefail
shopt -s inherit_errexit nullglob
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly TARGET_MS=300
NOTES="${NOTES:-20000}"
LINKED="${LINKED:-500}"
RESULTS="$REPO/benches/results/mv.md"
bench_args "$@"
bench_build

vault="$(synthetic_vault "$NOTES")"
name="synthetic-$((NOTES / 1000))k"
copy="$BENCH_DIR/mv-$name"
pristine="$BENCH_DIR/mv-$name.pristine"
json="$BENCH_DIR/json/mv-$name.json"
rm -rf -- "$copy" "$pristine"
cp -a "$vault" "$copy"
rm -rf -- "$copy/.vaultkit"

# The note linked from the number of notes nearest LINKED, and how many.
read -r note linked < <("$VK" --vault "$copy" -q graph --format json | python3 -c '
import collections, json, sys
wanted = int(sys.argv[1])
sources = collections.defaultdict(set)
for edge in json.load(sys.stdin)["edges"]:
    if edge["target"].endswith(".md") and edge["source"] != edge["target"]:
        sources[edge["target"]].add(edge["source"])
note = min(sources, key=lambda t: (abs(len(sources[t]) - wanted), t))
print(note, len(sources[note]))
' "$LINKED")
if ((linked < LINKED * 9 / 10)); then
    title="$(basename "$note" .md)"
    mapfile -t linking < <("$VK" --vault "$copy" -q backlinks "$note" --format json |
        python3 -c 'import json, sys; print("\n".join(sorted({b["path"] for b in json.load(sys.stdin)})))')
    added=0
    while IFS= read -r path; do
        ((added + linked >= LINKED)) && break
        [[ "$path" == "$note" ]] && continue
        printf '%s\n' "${linking[@]}" | grep -qxF -- "$path" && continue
        printf '\nSee [[%s]].\n' "$title" >>"$copy/$path"
        added=$((added + 1))
    done < <(cd "$copy" && find . -name '*.md' -not -path './.*' | sed 's|^\./||' | LC_ALL=C sort)
    linked=$((linked + added))
fi
dest="Moved by mv bench/$(basename "$note" .md) (moved).md"
"$VK" --vault "$copy" -q index

# The files a run changes, kept to be put back before the next.
mapfile -t edited < <("$VK" --vault "$copy" -q mv "$note" "$dest" --dry-run --format json |
    python3 -c 'import json, sys; print("\n".join(sorted({e["path"] for e in json.load(sys.stdin)["edits"]})))')
mkdir -p "$pristine"
(cd "$copy" && printf '%s\0' "$note" "${edited[@]}" | tar --null -T - -cf - | tar -xf - -C "$pristine")

mv_cmd=("$VK" --vault "$copy" -q mv "$note" "$dest")
restore="sh -c 'rm -rf -- \"\$1\" && cp -a \"\$2\"/. \"\$3\"/ && \"\$4\" --vault \"\$3\" -q index >/dev/null' sh $(printf '%q' "$copy/$(dirname "$dest")") $(printf '%q' "$pristine") $(printf '%q' "$copy") $(printf '%q' "$VK")"
eval "$restore"
summary="$("${mv_cmd[@]}" 2>&1 >/dev/null | tail -n1)"
[[ "$summary" == "moved 1 path and rewrote ${#edited[@]} notes" ]] || { echo "mv.sh: unexpected: $summary" >&2; exit 1; }
eval "$restore"
hyperfine -N "${RUNS[@]}" --output null --export-json "$json" --prepare "$restore" \
    -n "mv" "$(printf '%q ' "${mv_cmd[@]}")" >&2 </dev/null
eval "$restore"
peak="$(/usr/bin/time -f '%M' "${mv_cmd[@]}" 2>&1 >/dev/null | tail -n1)"
eval "$restore"

{
    echo "# mv benchmark"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit: $(git -C "$REPO" describe --always --dirty), hyperfine ${RUNS[*]}, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "- vault: a copy of \`examples/gen_vault.rs --notes $NOTES --seed $SEED\` with its index; the moved note \`$note\` is linked from $linked notes; ${#edited[@]} notes are rewritten"
    echo "- command: \`vaultkit --vault DIR -q mv NOTE \"$dest\"\` (load from the index, plan, write every rewritten note, move); the files get their bytes back and the index is refreshed before each run; run \`benches/mv.sh\`"
    echo "- peak RSS of one run: $((peak / 1024)) MB"
    echo
    python3 - "$json" "$TARGET_MS" <<'PY'
import json, sys
path, limit = sys.argv[1], float(sys.argv[2])
r = json.load(open(path))["results"][0]
print("| command | mean ± σ | min | max |")
print("|---|---:|---:|---:|")
print(f"| `mv` | {r['mean'] * 1000:.0f} ± {r['stddev'] * 1000:.0f} ms | {r['min'] * 1000:.0f} ms | {r['max'] * 1000:.0f} ms |")
print()
mean = r["mean"] * 1000
print(f"Target: mv {mean:.0f} ms ≤ {limit:.0f} ms: {'PASS' if mean <= limit else 'FAIL'}")
PY
} | tee "$RESULTS"
