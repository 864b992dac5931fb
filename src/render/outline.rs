//! Outline formats: a Markdown note for the vault, OPML for outliners, and a
//! Mermaid flowchart. (JSON is [`super::json`].)

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{self, Write};

use super::graph::mermaid_text;
use crate::outline::lesson::{Lesson, NoteRef};
use crate::outline::{GapKind, Module, OUTLINE_TYPE, Outline};

/// The front-matter properties of the Markdown outline, as YAML values.
pub fn properties(outline: &Outline) -> Vec<(&'static str, String)> {
    vec![
        ("type", OUTLINE_TYPE.to_owned()),
        (
            "generated_from",
            serde_json::Value::from(outline.generated_from.as_str()).to_string(),
        ),
        ("lessons", outline.lessons.to_string()),
        ("modules", outline.modules.len().to_string()),
        ("minutes", outline.minutes.to_string()),
    ]
}

/// The Markdown outline: front matter, then [`markdown_body`].
pub fn markdown(out: &mut dyn Write, outline: &Outline) -> io::Result<()> {
    writeln!(out, "---")?;
    for (key, value) in properties(outline) {
        writeln!(out, "{key}: {value}")?;
    }
    writeln!(out, "---")?;
    out.write_all(markdown_body(outline).as_bytes())
}

/// The Markdown outline without front matter: the part kept between the
/// managed markers. Modules are headings, lessons wikilinks.
pub fn markdown_body(outline: &Outline) -> String {
    let mut lessons = Vec::new();
    for module in &outline.modules {
        collect_lessons(module, &mut lessons);
    }
    let mut md = Markdown {
        text: String::new(),
        position: lessons
            .iter()
            .enumerate()
            .map(|(i, l)| (l.path.as_str(), i))
            .collect(),
        known: outline.known.iter().map(|n| n.path.as_str()).collect(),
        root: outline.root.as_deref(),
    };
    md.line(&format!("# {}", plain(&outline.title)));
    if let Some(description) = &outline.description {
        md.line("");
        md.line(&plain(description));
    }
    md.line("");
    md.line(&format!(
        "{} in {}, about {} of reading.",
        count(outline.lessons, "lesson"),
        count(outline.modules.len(), "module"),
        count(outline.minutes as usize, "minute")
    ));
    for (i, module) in outline.modules.iter().enumerate() {
        md.module(module, &(i + 1).to_string(), 2);
    }
    if !outline.gaps.is_empty() {
        md.section("Gaps to write");
        for gap in &outline.gaps {
            let title = plain(&gap.title);
            let place = gap
                .link
                .as_deref()
                .map_or_else(|| format!("`{}`", gap.path), |l| format!("[[{l}]]"));
            md.line(&match gap.kind {
                GapKind::EmptyHeading => format!(
                    "- [ ] Module “{title}”: the heading {place} has no text and no lessons yet"
                ),
                GapKind::EmptyNote => format!("- [ ] Lesson {place}: the note has no text yet"),
                GapKind::Unresolved => format!(
                    "- [ ] Lesson “{title}”: linked from {place} (line {}), but no such note exists",
                    gap.line
                ),
            });
        }
    }
    if !outline.cycles.is_empty() {
        md.section("Prerequisite cycles");
        for cycle in &outline.cycles {
            let path: Vec<String> = cycle.path.iter().map(wikilink).collect();
            md.line(&format!(
                "- {}: {} is taught first",
                path.join(" → "),
                path[0]
            ));
        }
    }
    if !outline.known.is_empty() {
        md.section("Already known");
        for note in &outline.known {
            md.line(&format!("- {}", wikilink(note)));
        }
    }
    if !outline.attachments.is_empty() {
        md.section("Attachments");
        for path in &outline.attachments {
            md.line(&format!("- [[{path}]]"));
        }
    }
    md.text
}

/// The Markdown outline being written, and what lessons need to know about
/// the rest of the course.
struct Markdown<'o> {
    text: String,
    /// Each lesson's place in the course.
    position: HashMap<&'o str, usize>,
    /// Paths of the notes left out as known.
    known: HashSet<&'o str>,
    /// The root note's path.
    root: Option<&'o str>,
}

