//! A refactoring's plan: as a dry run (moves, then a unified diff of every
//! edit) and as JSON (`{"moves":[…],"edits":[…]}`, docs/json.md).

use std::io::{self, Write};

use serde::Serialize;

use crate::refactor::plan::{Move, Plan, ShownEdit};

/// The moves, one `FROM -> TO` line each, then the diff of every edit.
pub fn dry_run(out: &mut dyn Write, plan: &Plan) -> io::Result<()> {
    for step in &plan.moves {
        writeln!(out, "move {} -> {}", step.from, step.to)?;
    }
    for edit in &plan.edits {
        super::diff(out, &edit.path, &edit.before, &edit.after)?;
    }
    Ok(())
}

/// The plan as JSON.
pub fn json(out: &mut dyn Write, plan: &Plan) -> io::Result<()> {
    #[derive(Serialize)]
    struct Shown<'a> {
        moves: &'a [Move],
        edits: Vec<ShownEdit<'a>>,
    }
    super::json(
        out,
        &Shown {
            moves: &plan.moves,
            edits: plan.shown_edits(),
        },
    )
}
