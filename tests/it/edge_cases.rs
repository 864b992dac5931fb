//! The edge cases of section 8 of `obsidian-semantics.md` (input → Obsidian's
//! behaviour), one fixture vault per behaviour under `tests/fixtures/<scenario>/`.
//! Each test runs the real binary and checks exact values in its JSON.

use std::path::Path;

use serde_json::{Value, json as value};

use crate::util::{fixture, json, resolved_links, vaultkit};

/// `links NOTE --format json` on a fixture vault.
fn links(vault: &str, note: &str) -> Vec<Value> {
    links_in(&fixture(vault), note)
}

fn links_in(vault: &Path, note: &str) -> Vec<Value> {
    match json(vault, &["links", note, "--format", "json"]) {
        Value::Array(links) => links,
        other => panic!("links is not a list: {other}"),
    }
}

/// `show NOTE --format json` on a fixture vault.
fn show(vault: &str, note: &str) -> Value {
    json(&fixture(vault), &["show", note, "--format", "json"])
}

/// `graph stats --format json` on a fixture vault.
fn stats(vault: &str) -> Value {
    stats_of(&fixture(vault))
}

fn stats_of(vault: &Path) -> Value {
    json(vault, &["graph", "stats", "--format", "json"])
}

/// The one link written exactly as `raw`.
fn link<'a>(links: &'a [Value], raw: &str) -> &'a Value {
    let mut found = links.iter().filter(|l| l["raw"] == raw);
    let first = found
        .next()
        .unwrap_or_else(|| panic!("no link {raw} in {links:?}"));
    assert!(found.next().is_none(), "{raw} is written more than once");
    first
}

/// `(raw, resolved)` of every link, in order.
fn resolved(links: &[Value]) -> Vec<(&str, Option<&str>)> {
    links
        .iter()
        .map(|l| (l["raw"].as_str().expect("raw"), l["resolved"].as_str()))
        .collect()
}

/// `(raw, anchor)` of every link, in order.
fn anchors(links: &[Value]) -> Vec<(&str, Option<&str>)> {
    links
        .iter()
        .map(|l| (l["raw"].as_str().expect("raw"), l["anchor"].as_str()))
        .collect()
}