impl Markdown<'_> {
    fn line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
    }

    fn section(&mut self, title: &str) {
        self.line("");
        self.line(&format!("## {title}"));
        self.line("");
    }

    fn module(&mut self, module: &Module, number: &str, level: usize) {
        self.line("");
        self.line(&format!(
            "{} {} {} · {} min",
            "#".repeat(level.min(6)),
            label(number),
            plain(&module.title),
            module.minutes
        ));
        if module.to_write || !module.lessons.is_empty() {
            self.line("");
        }
        if module.to_write {
            self.line("*To write.*");
        }
        for lesson in &module.lessons {
            self.lesson(lesson);
        }
        for (i, sub) in module.modules.iter().enumerate() {
            self.module(sub, &format!("{number}.{}", i + 1), level + 1);
        }
    }

    fn lesson(&mut self, lesson: &Lesson) {
        let mut line = format!("- {} · {} min", lesson_link(lesson), lesson.minutes);
        if let Some(status) = &lesson.status {
            let _ = write!(line, " · {}", plain(status));
        }
        if let Some(description) = &lesson.description {
            let _ = write!(line, " — {}", plain(description));
        }
        self.line(&line);
        if !lesson.sections.is_empty() {
            let sections: Vec<String> = lesson.sections.iter().map(|s| plain(s)).collect();
            self.line(&format!("  - Sections: {}", sections.join(" · ")));
        }
        if !lesson.prerequisites.is_empty() {
            let here = self.position.get(lesson.path.as_str()).copied();
            let needs: Vec<String> = lesson
                .prerequisites
                .iter()
                .map(|p| {
                    let note = match self.position.get(p.path.as_str()) {
                        Some(&at) if Some(at) > here => " (comes later)",
                        Some(_) => "",
                        None if Some(p.path.as_str()) == self.root => "",
                        None if self.known.contains(p.path.as_str()) => " (known)",
                        None => " (not in this outline)",
                    };
                    format!("{}{note}", wikilink(p))
                })
                .collect();
            self.line(&format!("  - Needs: {}", needs.join(", ")));
        }
    }
}

/// `1.` for a module, `1.2` for a sub-module.
fn label(number: &str) -> String {
    if number.contains('.') {
        number.to_owned()
    } else {
        format!("{number}.")
    }
}

fn lesson_link(lesson: &Lesson) -> String {
    link_to(&lesson.link, &lesson.title)
}

fn wikilink(note: &NoteRef) -> String {
    link_to(&note.link, &note.title)
}

fn link_to(link: &str, title: &str) -> String {
    if link == title {
        format!("[[{link}]]")
    } else {
        format!("[[{link}|{title}]]")
    }
}

/// `n thing` or `n things`.
fn count(n: usize, thing: &str) -> String {
    match (n, thing) {
        (_, "min") | (1, _) => format!("{n} {thing}"),
        _ => format!("{n} {thing}s"),
    }
}

/// Text from notes, made inert in Markdown: no `#tags`, no `[[links]]`.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('#', Some(next)) if !next.is_whitespace() && *next != '#' => out.push_str("\\#"),
            ('[', Some('[')) | (']', Some(']')) => {
                out.push('\\');
                out.push(c);
            }
            ('\n' | '\r', _) => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// OPML 2.0: modules and lessons as nested outlines, gaps in their own branch.
pub fn opml(out: &mut dyn Write, outline: &Outline) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<opml version="2.0">"#)?;
    writeln!(out, "  <head>")?;
    writeln!(out, "    <title>{}</title>", super::xml(&outline.title))?;
    writeln!(out, "  </head>")?;
    writeln!(out, "  <body>")?;
    for (i, module) in outline.modules.iter().enumerate() {
        opml_module(out, module, &(i + 1).to_string(), 2)?;
    }
    if !outline.gaps.is_empty() {
        writeln!(out, r#"    <outline text="Gaps to write">"#)?;
        for gap in &outline.gaps {
            writeln!(
                out,
                r#"      <outline text="{}" _note="{} in {}, line {}"/>"#,
                super::xml(&gap.title),
                gap_kind(gap.kind),
                super::xml(&gap.path),
                gap.line
            )?;
        }
        writeln!(out, "    </outline>")?;
    }
    writeln!(out, "  </body>")?;
    writeln!(out, "</opml>")
}

