#!/usr/bin/env bash
# Benchmark `vaultkit graph stats` against ripgrep counting `[[` on the same files.
#
# Usage: benches/graph_stats.sh [--quick]
#
#   --quick   1 warmup + 3 runs instead of 2 + 10, and skip the real corpora
#
# Environment:
#   BENCH_DIR         where generated vaults and hyperfine JSON go (default /tmp/vaultkit-bench)
#   VAULTKIT_BIN      vaultkit binary to benchmark; when set, `cargo build --release` is skipped
#                     (e.g. VAULTKIT_BIN=/bin/true to test this script's plumbing)
#   GEN_VAULT_BIN     prebuilt examples/gen_vault binary; when set, building it is skipped
#   CARGO_TARGET_DIR  honoured when locating cargo's build output
#
# Writes the Markdown table to stdout and to benches/results/graph_stats.md.
# See benches/README.md for what is measured and the targets.
set -euo pipefail
shopt -s inherit_errexit nullglob

readonly SEED=42
readonly SYNTHETIC_SIZES=(2000 20000)
# The vault the targets apply to, and the targets.
readonly TARGET_VAULT=synthetic-20k
readonly MAX_RATIO=3
readonly MAX_RSS_MB=80

# Prints the comment block at the top of this file.
usage() {
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
}

die() {
    echo "graph_stats.sh: $*" >&2
    exit 1
}

# --- arguments and environment ------------------------------------------------

QUICK=0
for arg in "$@"; do
    case "$arg" in
        --quick) QUICK=1 ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $arg" ;;
    esac
done

if ((QUICK)); then
    HYPERFINE_RUNS=(--warmup 1 --runs 3)
else
    HYPERFINE_RUNS=(--warmup 2 --runs 10)
fi

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$REPO/$TARGET_DIR" ;; esac
BENCH_DIR="${BENCH_DIR:-/tmp/vaultkit-bench}"
CORPORA="$REPO/../shared/corpora"
RESULTS_DIR="$REPO/benches/results"
RESULTS_FILE="$RESULTS_DIR/graph_stats.md"
JSON_DIR="$BENCH_DIR/json"
# Cold runs: `graph stats` uses an index only where there is one, so point it
# at a folder that never holds one (a vault may have its own `.vaultkit`).
export VAULTKIT_INDEX_DIR="$BENCH_DIR/no-index"
rm -rf -- "$VAULTKIT_INDEX_DIR"

# --- tools ----------------------------------------------------------------------

