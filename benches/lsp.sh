#!/usr/bin/env bash
# Times `vaultkit lsp` as an editor meets it, with examples/lsp_bench.rs
# driving the real binary over stdio: ready (spawn to the first answer to
# workspace/symbol), definition, references and completion (p95 <= 5 ms),
# workspace/symbol (p95 <= 10 ms), didChange to publishDiagnostics (p95 <=
# 50 ms), a note saved by another program to its diagnostics (p95 <= 200
# ms), a checkout rewriting 2,000 notes until every one's diagnostics are
# published (<= 2 s), peak RSS (<= 250 MB) and CPU while idle (<= 2 ticks
# in 3 s). Ready must be <= 300 ms (the median of 5 starts).
#
# Usage: benches/lsp.sh [SAMPLES]
#
#   SAMPLES   requests of each kind (default 200)
#
# Runs on the 20k synthetic vault (generated as benches/lib.sh does) and on
# ../shared/corpora/obsidian-help when it is there, each copied to
# $BENCH_DIR/lsp-NAME (the run rewrites notes) with a current index.
# References are asked in the note with the most backlinks, which the copy
# makes linked from 500 notes (appending a link to others). Environment: as
# benches/lib.sh (VAULTKIT_BIN, GEN_VAULT_BIN, BENCH_DIR). Writes
# benches/results/lsp.md; exits 1 when a target is missed.
set -euo pipefail
shopt -s inherit_errexit

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
case "${1:-}" in
    "" | [0-9]*) SAMPLES="${1:-200}" ;;
    *) sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0" >&2; exit 1 ;;
esac
command -v python3 >/dev/null || { echo "lsp.sh: python3 is missing" >&2; exit 1; }
readonly LINKED=500
mkdir -p "$BENCH_DIR" "$REPO/benches/results"
bench_build
(cd "$REPO" && cargo build --release --quiet --example lsp_bench)
DRIVER="$TARGET_DIR/release/examples/lsp_bench"
VK="$(realpath "$VK")"

vaults=("$(synthetic_vault 20000)")
help="$REPO/../shared/corpora/obsidian-help"
skipped=""
if [[ -d "$help" ]]; then
    vaults+=("$(realpath "$help")")
else
    skipped="obsidian-help skipped: $help is absent"
    echo "lsp.sh: $skipped" >&2
fi

results="$REPO/benches/results/lsp.md"
status=0
{
    echo "# Language server: an editor's waits"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M') UTC, commit: $(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet || echo -dirty), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "- run \`benches/lsp.sh\` ($SAMPLES requests of each kind); the driver is \`examples/lsp_bench.rs\`"
    [[ -z "$skipped" ]] || echo "- $skipped"
    echo
} >"$results"
for vault in "${vaults[@]}"; do
    name="$(basename "$vault")"
    copy="$BENCH_DIR/lsp-$name"
    rm -rf -- "$copy"
    cp -a "$vault" "$copy"
    rm -rf -- "$copy/.vaultkit"
    # The note with the most backlinks, linked from more notes (by path,
    # which no other note shares) until LINKED notes link to it.
    note="$("$VK" --vault "$copy" -q graph --format json | python3 -c '
import collections, json, os, sys
copy, wanted = sys.argv[1], int(sys.argv[2])
sources = collections.defaultdict(set)
for edge in json.load(sys.stdin)["edges"]:
    if edge["target"].endswith(".md") and edge["source"] != edge["target"]:
        sources[edge["target"]].add(edge["source"])
note = max(sorted(sources), key=lambda t: len(sources[t]))
others = []
for folder, dirs, names in os.walk(copy):
    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
    for name in names:
        path = os.path.relpath(os.path.join(folder, name), copy)
        if name.endswith(".md") and path != note and path not in sources[note]:
            others.append(path)
others.sort()
missing = max(0, wanted - len(sources[note]))
for path in others[:: max(1, len(others) // max(1, missing))][:missing]:
    with open(os.path.join(copy, path), "a", encoding="utf-8") as file:
        file.write("\n\nSee [[" + note[:-3] + "]].\n")
print(note)
' "$copy" "$LINKED")"
    "$VK" --vault "$copy" -q index >/dev/null
    {
        echo "## $name"
        echo
        echo '```'
        VAULTKIT_BIN="$VK" "$DRIVER" "$copy" "$note" "$SAMPLES" >"$BENCH_DIR/lsp-$name.out" 2>&1 || status=$?
        grep -v '^|' "$BENCH_DIR/lsp-$name.out" || true
        echo '```'
        echo
        grep '^|' "$BENCH_DIR/lsp-$name.out" || true
        echo
    } >>"$results"
    ((status < 2)) || { cat "$results"; echo "lsp.sh: the run on $name failed" >&2; exit 2; }
done
cat >>"$results" <<'EOF'
How each figure is taken: every time runs from just before the client writes
its message to when the answer or notification is read whole. Ready is the
median of 5 starts from a current index. The editor reports no changes on
disk, so the server watches the vault itself. The edits in buffers and on
disk each add a link to a note that does not exist, so the note's
diagnostics must change and name it. The checkout truncates and writes
2,000 closed notes in place, one after another, as git does; the server has
settled when every one of them has had its new diagnostics published (each
note's diagnostics are sent only after the batch of changes that holds it is
taken in, and batches are taken in the order they come). Idle CPU is the
server's user and system time (`/proc/PID/stat`) over 3 s once it has nothing
left to do: after settling, after the index refresh the checkout starts in
the background (the server's "is up to date" log message), and once a whole
second has passed without a tick (a refresh may follow another); peak RSS is
`VmHWM` at the end.
EOF
cat "$results"
exit "$status"