fn opml_module(out: &mut dyn Write, module: &Module, number: &str, depth: usize) -> io::Result<()> {
    let indent = "  ".repeat(depth);
    writeln!(
        out,
        r#"{indent}<outline text="{} {} ({} min)">"#,
        super::xml(&label(number)),
        super::xml(&module.title),
        module.minutes
    )?;
    for lesson in &module.lessons {
        let note = lesson
            .description
            .as_deref()
            .map_or_else(String::new, |d| format!(r#" _note="{}""#, super::xml(d)));
        writeln!(
            out,
            r#"{indent}  <outline text="{} ({} min)" path="{}"{note}/>"#,
            super::xml(&lesson.title),
            lesson.minutes,
            super::xml(&lesson.path)
        )?;
    }
    for (i, sub) in module.modules.iter().enumerate() {
        opml_module(out, sub, &format!("{number}.{}", i + 1), depth + 1)?;
    }
    writeln!(out, "{indent}</outline>")
}

fn gap_kind(kind: GapKind) -> &'static str {
    match kind {
        GapKind::EmptyHeading => "empty heading",
        GapKind::EmptyNote => "empty note",
        GapKind::Unresolved => "missing note",
    }
}

/// A Mermaid flowchart: modules as subgraphs, lessons as nodes, arrows from
/// each prerequisite to the lesson that needs it.
pub fn mermaid(out: &mut dyn Write, outline: &Outline) -> io::Result<()> {
    writeln!(out, "flowchart TD")?;
    let mut ids: HashMap<&str, String> = HashMap::new();
    let mut counter = 0;
    for (i, module) in outline.modules.iter().enumerate() {
        mermaid_module(out, module, &(i + 1).to_string(), 1, &mut ids, &mut counter)?;
    }
    let mut lessons = Vec::new();
    for module in &outline.modules {
        collect_lessons(module, &mut lessons);
    }
    for lesson in lessons {
        for prerequisite in &lesson.prerequisites {
            if let Some(from) = ids.get(prerequisite.path.as_str()) {
                writeln!(out, "  {from} --> {}", ids[lesson.path.as_str()])?;
            }
        }
    }
    Ok(())
}

fn mermaid_module<'o>(
    out: &mut dyn Write,
    module: &'o Module,
    number: &str,
    depth: usize,
    ids: &mut HashMap<&'o str, String>,
    counter: &mut usize,
) -> io::Result<()> {
    let indent = "  ".repeat(depth);
    let id = format!("m{}", number.replace('.', "_"));
    writeln!(
        out,
        "{indent}subgraph {id}[\"{} {} · {} min\"]",
        label(number),
        mermaid_text(&module.title),
        module.minutes
    )?;
    if module.to_write {
        writeln!(out, "{indent}  {id}_gap[\"to write\"]")?;
    }
    for lesson in &module.lessons {
        *counter += 1;
        let node = format!("l{counter}");
        writeln!(
            out,
            "{indent}  {node}[\"{} · {} min\"]",
            mermaid_text(&lesson.title),
            lesson.minutes
        )?;
        ids.insert(&lesson.path, node);
    }
    for (i, sub) in module.modules.iter().enumerate() {
        mermaid_module(
            out,
            sub,
            &format!("{number}.{}", i + 1),
            depth + 1,
            ids,
            counter,
        )?;
    }
    writeln!(out, "{indent}end")
}

fn collect_lessons<'o>(module: &'o Module, lessons: &mut Vec<&'o Lesson>) {
    lessons.extend(&module.lessons);
    for sub in &module.modules {
        collect_lessons(sub, lessons);
    }
}
