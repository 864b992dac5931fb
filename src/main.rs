//! The `vaultkit` binary: parse arguments, run the command, turn the outcome
//! into an exit code (0 ok, 1 findings, 2 errors) in exactly one place.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", describe(&err));
            ExitCode::from(2)
        }
    }
}

/// `vaultkit ... | head` closing the pipe early is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The error and its causes, `: `-separated, leaving out a cause that the
/// text before it already ends with (a library error that shows its source,
/// or a context that quotes it), so no cause is said twice.
fn describe(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain() {
        let part = cause.to_string();
        if text.ends_with(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_already_shown_is_not_repeated() {
        let io = std::io::Error::other("disk on fire");
        let err =
            anyhow::Error::new(vaultkit::error::Error::io("/x/y", io)).context("cannot index");
        assert_eq!(describe(&err), "cannot index: /x/y: disk on fire");
        let err = anyhow::anyhow!("root cause").context("outer");
        assert_eq!(describe(&err), "outer: root cause");
    }
}