check_tools() {
    local missing=()
    command -v cargo >/dev/null || missing+=("cargo (https://rustup.rs)")
    command -v rg >/dev/null || missing+=("rg: apt-get install ripgrep")
    command -v hyperfine >/dev/null || missing+=("hyperfine: apt-get install hyperfine")
    command -v python3 >/dev/null || missing+=("python3: apt-get install python3")
    [[ -x /usr/bin/time ]] || missing+=("/usr/bin/time: apt-get install time")
    if ((${#missing[@]})); then
        echo "graph_stats.sh: missing tools:" >&2
        printf '  %s\n' "${missing[@]}" >&2
        echo "(Debian/Ubuntu: apt-get install ripgrep hyperfine time)" >&2
        exit 1
    fi
}

# --- building -------------------------------------------------------------------

# Sets VAULTKIT (the binary under test) and GEN_VAULT (the vault generator).
build() {
    if [[ -n "${VAULTKIT_BIN:-}" ]]; then
        VAULTKIT="$VAULTKIT_BIN"
        echo "Using VAULTKIT_BIN=$VAULTKIT (skipping cargo build --release)" >&2
    else
        echo "Building vaultkit (cargo build --release)..." >&2
        (cd "$REPO" && cargo build --release --quiet)
        VAULTKIT="$TARGET_DIR/release/vaultkit"
    fi
    [[ -x "$VAULTKIT" ]] || command -v "$VAULTKIT" >/dev/null || die "not executable: $VAULTKIT"

    if [[ -n "${GEN_VAULT_BIN:-}" ]]; then
        GEN_VAULT="$GEN_VAULT_BIN"
        echo "Using GEN_VAULT_BIN=$GEN_VAULT (skipping the generator's build)" >&2
    else
        echo "Building the vault generator (cargo build --release --example gen_vault)..." >&2
        (cd "$REPO" && cargo build --release --quiet --example gen_vault)
        GEN_VAULT="$TARGET_DIR/release/examples/gen_vault"
    fi
    [[ -x "$GEN_VAULT" ]] || die "not executable: $GEN_VAULT"
}

# --- vaults ---------------------------------------------------------------------

# Generates a synthetic vault of $1 notes into $2 unless one with the same
# parameters (notes, seed, generator source) is already there.
ensure_synthetic_vault() {
    local notes="$1" dir="$2"
    local stamp="$dir.params"
    local params
    params="notes=$notes seed=$SEED generator=$(sha256sum "$REPO/examples/gen_vault.rs" | cut -d' ' -f1)"
    if [[ -d "$dir" && -f "$stamp" && "$(cat "$stamp")" == "$params" ]]; then
        echo "Reusing $dir ($params)" >&2
        return
    fi
    rm -rf -- "$dir" "$stamp"
    echo "Generating $dir..." >&2
    "$GEN_VAULT" --notes "$notes" --seed "$SEED" --out "$dir"
    echo "$params" >"$stamp"
}

# Prints "NAME<TAB>DIR" for every vault to benchmark.
list_vaults() {
    local notes dir
    mkdir -p "$BENCH_DIR"
    for notes in "${SYNTHETIC_SIZES[@]}"; do
        dir="$BENCH_DIR/synthetic-$((notes / 1000))k"
        ensure_synthetic_vault "$notes" "$dir"
        printf 'synthetic-%dk\t%s\n' "$((notes / 1000))" "$dir"
    done
    if ((QUICK)); then
        echo "Skipping real corpora (--quick)" >&2
    elif [[ ! -d "$CORPORA" ]]; then
        echo "Skipping real corpora: $CORPORA not found" >&2
    else
        for dir in "$CORPORA"/*/; do
            dir="${dir%/}"
            printf '%s\t%s\n' "$(basename "$dir")" "$(cd "$dir" && pwd)"
        done
    fi
}

# --- measuring ------------------------------------------------------------------

# Prints the peak resident set size, in KB, of one run of the given command
# (its output discarded), or "failed" if it exits non-zero.
peak_rss_kb() {
    local out
    out="$(mktemp)"
    if /usr/bin/time -f '%M' -o "$out" "$@" </dev/null >/dev/null 2>"$out.err"; then
        tail -n 1 "$out"
    else
        echo "  command failed: $*" >&2
        sed 's/^/    /' "$out.err" | tail -n 5 >&2
        echo failed
    fi
    rm -f -- "$out" "$out.err"
}

# Benchmarks one vault and appends its table row to ROWS.
bench_vault() {
    local name="$1" dir="$2"
    local notes bytes vk_cmd rg_cmd vk_rss rg_rss json
    notes="$(find "$dir" -type f -name '*.md' | wc -l)"
    bytes="$(find "$dir" -type f -name '*.md' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')"
    echo "== $name: $notes notes in $dir" >&2

    vk_rss="$(peak_rss_kb "$VAULTKIT" --vault "$dir" graph stats)"
    rg_rss="$(peak_rss_kb rg --count-matches '\[\[' --glob '*.md' "$dir")"
    if [[ "$vk_rss" == failed || "$rg_rss" == failed ]]; then
        failed_row "$name" "$notes" "$bytes"
        return
    fi

    vk_cmd="$(shell_quote "$VAULTKIT") --vault $(shell_quote "$dir") graph stats"
    rg_cmd="rg --count-matches '\[\[' --glob '*.md' $(shell_quote "$dir")"
    json="$JSON_DIR/$name.json"
    # -N: no intermediate shell, so small vaults are not dominated by its noise.
    if ! hyperfine -N "${HYPERFINE_RUNS[@]}" --output null --export-json "$json" \
        --command-name vaultkit "$vk_cmd" --command-name rg "$rg_cmd" >&2 </dev/null; then
        failed_row "$name" "$notes" "$bytes"
        return
    fi
    ROWS+=("$(table_row "$name" "$notes" "$bytes" "$json" "$vk_rss" "$rg_rss")")
    if [[ "$name" == "$TARGET_VAULT" ]]; then
        VERDICT="$(target_verdict "$json" "$vk_rss")"
    fi
}

# Single-quotes $1 for a POSIX shell command line (and hyperfine -N).
shell_quote() {
    printf "'%s'" "${1//\'/\'\\\'\'}"
}

# Appends a row for a vault whose benchmark failed, and remembers the failure.
failed_row() {
    local name="$1" notes="$2" bytes="$3"
    FAILED=1
    ROWS+=("$(awk -v n="$name" -v c="$notes" -v b="$bytes" \
        'BEGIN { printf "| %s | %s | %.2f | failed | | | | |", n, c, b / 1e6 }')")
}

# Formats one Markdown table row from hyperfine's JSON and the RSS figures.
table_row() {
    python3 - "$@" <<'PY'
import json
import sys

name, notes, size, path, vk_rss, rg_rss = sys.argv[1:]
results = {r["command"]: r for r in json.load(open(path))["results"]}
vk, rg = results["vaultkit"], results["rg"]
ms = lambda seconds: f"{seconds * 1000:.1f}"
ratio = vk["mean"] / rg["mean"] if rg["mean"] > 0 else float("nan")
print(
    f"| {name} | {notes} | {int(size) / 1e6:.2f} "
    f"| {ms(vk['mean'])} ± {ms(vk['stddev'] or 0)} ms | {ms(rg['mean'])} ms "
    f"| {ratio:.2f}x | {int(vk_rss) / 1024:.1f} | {int(rg_rss) / 1024:.1f} |"
)
PY
}

# Prints whether the vault meets the targets (time ratio and peak RSS).
target_verdict() {
    python3 - "$@" "$MAX_RATIO" "$MAX_RSS_MB" <<'PY'
import json
import sys

path, vk_rss, max_ratio, max_rss = sys.argv[1:]
results = {r["command"]: r for r in json.load(open(path))["results"]}
ratio = results["vaultkit"]["mean"] / max(results["rg"]["mean"], 1e-9)
rss = int(vk_rss) / 1024
verdict = lambda ok: "PASS" if ok else "FAIL"
print(
    f"Targets: vaultkit/rg {ratio:.2f}x ≤ {max_ratio}x: {verdict(ratio <= float(max_ratio))}; "
    f"peak RSS {rss:.1f} MB < {max_rss} MB: {verdict(rss < float(max_rss))}"
)
PY
}

# --- report ---------------------------------------------------------------------

report_header() {
    local commit mode
    commit="$(git -C "$REPO" describe --always --dirty 2>/dev/null || echo none)"
    if ((QUICK)); then mode="quick: ${HYPERFINE_RUNS[*]}"; else mode="${HYPERFINE_RUNS[*]}"; fi
    echo "# graph stats benchmark"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit: $commit, hyperfine $mode"
    echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "- vaultkit: \`${VAULTKIT#"$REPO"/} --vault DIR graph stats\`; rg: \`rg --count-matches '\[\[' --glob '*.md' DIR\` ($(rg --version | head -n 1))"
    echo "- synthetic vaults: \`examples/gen_vault.rs --seed $SEED\`; targets for $TARGET_VAULT: ≤ ${MAX_RATIO}x rg, < $MAX_RSS_MB MB peak RSS"
    echo
    echo "| vault | notes | MB of Markdown | vaultkit mean ± σ | rg mean | vaultkit/rg | vaultkit peak RSS MB | rg peak RSS MB |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
}

main() {
    check_tools
    build
    mkdir -p "$JSON_DIR" "$RESULTS_DIR"
    local vaults line
    vaults="$(list_vaults)"
    FAILED=0
    ROWS=()
    VERDICT="Targets: $TARGET_VAULT was not measured"
    while IFS= read -r line; do
        bench_vault "${line%%$'\t'*}" "${line#*$'\t'}"
    done < <(printf '%s\n' "$vaults")
    echo >&2
    { report_header; printf '%s\n' "${ROWS[@]}"; echo; echo "$VERDICT"; } | tee "$RESULTS_FILE"
    echo >&2
    echo "Wrote $RESULTS_FILE (hyperfine JSON in $JSON_DIR)" >&2
    if ((FAILED)); then
        die "some commands failed; see the messages above"
    fi
}

main
