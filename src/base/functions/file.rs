//! Files: `asLink`, `hasLink`, `hasProperty`, `hasTag`, `inFolder`.

use super::{Signature, sig, text_arg, variadic};
use crate::base::eval::{Evaluated, Evaluator, Scope, link_to};
use crate::base::expr::Node;
use crate::base::value::Value;
use crate::vault::{FileId, resolve};

pub const FUNCTIONS: &[Signature] = &[
    sig("asLink", 0, 1),
    sig("hasLink", 1, 1),
    sig("hasProperty", 1, 1),
    variadic("hasTag", 1),
    sig("inFolder", 1, 1),
];

pub fn call(
    ev: &Evaluator<'_, '_>,
    scope: &Scope<'_>,
    receiver: &Value,
    name: &str,
    args: &[Node],
) -> Option<Evaluated> {
    let Value::File(file) = *receiver else {
        return None;
    };
    if !FUNCTIONS.iter().any(|s| s.name == name) {
        return None;
    }
    let args = match ev.all(args, scope) {
        Ok(args) => args,
        Err(err) => return Some(Err(err)),
    };
    let vault = ev.vault();
    Some(Ok(match name {
        "asLink" => {
            let mut link = link_to(vault, file);
            link.display = args.first().map(|d| d.text(vault));
            Value::link(link)
        }
        "hasLink" => Value::Bool(links_to(ev, file, &args[0])),
        "hasProperty" => {
            let wanted = match text_arg(&args[0], name) {
                Ok(wanted) => wanted,
                Err(err) => return Some(Err(err)),
            };
            Value::Bool(match file {
                FileId::Note(id) => {
                    ev.with_front(id, |front| front.properties.iter().any(|p| p.key == wanted))
                }
                FileId::Attachment(_) => false,
            })
        }
        "hasTag" => {
            let FileId::Note(id) = file else {
                return Some(Ok(Value::Bool(false)));
            };
            let wanted: Vec<String> = args
                .iter()
                .map(|t| t.text(vault).trim_start_matches('#').to_lowercase())
                .collect();
            Value::Bool(ev.with_front(id, |front| {
                front.tags.iter().any(|tag| {
                    let tag = tag.name.to_lowercase();
                    wanted.iter().any(|w| {
                        tag == *w
                            || (tag.starts_with(w.as_str()) && tag[w.len()..].starts_with('/'))
                    })
                })
            }))
        }
        "inFolder" => {
            let folder = args[0].text(vault);
            let folder = folder.trim_matches('/');
            let path = vault.file_path(file);
            Value::Bool(
                folder.is_empty()
                    || path
                        .strip_prefix(folder)
                        .is_some_and(|rest| rest.starts_with('/')),
            )
        }
        _ => unreachable!("checked against FUNCTIONS"),
    }))
}

/// Whether the note `file` has a link to `other` (a file, a link or a
/// path): to the file it resolves to, or, when it resolves to none, a link
/// written with the same target.
pub fn links_to(ev: &Evaluator<'_, '_>, file: FileId, other: &Value) -> bool {
    let FileId::Note(id) = file else {
        return false;
    };
    let vault = ev.vault();
    let (target, text) = match other {
        Value::File(target) => (Some(*target), None),
        Value::Link(link) => (link.file, Some(link.target.clone())),
        Value::String(text) => {
            let link = ev.wikilink(text, ev.source_path());
            let target = link
                .as_ref()
                .map_or_else(|| vault.resolve(text, ev.source_path()), |link| link.file);
            (
                target,
                Some(link.map_or_else(|| text.clone(), |l| l.target)),
            )
        }
        _ => return false,
    };
    match (target, text) {
        (Some(target), _) => vault
            .resolutions(id)
            .iter()
            .any(|r| r.target == Some(target)),
        (None, Some(text)) => {
            let wanted = resolve::fold(&text);
            vault
                .links_of(id)
                .any(|(link, r)| r.target.is_none() && resolve::fold(&link.target) == wanted)
        }
        (None, None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::eval_in;
    use crate::base::value::Value;

    fn dune(text: &str) -> Value {
        eval_in(Some("Books/Dune.md"), text).unwrap_or_else(|err| panic!("{text}: {err}"))
    }

    #[test]
    fn file_fields() {
        let s = |t: &str| Value::String(t.to_owned());
        assert_eq!(dune("file.name"), s("Dune.md"));
        assert_eq!(dune("file.basename"), s("Dune"));
        assert_eq!(dune("file.path"), s("Books/Dune.md"));
        assert_eq!(dune("file.folder"), s("Books"));
        assert_eq!(dune("file.ext"), s("md"));
        assert_eq!(
            dune("file.tags"),
            Value::List(vec![s("#book"), s("#scifi/classic"), s("#fiction")])
        );
        assert_eq!(dune("file.links.length"), Value::Number(2.0));
        assert_eq!(dune("file.embeds[0].asFile().name"), s("cover.png"));
        assert_eq!(
            dune("file.backlinks[0].asFile().name"),
            s("Frank Herbert.md")
        );
        assert_eq!(dune("file.properties.price"), Value::Number(9.5));
        assert_eq!(dune("file.file == file"), Value::Bool(true));
        assert_eq!(dune("created.year"), Value::Number(2024.0));
        // Sizes and times come from the caller; none were given.
        assert_eq!(dune("file.size"), Value::Null);
    }

    #[test]
    fn file_functions() {
        let yes = Value::Bool(true);
        let no = Value::Bool(false);
        assert_eq!(dune("file.hasTag(\"book\")"), yes);
        assert_eq!(dune("file.hasTag(\"scifi\")"), yes);
        assert_eq!(dune("file.hasTag(\"sci\")"), no);
        assert_eq!(dune("file.hasTag(\"x\", \"#FICTION\")"), yes);
        assert_eq!(dune("file.hasLink(\"Frank Herbert\")"), yes);
        assert_eq!(dune("file.hasLink(file(\"cover.png\"))"), yes);
        assert_eq!(dune("file.hasLink(\"Textbook\")"), no);
        assert_eq!(dune("file.hasProperty(\"price\")"), yes);
        assert_eq!(dune("file.hasProperty(\"cost\")"), no);
        assert_eq!(dune("file.inFolder(\"Books\")"), yes);
        assert_eq!(dune("file.inFolder(\"Book\")"), no);
        assert_eq!(
            dune("file.asLink().toString()"),
            Value::String("Books/Dune".into())
        );
        assert_eq!(dune("file.asLink(\"D\") == file"), yes);
        assert_eq!(dune("author.asFile().born"), Value::Number(1920.0));
    }
}
