# Shared by the benchmark scripts: sourced, not run.
#
# Sets REPO, TARGET_DIR, BENCH_DIR and RUNS; `bench_args "$@"` reads --quick;
# `bench_build` sets VK (the vaultkit binary) and GEN_VAULT (the generator);
# `synthetic_vault NOTES` prints the folder of a generated vault, making it
# first unless one with the same notes, seed and generator source is there
# (the same stamp benches/graph_stats.sh uses).

readonly SEED=42
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$REPO/$TARGET_DIR" ;; esac
BENCH_DIR="${BENCH_DIR:-/tmp/vaultkit-bench}"
RUNS=(--warmup 2 --runs 10)
QUICK=0

# Reads the script's arguments (only --quick); prints the script's header comment otherwise.
bench_args() {
    case "${1:-}" in
        --quick) RUNS=(--warmup 1 --runs 3); QUICK=1 ;;
        "") ;;
        *) sed -n '2,/^set /{/^set /d;/^source /d;s/^# \{0,1\}//;p}' "$0" >&2; exit 1 ;;
    esac
    local tool
    for tool in cargo rg hyperfine python3; do
        command -v "$tool" >/dev/null || { echo "$0: $tool is missing (apt-get install ripgrep hyperfine python3)" >&2; exit 1; }
    done
    [[ -x /usr/bin/time ]] || { echo "$0: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
    mkdir -p "$BENCH_DIR/json" "$REPO/benches/results"
}

# Builds (unless VAULTKIT_BIN / GEN_VAULT_BIN are given) and sets VK and GEN_VAULT.
bench_build() {
    if [[ -z "${VAULTKIT_BIN:-}" ]]; then
        (cd "$REPO" && cargo build --release --quiet)
    fi
    VK="${VAULTKIT_BIN:-$TARGET_DIR/release/vaultkit}"
    if [[ -z "${GEN_VAULT_BIN:-}" ]]; then
        (cd "$REPO" && cargo build --release --quiet --example gen_vault)
    fi
    GEN_VAULT="${GEN_VAULT_BIN:-$TARGET_DIR/release/examples/gen_vault}"
}

synthetic_vault() {
    local notes="$1" dir="$BENCH_DIR/synthetic-$(($1 / 1000))k" params
    params="notes=$notes seed=$SEED generator=$(sha256sum "$REPO/examples/gen_vault.rs" | cut -d' ' -f1)"
    if [[ ! -d "$dir" || "$(cat "$dir.params" 2>/dev/null)" != "$params" ]]; then
        rm -rf -- "$dir" "$dir.params"
        "$GEN_VAULT" --notes "$notes" --seed "$SEED" --out "$dir" >&2
        echo "$params" >"$dir.params"
    fi
    echo "$dir"
}