/// Runs vaultkit, expects exit code 0, and returns its stderr.
fn stderr_of(vault: &Path, args: &[&str]) -> String {
    let output = vaultkit(vault, args).output().expect("vaultkit runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stderr).expect("stderr is UTF-8")
}

// --- Resolution (section 2) ---------------------------------------------------

/// Edge case 1: `Note.md` and `a/Note.md` exist; `[[Note]]` in `a/src.md` goes to
/// the root `Note.md`: an exact vault path beats the source's own folder.
#[test]
fn exact_vault_path_beats_same_folder() {
    let vault = fixture("resolve-exact-path-beats-same-folder");
    assert_eq!(
        resolved_links(&vault, "a/src.md"),
        [("[[Note]]".to_owned(), Some("Note.md".to_owned()))]
    );
    assert_eq!(links_in(&vault, "a/src.md")[0]["candidates"], Value::Null);
}

/// Edge case 2: `a/Note.md` and `b/c/Note.md`; `[[Note]]` in `a/src.md` goes to
/// `a/Note.md` (same folder wins).
#[test]
fn same_folder_wins() {
    let links = links("resolve-same-folder", "a/src.md");
    assert_eq!(resolved(&links), [("[[Note]]", Some("a/Note.md"))]);
}

/// Edge case 3: `zzzz/Note.md` and `a/b/Note.md`; `[[Note]]` in the root note goes
/// to `a/b/Note.md`: the shortest path string wins, not the fewest folders.
#[test]
fn shortest_path_string_wins() {
    let links = links("resolve-shortest-path", "src.md");
    assert_eq!(resolved(&links), [("[[Note]]", Some("a/b/Note.md"))]);
}

/// Edge case 4: `zzzz/Note.md` and `b/Note.md`; `[[Note]]` in `zzzz/deep/src.md`
/// goes to `b/Note.md`: an ancestor folder earns nothing.
#[test]
fn ancestor_folder_earns_nothing() {
    let links = links("resolve-ancestor-folder-earns-nothing", "zzzz/deep/src.md");
    assert_eq!(resolved(&links), [("[[Note]]", Some("b/Note.md"))]);
}

/// Edge cases 5 and 6: `[[log]]` and `[[LOG]]` go to `Log.md`; `[[Ext.MD]]` goes
/// to `Ext.md` (names and the extension match case-insensitively).
#[test]
fn names_and_extensions_match_case_insensitively() {
    let links = links("resolve-case-insensitive", "src.md");
    assert_eq!(
        resolved(&links),
        [
            ("[[log]]", Some("Log.md")),
            ("[[LOG]]", Some("Log.md")),
            ("[[Ext.MD]]", Some("Ext.md")),
        ]
    );
    assert_eq!(link(&links, "[[Ext.MD]]")["target"], "Ext.MD");
}

/// Edge case 7: only `x/y/note.md`; `[[y/note]]` matches it by path suffix.
#[test]
fn partial_path_matches_by_suffix() {
    let links = links("resolve-path-suffix", "src.md");
    assert_eq!(resolved(&links), [("[[y/note]]", Some("x/y/note.md"))]);
}

/// Edge case 8: `[[../c/note]]` in `a/b/src.md` resolves relative to the source,
/// to `a/c/note.md`, not to the root `c/note.md`; a Markdown link too.
#[test]
fn dot_dot_resolves_relative_to_the_source() {
    let links = links("resolve-relative", "a/b/src.md");
    assert_eq!(
        resolved(&links),
        [
            ("[[../c/note]]", Some("a/c/note.md")),
            ("[relative](../c/note.md)", Some("a/c/note.md")),
        ]
    );
}

/// Edge case 9: a note with `aliases: [AI]`; `[[AI]]` and `[[ai]]` stay
/// unresolved; `[[Artificial Intelligence|AI]]` resolves.
#[test]
fn aliases_do_not_resolve_links() {
    let links = links("alias-does-not-resolve", "src.md");
    assert_eq!(
        resolved(&links),
        [
            ("[[AI]]", None),
            ("[[ai]]", None),
            (
                "[[Artificial Intelligence|AI]]",
                Some("Artificial Intelligence.md")
            ),
        ]
    );
    // Each unresolved one names the note whose alias it is, as a hint.
    assert_eq!(links[0]["alias_of"], "Artificial Intelligence.md");
    assert_eq!(links[1]["alias_of"], "Artificial Intelligence.md");
    assert!(links[2].get("alias_of").is_none());
    vaultkit(&fixture("alias-does-not-resolve"), &["links", "src.md"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "unresolved (an alias of Artificial Intelligence.md: aliases do not resolve links; write [[Artificial Intelligence|AI]])",
        ));
    let stats = stats("alias-does-not-resolve");
    assert_eq!(stats["unresolved_links"], 2);
    // The alias is still known as an alias.
    let note = show("alias-does-not-resolve", "Artificial Intelligence");
    assert_eq!(note["aliases"], value!(["AI"]));
}

/// Edge case 10: `[[#Some heading]]` (and `[[#^id]]`) in `n.md` is a resolved
/// self-edge `n.md → n.md`.
#[test]
fn same_note_heading_link_is_a_self_edge() {
    let links = links("self-heading-link", "n.md");
    assert_eq!(
        resolved(&links),
        [
            ("[[#Some heading]]", Some("n.md")),
            ("[[#^here]]", Some("n.md")),
        ]
    );
    assert_eq!(
        anchors(&links),
        [
            ("[[#Some heading]]", Some("found")),
            ("[[#^here]]", Some("found"))
        ]
    );
    let heading = link(&links, "[[#Some heading]]");
    assert_eq!(heading["target"], "");
    assert_eq!(heading["heading"], "Some heading");
    assert_eq!(link(&links, "[[#^here]]")["block"], "here");

    let graph = json(
        &fixture("self-heading-link"),
        &["graph", "--format", "json"],
    );
    let self_edges = graph["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter(|e| e["source"] == "n.md" && e["target"] == "n.md")
        .count();
    assert_eq!(self_edges, 2);
}

/// Edge cases 11 and 12: `[[https://example.com]]` is an unresolved note link,
/// not an external URL; `[[Sq]uare]]` is one link to `Sq]uare`.
#[test]
fn odd_wikilink_targets() {
    let note = show("wikilink-odd-targets", "src");
    let links = note["links"].as_array().expect("links");
    assert_eq!(
        resolved(links),
        [("[[https://example.com]]", None), ("[[Sq]uare]]", None)]
    );
    let url = link(links, "[[https://example.com]]");
    assert_eq!(url["target"], "https://example.com");
    assert_eq!(url["kind"], "wiki");
    assert_eq!(note["external"], value!([]));
    let square = link(links, "[[Sq]uare]]");
    assert_eq!(square["target"], "Sq]uare");
    assert_eq!(square["column"], 63);
}

// --- Markdown links and attachments -------------------------------------------

/// Edge case 13: only `Sub/My Note.md` at that depth; `[y](My%20Note.md)` in the
/// root note is percent-decoded and resolved vault-wide to `Sub/My Note.md`.
#[test]
fn markdown_link_is_decoded_and_resolved_vault_wide() {
    let links = links("markdown-links", "src.md");
    let encoded = link(&links, "[y](My%20Note.md)");
    assert_eq!(encoded["kind"], "markdown");
    assert_eq!(encoded["target"], "My Note.md");
    assert_eq!(encoded["display"], "y");
    assert_eq!(encoded["resolved"], "Sub/My Note.md");
}

/// Edge case 14: `[z](Sub/My%20Note.md)` in `Sub/x.md` is a vault path first: it
/// goes to `Sub/My Note.md`, not to `Sub/Sub/My Note.md` (which also exists).
#[test]
fn markdown_link_path_is_a_vault_path_first() {
    let links = links("markdown-links", "Sub/x.md");
    assert_eq!(
        resolved(&links),
        [("[z](Sub/My%20Note.md)", Some("Sub/My Note.md"))]
    );
}

/// Edge case 15: `[t](My Note.md)` (raw space) is not a link;
/// `[t](<My Note.md>)` is.
#[test]
fn raw_space_is_not_a_link_but_angle_brackets_are() {
    let note = show("markdown-links", "src");
    let links = note["links"].as_array().expect("links");
    assert!(
        links
            .iter()
            .all(|l| l["raw"] != "[t](My Note.md)" && l["line"] != 2),
        "{links:?}"
    );
    assert_eq!(note["external"], value!([]));
    let angle = link(links, "[t](<My Note.md>)");
    assert_eq!(angle["target"], "My Note.md");
    assert_eq!(angle["resolved"], "Sub/My Note.md");
    assert_eq!(
        (&angle["line"], &angle["column"]),
        (&value!(3), &value!(17))
    );
}

/// Edge case 16: `[t](Note)` (no `.md`) resolves like `[[Note]]`.
#[test]
fn markdown_link_without_extension_is_like_a_wikilink() {
    let links = links("markdown-links", "src.md");
    assert_eq!(link(&links, "[t](Note)")["resolved"], "notes/Note.md");
    assert_eq!(link(&links, "[[Note]]")["resolved"], "notes/Note.md");
}

/// Edge case 17: only `Figure 1.png`; `[[Figure 1]]` is unresolved and
/// `[[Figure 1.png]]` resolves. Likewise `[[Report]]` never means `Report.pdf`.
#[test]
fn attachment_links_need_the_extension() {
    let links = links("attachment-needs-extension", "src.md");
    assert_eq!(
        resolved(&links),
        [
            ("[[Figure 1]]", None),
            ("[[Figure 1.png]]", Some("Figure 1.png")),
            ("[[Report]]", None),
        ]
    );
}

/// Edge cases 18 and 45: `![[img.png|100x200]]` embeds `img.png` and the size is
/// not display text; `![[Doc.pdf#page=3]]` embeds `Doc.pdf` and `page=3` is not
/// a heading.
#[test]
fn embed_sizes_and_pdf_pages() {
    let links = links("embeds", "src.md");
    assert_eq!(
        resolved(&links),
        [
            ("![[img.png|100x200]]", Some("img.png")),
            ("![[img.png|100]]", Some("img.png")),
            ("![[Doc.pdf#page=3]]", Some("Doc.pdf")),
        ]
    );
    for embed in &links {
        assert_eq!(embed["kind"], "embed", "{embed}");
        assert_eq!(embed["display"], Value::Null, "{embed}");
        assert_eq!(embed["heading"], Value::Null, "{embed}");
        assert_eq!(embed["block"], Value::Null, "{embed}");
        assert_eq!(embed["anchor"], Value::Null, "{embed}");
    }
    assert_eq!(link(&links, "![[Doc.pdf#page=3]]")["target"], "Doc.pdf");
    assert_eq!(stats("embeds")["broken_anchors"], 0);
}

/// Edge case 19: in a table cell `[[Note\|Alias]]` has target `Note` and display
/// `Alias`; `![[img.png\|200]]` is an embed with a size.
#[test]
fn escaped_pipe_in_a_table_cell() {
    let links = links("table-escaped-pipe", "src.md");
    let alias = link(&links, r"[[Note\|Alias]]");
    assert_eq!(alias["target"], "Note");
    assert_eq!(alias["display"], "Alias");
    assert_eq!(alias["resolved"], "Note.md");
    assert_eq!((&alias["line"], &alias["column"]), (&value!(3), &value!(3)));
    let image = link(&links, r"![[img.png\|200]]");
    assert_eq!(image["kind"], "embed");
    assert_eq!(image["target"], "img.png");
    assert_eq!(image["display"], Value::Null);
    assert_eq!(image["resolved"], "img.png");
}

// --- Headings and block ids (sections 2.1, 2.2) -------------------------------

/// Edge cases 20–23: punctuation in headings becomes spaces, `#Parent#Child`
/// walks the heading tree, and a missing heading still resolves the file but
/// leaves a dangling anchor. Heading links also match case-insensitively (§10).
#[test]
fn heading_links_are_normalised() {
    let own = links("heading-normalisation", "n.md");
    assert_eq!(
        anchors(&own),
        [("[[#Minecraft The Video Game]]", Some("found"))]
    );

    let links = links("heading-normalisation", "src.md");
    assert_eq!(
        anchors(&links),
        [
            ("[[n#wifi 2 4 vs 5 0]]", Some("found")),
            ("[[n#Parent#Child]]", Some("found")),
            ("[[n#Other#Child]]", Some("missing")),
            ("[[n#Missing heading]]", Some("missing")),
            ("[[n#minecraft the video game]]", Some("found")),
        ]
    );
    assert!(links.iter().all(|l| l["resolved"] == "n.md"), "{links:?}");
    assert_eq!(
        link(&links, "[[n#Parent#Child]]")["heading"],
        "Parent#Child"
    );
    assert_eq!(
        link(&links, "[[n#Missing heading]]")["heading"],
        "Missing heading"
    );

    let stats = stats("heading-normalisation");
    assert_eq!(stats["unresolved_links"], 0);
    assert_eq!(stats["broken_anchors"], 2);
}

/// Edge cases 24–27: `^my-id` is a block id, `^my_id` (underscore) and `text^abc`
/// (no space) are not; `^quote-id` on its own line names the quote; an id inside
/// a table cell or a callout line is not linkable. A list item's id and an id
/// right after an embed (§10) are.
#[test]
fn block_ids() {
    let links = links("block-ids", "src.md");
    assert_eq!(
        anchors(&links),
        [
            ("[[n#^my_id]]", Some("missing")),
            ("[[n#^my-id]]", Some("found")),
            ("[[n#^abc]]", Some("missing")),
            ("[[n#^quote-id]]", Some("found")),
            ("[[n#^cell-id]]", Some("missing")),
            ("[[n#^callout-id]]", Some("missing")),
            ("[[n#^item-id]]", Some("found")),
            ("[[n#^embed-id]]", Some("found")),
        ]
    );
    assert!(links.iter().all(|l| l["resolved"] == "n.md"), "{links:?}");
    let dashed = link(&links, "[[n#^my-id]]");
    assert_eq!(dashed["block"], "my-id");
    assert_eq!(dashed["heading"], Value::Null);
    assert_eq!(stats("block-ids")["broken_anchors"], 4);
}

// --- Tags (section 3) ---------------------------------------------------------

/// Edge cases 28–32 and 34–36: which `#words` in the body are tags.
#[test]
fn body_tags() {
    let note = show("tags-body", "n");
    assert_eq!(
        note["tags"],
        value!([
            "y1984",      // 28: `#1984` is not a tag, `#y1984` is
            "2024/notes", // 28: contains a non-digit
            "Case",       // 29: `#Case` and `#case` are one tag, first spelling kept
            "dot",        // 30: `#dot.` stops at the dot
            "comma",      // 30: `#comma,`
            "a",          // 30: `#a—b` stops at the em dash
            "日本語",     // 31
            "café",       // 31
            "🚀idea",     // 31
            // 32: nothing from `foo#bar` or `https://x.com/#frag`
            // 34: nothing from `\#escaped`
            "topic",      // 35: a tag inside a heading
            "line-start", // 36: `#tag` at line start is a tag
        ])
    );
    // 35 and 36: `## Heading #topic` is a heading; `#line-start` is not; `# heading` is.
    assert_eq!(
        note["headings"],
        value!([
            {"level": 2, "text": "Heading #topic", "line": 13},
            {"level": 1, "text": "heading", "line": 17},
        ])
    );
    // 32: the URL stays an external link with its fragment.
    assert_eq!(
        note["external"],
        value!([{"url": "https://x.com/#frag", "line": 9, "column": 23}])
    );
}

/// Edge case 29: across the vault, `#Case` and `#case` count as one tag.
#[test]
fn tags_differing_in_case_are_one_tag() {
    let tags = json(&fixture("tags-body"), &["tags", "--format", "json"]);
    let case: Vec<&Value> = tags["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .filter(|t| {
            t["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case("case"))
        })
        .collect();
    assert_eq!(
        case,
        [&value!({"name": "Case", "count": 1, "children": []})]
    );
}

/// Edge cases 37, 38 and 40: front-matter tags.
#[test]
fn front_matter_tags() {
    let tags = |note: &str| show("tags-frontmatter", note)["tags"].clone();
    // 37: flow list, block list and quoted `#a` are all tags without `#`.
    assert_eq!(tags("flow"), value!(["a", "b"]));
    assert_eq!(tags("block"), value!(["a", "b"]));
    assert_eq!(tags("quoted"), value!(["a"]));
    // 37: an unquoted `- #a` is a YAML comment: a null item, no tag.
    assert_eq!(tags("comment"), value!([]));
    assert_eq!(
        show("tags-frontmatter", "comment")["properties"],
        value!({"tags": [null]})
    );
    // 38: legacy forms are version-dependent. vaultkit's choice: a string is
    // split on commas and spaces, the singular `tag` is not read; both warn.
    assert_eq!(tags("string"), value!(["a", "b"]));
    assert_eq!(tags("singular"), value!([]));
    // 40: `flow.md` also has `title: "#notatag"`: a `#` in a text property
    // makes no tag, so its tags are exactly `a` and `b`.
    assert_eq!(
        show("tags-frontmatter", "flow")["properties"],
        value!({"title": "#notatag", "tags": ["a", "b"]})
    );

    let stderr = stderr_of(
        &fixture("tags-frontmatter"),
        &["-v", "graph", "stats", "--format", "json"],
    );
    for expected in [
        "warning: comment.md:3:5: ",
        "warning: string.md:2:1: ",
        "warning: singular.md:2:1: ",
    ] {
        let line = stderr
            .lines()
            .find(|l| l.starts_with(expected))
            .unwrap_or_else(|| panic!("no `{expected}` in:\n{stderr}"));
        assert!(line.ends_with("[invalid-tag]"), "{line}");
    }
    for quiet in ["flow.md", "block.md", "quoted.md"] {
        assert!(!stderr.contains(quiet), "{quiet} warned:\n{stderr}");
    }
}

// --- Properties (section 4) ---------------------------------------------------

/// Edge case 39: an unquoted `[[Note]]` property is a nested YAML list, not a
/// link; a quoted whole-value `"[[Note]]"` (also as a list item) is a link with
/// origin `property:<key>`. A value that merely contains a link is not one.
#[test]
fn front_matter_links_must_be_quoted() {
    let note = show("frontmatter-links", "src");
    let links = note["links"].as_array().expect("links");
    let summary: Vec<(&str, &str, u64, u64)> = links
        .iter()
        .map(|l| {
            (
                l["raw"].as_str().expect("raw"),
                l["origin"].as_str().expect("origin"),
                l["line"].as_u64().expect("line"),
                l["column"].as_u64().expect("column"),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("[[Note]]", "property:quoted", 3, 10),
            ("[[Note#Part]]", "property:list", 5, 6),
            ("[[Note]]", "body", 8, 6),
        ]
    );
    assert!(
        links.iter().all(|l| l["resolved"] == "Note.md"),
        "{links:?}"
    );
    assert_eq!(note["properties"]["unquoted"], value!([["Note"]]));
    assert_eq!(note["properties"]["mixed"], "see [[Note]] here");

    let backlinks = json(
        &fixture("frontmatter-links"),
        &["backlinks", "Note", "--format", "json"],
    );
    let origins: Vec<&str> = backlinks
        .as_array()
        .expect("backlinks")
        .iter()
        .map(|b| b["origin"].as_str().expect("origin"))
        .collect();
    assert_eq!(origins, ["property:quoted", "property:list", "body"]);
}

/// Edge case 41: invalid front matter (`tags:value`, or a bad indent) gives no
/// properties, tags, aliases or property links; it is reported as an error with
/// its line, the exit code stays 0, and the body is still read.
#[test]
fn invalid_front_matter_contributes_nothing() {
    let no_space = show("frontmatter-invalid", "no-space");
    assert_eq!(no_space["properties"], value!({}));
    assert_eq!(no_space["tags"], value!(["body-tag"]));
    assert_eq!(
        resolved(no_space["links"].as_array().expect("links")),
        [("[[Note]]", Some("Note.md"))]
    );

    let bad_indent = show("frontmatter-invalid", "bad-indent");
    assert_eq!(bad_indent["properties"], value!({}));
    assert_eq!(bad_indent["aliases"], value!([]));
    assert_eq!(bad_indent["tags"], value!([]));
    // Only the body link: the quoted link inside the broken block is not read.
    let links = bad_indent["links"].as_array().expect("links");
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!(links[0]["origin"], "body");
    assert_eq!(links[0]["line"], 7);

    let stderr = stderr_of(&fixture("frontmatter-invalid"), &["graph", "stats"]);
    for expected in ["error: no-space.md:2:1: ", "error: bad-indent.md:4:"] {
        let line = stderr
            .lines()
            .find(|l| l.starts_with(expected))
            .unwrap_or_else(|| panic!("no `{expected}` in:\n{stderr}"));
        assert!(line.ends_with("[invalid-frontmatter]"), "{line}");
    }
}

/// Edge case 42: a `---` block after a blank first line is not front matter: no
/// properties or tags, and its link is an ordinary body link.
#[test]
fn front_matter_must_start_on_line_one() {
    let note = show("frontmatter-not-first-line", "late");
    assert_eq!(note["properties"], value!({}));
    assert_eq!(note["tags"], value!([]));
    let links = note["links"].as_array().expect("links");
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!(links[0]["origin"], "body");
    assert_eq!(
        (&links[0]["line"], &links[0]["column"]),
        (&value!(4), &value!(11))
    );
    assert_eq!(links[0]["resolved"], "Note.md");
    // CommonMark: the closing `---` underlines the lines above as a setext heading.
    assert_eq!(note["headings"][0]["level"], 2);
    assert_eq!(note["headings"][0]["line"], 3);
}

// --- Vault scope (section 7) ---------------------------------------------------

/// Edge case 43: files under `.hidden/`, `.obsidian/` and `.trash/` are not part
/// of the vault; links to them, by name or by path, are unresolved.
#[test]
fn dot_folders_are_not_indexed() {
    let links = links("hidden-folders", "src.md");
    assert_eq!(
        resolved(&links),
        [
            ("[[n]]", None),
            ("[[.hidden/n]]", None),
            ("[[config-note]]", None),
            ("[[old]]", None),
            ("[[.trash/old]]", None),
        ]
    );
    let stats = stats("hidden-folders");
    assert_eq!(stats["notes"], 1);
    assert_eq!(stats["unresolved_links"], 5);
}

/// Edge case 44. Obsidian's Excluded-files filters (`userIgnoreFilters`) are not
/// implemented yet; in Obsidian an excluded file is still a link target. What
/// vaultkit does instead is its documented choice: a file matching a
/// `vaultkit.toml` `ignore` glob is not part of the vault, so links to it are
/// unresolved.
#[test]
fn ignored_files_are_not_in_the_vault() {
    let links = links("ignore-globs", "src.md");
    assert_eq!(
        resolved(&links),
        [("[[Daily]]", None), ("[[templates/Daily]]", None)]
    );
    assert_eq!(stats("ignore-globs")["notes"], 1);
    let graph = json(&fixture("ignore-globs"), &["graph", "--format", "json"]);
    let paths: Vec<&str> = graph["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter_map(|n| n["path"].as_str())
        .collect();
    assert!(
        paths.iter().all(|p| !p.starts_with("templates/")),
        "{paths:?}"
    );
}

// --- Display text -------------------------------------------------------------

/// Edge cases 46 and 47: `[[Note.md#H|Alias]]` has target `Note.md`, heading `H`
/// and display `Alias`; `[[Note|]]` resolves with empty display text.
#[test]
fn display_text() {
    let links = links("display-text", "src.md");
    let full = link(&links, "[[Note.md#H|Alias]]");
    assert_eq!(full["target"], "Note.md");
    assert_eq!(full["heading"], "H");
    assert_eq!(full["display"], "Alias");
    assert_eq!(full["resolved"], "Note.md");
    assert_eq!(full["anchor"], "found");
    let empty = link(&links, "[[Note|]]");
    assert_eq!(empty["target"], "Note");
    assert_eq!(empty["display"], "");
    assert_eq!(empty["resolved"], "Note.md");
    assert_eq!(empty["column"], 21);
}

// --- Beyond section 8: vaultkit's own choices and encodings --------------------

/// Two equally short candidates in other folders: the lexicographically first
/// wins (§9, vaultkit's deterministic last resort) and both are listed.
#[test]
fn ambiguous_tie_takes_the_first_path_and_lists_both() {
    let links = links("ambiguous-tie", "src.md");
    assert_eq!(resolved(&links), [("[[Note]]", Some("a/Note.md"))]);
    assert_eq!(links[0]["candidates"], value!(["a/Note.md", "b/Note.md"]));
    assert_eq!(stats("ambiguous-tie")["ambiguous_links"], 1);
}

/// §2 rule 11: names compare in NFC. A file named in NFD (`Cafe` + U+0301) is
/// linked as NFC `[[Café]]`, and an NFC-named file as NFD. The NFD names are
/// made at test time so that no tool can normalise them on the way.
#[test]
fn names_compare_in_nfc() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vault = dir.path();
    std::fs::copy(fixture("nfc-names").join("src.md"), vault.join("src.md")).expect("copy");
    std::fs::write(vault.join("Cafe\u{301}.md"), "Named in NFD.\n").expect("write");
    std::fs::write(vault.join("Cr\u{e8}me.md"), "Named in NFC.\n").expect("write");
    std::fs::write(vault.join("nfd.md"), "Written in NFD: [[Cre\u{300}me]].\n").expect("write");

    assert_eq!(
        resolved(&links_in(vault, "src.md")),
        [("[[Caf\u{e9}]]", Some("Caf\u{e9}.md"))]
    );
    assert_eq!(
        resolved(&links_in(vault, "nfd.md")),
        [("[[Cre\u{300}me]]", Some("Cr\u{e8}me.md"))]
    );
}

/// Two files named `Café.md`, one in NFC and one in NFD, are two notes: each
/// keeps its name as on disk (one vault path cannot name both), so the index
/// is never taken for damaged, every search lists both, and a link to them is
/// ambiguous, with a help that shows the code points that differ.
#[test]
fn names_equal_in_nfc_stay_two_notes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vault = dir.path();
    std::fs::write(vault.join("Caf\u{e9}.md"), "# Composed\n").expect("write");
    std::fs::write(vault.join("Cafe\u{301}.md"), "# Decomposed\n").expect("write");
    std::fs::write(vault.join("Link.md"), "see [[Caf\u{e9}]]\n").expect("write");
    let help = "write the path to choose one: Cafe\\u{301}.md, Caf\\u{e9}.md";
    // First without an index, then from the index it builds.
    for _ in 0..2 {
        let output = vaultkit(vault, &["lint", "--format", "json"])
            .output()
            .expect("runs");
        let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        let ambiguous = (report["diagnostics"].as_array().expect("list").iter())
            .find(|d| d["rule"] == "ambiguous-link")
            .expect("an ambiguous link");
        assert_eq!(ambiguous["help"], help);
        assert_eq!(String::from_utf8_lossy(&output.stderr), "");
        let search = vaultkit(vault, &["search", "file:caf", "--format", "paths"])
            .output()
            .expect("runs");
        assert_eq!(
            String::from_utf8(search.stdout).expect("UTF-8"),
            "Cafe\u{301}.md\nCaf\u{e9}.md\n"
        );
        assert_eq!(String::from_utf8_lossy(&search.stderr), "");
    }
    assert_eq!(stats_of(vault)["notes"], 3);
}

/// A note with a UTF-8 byte-order mark and CRLF line endings: front matter is
/// still found, headings and block ids are still read, and lines and columns
/// are right (the BOM is not a column).
#[test]
fn crlf_and_bom_keep_positions() {
    let front = show("crlf-bom", "front");
    assert_eq!(
        front["properties"],
        value!({"tags": ["fm"], "link": "[[Note]]"})
    );
    assert_eq!(front["tags"], value!(["fm", "body"]));
    assert_eq!(
        front["headings"],
        value!([{"level": 1, "text": "Title", "line": 5}])
    );
    let positions: Vec<(&str, &Value, &Value)> = front["links"]
        .as_array()
        .expect("links")
        .iter()
        .map(|l| {
            (
                l["origin"].as_str().expect("origin"),
                &l["line"],
                &l["column"],
            )
        })
        .collect();
    assert_eq!(
        positions,
        [
            ("property:link", &value!(3), &value!(8)),
            ("body", &value!(7), &value!(5)),
        ]
    );

    let plain = show("crlf-bom", "plain");
    assert_eq!(plain["tags"], value!(["first"]));
    assert_eq!(
        plain["headings"],
        value!([{"level": 2, "text": "Second", "line": 2}])
    );
    assert_eq!(
        (&plain["links"][0]["line"], &plain["links"][0]["column"]),
        (&value!(1), &value!(1))
    );

    let links = links("crlf-bom", "src.md");
    assert_eq!(
        anchors(&links),
        [
            ("[[front#^blk]]", Some("found")),
            ("[[front#Title]]", Some("found")),
            ("[[plain#Second]]", Some("found")),
        ]
    );
}

/// A note with an invalid UTF-8 byte: stderr names the file, line and column,
/// the exit code stays 0, and the note and the others are still read.
#[test]
fn non_utf8_note_is_reported_and_still_read() {
    let vault = fixture("non-utf8");
    let stderr = stderr_of(&vault, &["graph", "stats"]);
    let line = stderr
        .lines()
        .find(|l| l.starts_with("error: bad.md:2:29: "))
        .unwrap_or_else(|| panic!("bad.md is not reported:\n{stderr}"));
    assert!(line.ends_with("[invalid-encoding]"), "{line}");
    assert!(!stderr.contains("good.md"), "{stderr}");

    let stats = stats("non-utf8");
    assert_eq!(stats["notes"], 3);
    assert_eq!(stats["unresolved_links"], 0);
    let bad = links("non-utf8", "bad.md");
    assert_eq!(resolved(&bad), [("[[Note]]", Some("Note.md"))]);
    assert_eq!(
        (&bad[0]["line"], &bad[0]["column"]),
        (&value!(3), &value!(18))
    );
    assert_eq!(
        resolved(&links("non-utf8", "good.md")),
        [("[[Note]]", Some("Note.md")), ("[[bad]]", Some("bad.md"))]
    );
}

/// Edge case 33 and section 5: nothing is taken from fenced, tilde or indented
/// code, inline code, `%%` comments (inline or block), inline or block math,
/// HTML blocks, HTML comments or custom code blocks; callouts do count.
#[test]
fn code_comments_math_and_html_hide_links_and_tags() {
    let note = show("code-and-comments", "n");
    assert_eq!(note["tags"], value!(["real", "incallout"]));
    let links = note["links"].as_array().expect("links");
    assert_eq!(
        resolved(links),
        [
            ("[[Real]]", Some("Real.md")),
            ("[[Real#Callout]]", Some("Real.md")),
        ]
    );
    assert_eq!(
        (&links[1]["line"], &links[1]["column"]),
        (&value!(38), &value!(3))
    );
    assert_eq!(note["headings"], value!([]));
    assert_eq!(stats("code-and-comments")["unresolved_links"], 0);
}
