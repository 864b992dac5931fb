//! Human output for `tags`: nested tags as an indented tree with note counts.

use std::io::{self, Write};

use super::Palette;
use crate::report::TagNode;

/// Writes the tag tree, one tag per line: count, then the indented `#tag`.
pub fn tree(out: &mut dyn Write, tags: &[TagNode], palette: Palette) -> io::Result<()> {
    let width = tags
        .iter()
        .map(|t| t.count)
        .max()
        .unwrap_or(0)
        .to_string()
        .len();
    write_level(out, tags, 0, width, palette)
}

fn write_level(
    out: &mut dyn Write,
    tags: &[TagNode],
    depth: usize,
    width: usize,
    palette: Palette,
) -> io::Result<()> {
    for tag in tags {
        let indent = "  ".repeat(depth);
        writeln!(
            out,
            "{:>width$}  {indent}{}",
            tag.count,
            palette.tag(format!("#{}", tag.name))
        )?;
        write_level(out, &tag.children, depth + 1, width, palette)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_tags_are_indented_under_their_parent() {
        let tags = [TagNode {
            name: "area".into(),
            count: 12,
            children: vec![TagNode {
                name: "area/web".into(),
                count: 3,
                children: Vec::new(),
            }],
        }];
        let mut out = Vec::new();
        tree(&mut out, &tags, Palette::new(false)).expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "12  #area\n 3    #area/web\n"
        );
    }
}
