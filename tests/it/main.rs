//! One integration test binary: every test runs the real `vaultkit` binary on
//! a fixture vault under `tests/fixtures/<scenario>/` and checks its output.

mod util;

mod bases;
mod bases_corpus;
mod cli;
mod concurrency;
mod corpora;
mod docs;
mod edge_cases;
mod faults;
mod formats;
mod fuzz_regressions;
mod lint;
mod lsp;
mod mv;
mod outline;
mod props;
mod reference;
mod safety;
mod schemas;
mod search;
