//! Conversion of Smithy `smithy.api#documentation` strings (HTML fragments as
//! found in AWS models, sometimes plain text) into Markdown suitable for
//! rustdoc.
//!
//! The HTML is tokenized by [`html5gum`] (the WHATWG tokenizer: every named
//! and numeric character reference, comments, raw-text elements, malformed
//! markup recovered as browsers do). This module owns what comes after: a
//! small tree builder (implied end tags of `p`, `li`, `dt`/`dd`, void
//! elements, a depth bound) and the Markdown rendering.
//!
//! The output is designed to be emitted as one `#[doc = "..."]` attribute per
//! line and to produce no rustdoc warnings (broken intra-doc links, invalid
//! HTML tags, bare URLs, invalid Rust code blocks).
//!
//! Mapping choices:
//!
//! * `<p>`, `<div>`, `<fullname>` and other block elements become paragraphs
//!   separated by one blank line.
//! * `<ul>`/`<ol>`/`<li>` become `- item` / `1. item` lists; continuation
//!   lines and nested lists are indented by the width of the item marker.
//! * `<note>` / `<important>` become a paragraph starting with `**Note:**` /
//!   `**Important:**` (followed by the remaining content of the element as
//!   ordinary blocks).
//! * `<dl>` becomes a bullet list with items `**term**: definition`.
//! * `<pre>` becomes a fenced code block tagged `text` (never compiled as a
//!   doctest); `<h1>`..`<h6>` become bold paragraphs (never `#` headings).
//! * `<code>` → code span, `<i>`/`<em>` → `*x*`, `<b>`/`<strong>` → `**x**`,
//!   `<a href>` → `[text](url)` for absolute `http(s)`/`mailto` URLs, plain text
//!   otherwise. Unknown tags are dropped, their content kept.
//! * All Markdown-significant characters in text are escaped; bare
//!   `http(s)://` URLs are wrapped as `<URL>` autolinks.
//!
//! Cost: time and memory are linear in the input. Each top-level node is
//! rendered, and its Markdown written, as soon as it is complete, so only
//! the elements still open are held as a tree. The tree is at most
//! [`MAX_DEPTH`] elements deep, and every recursion of the renderer follows
//! the tree, so hostile nesting cannot exhaust the stack.

use std::borrow::Cow;
use std::convert::Infallible;

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};

/// Maximum element nesting depth kept by the tree builder. Deeper start tags
/// are ignored (their content is kept), bounding recursion on hostile input.
pub const MAX_DEPTH: usize = 100;

/// Maximum nesting of Markdown lists. The items of lists nested deeper are
/// paragraphs of the innermost list item, bounding the indentation (and so
/// the size of the output) on hostile input.
pub const MAX_LIST_DEPTH: usize = 8;

/// Converts an HTML documentation fragment into rustdoc-safe Markdown.
///
/// Never panics; the result has no leading or trailing blank lines, no
/// trailing whitespace and never more than one blank line in a row.
pub fn html_to_markdown(html: &str) -> String {
    let mut builder = TreeBuilder::default();
    let mut emitter =
        CallbackEmitter::new(|event: CallbackEvent<'_>, _span: Span<()>| -> Option<Infallible> {
            builder.event(event);
            None
        });
    // `<script>`, `<style>`, `<textarea>`... contain text, not markup.
    emitter.naively_switch_states(true);
    // Reading a `&str` cannot fail (the error type is `Infallible`).
    let Ok(()) = Tokenizer::new_with_emitter(html, emitter).finish();
    builder.finish()
}

// ---------------------------------------------------------------------------
// Tree
// ---------------------------------------------------------------------------

#[derive(Debug)]
enum Node {
    Text(String),
    Elem(Elem),
}

/// An element of the tree: what the renderer needs of it.
#[derive(Debug)]
struct Elem {
    kind: Kind,
    /// Whether some descendant is a block element.
    has_block: bool,
    /// The `href` attribute (only links use an attribute).
    href: Option<Box<str>>,
    children: Box<[Node]>,
}

impl Elem {
    /// An element without content.
    fn empty(kind: Kind) -> Elem {
        Elem { kind, has_block: false, href: None, children: Box::new([]) }
    }
}

/// Elements that have no content and no end tag.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "br" | "hr"
            | "img"
            | "input"
            | "meta"
            | "link"
            | "wbr"
            | "col"
            | "area"
            | "base"
            | "embed"
            | "param"
            | "source"
            | "track"
    )
}

/// Elements whose content the tokenizer reads as text (see
/// [`html5gum::naive_next_state`]); their `/>` does not end them, as in HTML.
fn is_raw_text(name: &str) -> bool {
    html5gum::naive_next_state(name.as_bytes()).is_some()
}

/// Elements before which a start tag `p` does not look for an open `p` to
/// close.
const P_BOUNDARIES: &[&str] = &[
    "li",
    "dd",
    "dt",
    "div",
    "note",
    "important",
    "ul",
    "ol",
    "dl",
    "td",
    "th",
    "blockquote",
    "table",
    "pre",
];

/// An element whose end tag has not been seen yet.
struct Open {
    name: String,
    elem: Elem,
    children: Vec<Node>,
}

impl Open {
    fn push(&mut self, node: Node) {
        if let Node::Elem(e) = &node {
            self.elem.has_block |= e.kind.is_block() || e.has_block;
        }
        self.children.push(node);
    }

    fn push_text(&mut self, text: &str) {
        if let Some(Node::Text(prev)) = self.children.last_mut() {
            prev.push_str(text);
        } else {
            self.children.push(Node::Text(text.to_string()));
        }
    }

    fn close(self) -> Elem {
        Elem { children: self.children.into_boxed_slice(), ..self.elem }
    }
}

/// A start tag being read: its name and `href`.
struct StartTag {
    name: String,
    href: Option<String>,
    /// Whether the attribute being read is the (first) `href`.
    in_href: bool,
}

/// Builds the tree from the tokenizer's events, closing elements as HTML
/// implies for the ones the renderer cares about, and keeping at most
/// [`MAX_DEPTH`] elements open.
///
/// Each top-level node goes to the renderer, and its Markdown to the output,
/// as soon as it is complete: only the open elements are held as a tree.
#[derive(Default)]
struct TreeBuilder {
    /// Open elements, outermost first.
    stack: Vec<Open>,
    tag: Option<StartTag>,
    /// Top-level text not yet rendered: text is rendered whole (escaping and
    /// URLs look at neighbouring characters), and a comment splits it.
    root_text: String,
    renderer: BlockRenderer,
    out: Writer,
}

fn lossy(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

impl TreeBuilder {
    fn event(&mut self, event: CallbackEvent<'_>) {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                self.tag =
                    Some(StartTag { name: lossy(name).into_owned(), href: None, in_href: false });
            }
            CallbackEvent::AttributeName { name } => {
                if let Some(tag) = &mut self.tag {
                    // The first of duplicate attributes wins, as in HTML.
                    tag.in_href = name == b"href" && tag.href.is_none();
                    if tag.in_href {
                        tag.href = Some(String::new());
                    }
                }
            }
            CallbackEvent::AttributeValue { value } => {
                if let Some(StartTag { href: Some(href), in_href: true, .. }) = &mut self.tag {
                    href.push_str(&lossy(value));
                }
            }
            CallbackEvent::CloseStartTag { self_closing } => {
                if let Some(tag) = self.tag.take() {
                    self.start_tag(tag, self_closing);
                }
            }
            CallbackEvent::EndTag { name } => {
                self.tag = None;
                self.end_tag(&lossy(name));
            }
            CallbackEvent::String { value } => {
                let text = lossy(value);
                match self.stack.last_mut() {
                    Some(open) => open.push_text(&text),
                    None => self.root_text.push_str(&text),
                }
            }
            CallbackEvent::Comment { .. }
            | CallbackEvent::Doctype { .. }
            | CallbackEvent::Error(_) => {}
        }
    }

    /// Adds a complete node to the innermost open element, or renders it.
    fn push(&mut self, node: Node) {
        match self.stack.last_mut() {
            Some(open) => open.push(node),
            None => {
                self.render_root_text();
                self.renderer.node(&node);
                self.write_blocks();
            }
        }
    }

    fn render_root_text(&mut self) {
        if !self.root_text.is_empty() {
            let text = Node::Text(std::mem::take(&mut self.root_text));
            self.renderer.node(&text);
        }
    }

    /// Writes the blocks the renderer has completed.
    fn write_blocks(&mut self) {
        for block in self.renderer.blocks.drain(..) {
            // Top-level blocks are separated by a blank line.
            self.out.line("");
            write_blocks(std::slice::from_ref(&block), false, &mut Vec::new(), &mut self.out);
        }
    }

    /// Index of the innermost open element named one of `names`, not looking
    /// past an element named one of `boundaries`.
    fn find_open(&self, names: &[&str], boundaries: &[&str]) -> Option<usize> {
        for idx in (0..self.stack.len()).rev() {
            let n = self.stack[idx].name.as_str();
            if names.contains(&n) {
                return Some(idx);
            }
            if boundaries.contains(&n) {
                return None;
            }
        }
        None
    }

    /// Closes the open elements from `stack[idx]` inwards.
    fn close_from(&mut self, idx: usize) {
        while self.stack.len() > idx {
            if let Some(open) = self.stack.pop() {
                self.push(Node::Elem(open.close()));
            }
        }
    }

    fn start_tag(&mut self, tag: StartTag, self_closing: bool) {
        let implied = match tag.name.as_str() {
            "li" => self.find_open(&["li"], &["ul", "ol"]),
            "dt" | "dd" => self.find_open(&["dt", "dd"], &["dl"]),
            "p" => self.find_open(&["p"], P_BOUNDARIES),
            _ => None,
        };
        if let Some(idx) = implied {
            self.close_from(idx);
        }
        let elem =
            Elem { href: tag.href.map(String::into_boxed_str), ..Elem::empty(classify(&tag.name)) };
        // Documentation is often XHTML-like: `<p/>` is an empty paragraph.
        if is_void(&tag.name) || (self_closing && !is_raw_text(&tag.name)) {
            self.push(Node::Elem(elem));
        } else if self.stack.len() < MAX_DEPTH {
            self.stack.push(Open { name: tag.name, elem, children: Vec::new() });
        }
    }

    fn end_tag(&mut self, name: &str) {
        if name == "br" {
            // `</br>` is a line break, as in HTML.
            self.push(Node::Elem(Elem::empty(Kind::Br)));
            return;
        }
        if let Some(idx) = self.stack.iter().rposition(|open| open.name == name) {
            self.close_from(idx);
        }
    }

    /// Closes what is still open and returns the Markdown.
    fn finish(mut self) -> String {
        self.close_from(0);
        self.render_root_text();
        self.renderer.flush();
        self.write_blocks();
        self.out.out
    }
}

// ---------------------------------------------------------------------------
// Element classification
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Br,
    Block,
    List { ordered: bool },
    Li,
    Dl,
    Dt,
    Dd,
    Pre,
    Note,
    Important,
    Heading,
    Hr,
    Cell,
    Code,
    Strong,
    Emph,
    Link,
    Skip,
    Transparent,
}

impl Kind {
    fn is_block(self) -> bool {
        !matches!(
            self,
            Kind::Br
                | Kind::Cell
                | Kind::Code
                | Kind::Strong
                | Kind::Emph
                | Kind::Link
                | Kind::Skip
                | Kind::Transparent
        )
    }
}

fn classify(name: &str) -> Kind {
    match name {
        "br" => Kind::Br,
        "p" | "div" | "blockquote" | "section" | "article" | "header" | "footer" | "aside"
        | "nav" | "figure" | "figcaption" | "fullname" | "table" | "thead" | "tbody" | "tfoot"
        | "tr" | "caption" | "main" | "address" | "center" | "details" | "summary" => Kind::Block,
        "ul" => Kind::List { ordered: false },
        "ol" => Kind::List { ordered: true },
        "li" => Kind::Li,
        "dl" => Kind::Dl,
        "dt" => Kind::Dt,
        "dd" => Kind::Dd,
        "pre" => Kind::Pre,
        "note" => Kind::Note,
        "important" => Kind::Important,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Kind::Heading,
        "hr" => Kind::Hr,
        "td" | "th" => Kind::Cell,
        "code" | "tt" | "kbd" | "samp" => Kind::Code,
        "b" | "strong" => Kind::Strong,
        "i" | "em" => Kind::Emph,
        "a" => Kind::Link,
        "script" | "style" | "head" | "template" => Kind::Skip,
        _ => Kind::Transparent,
    }
}

/// Text content of an element; `<br>` becomes `br`.
fn text_content(e: &Elem, br: &str, out: &mut String) {
    for c in e.children.iter() {
        match c {
            Node::Text(t) => out.push_str(t),
            Node::Elem(child) => match child.kind {
                Kind::Br => out.push_str(br),
                Kind::Skip => {}
                _ => text_content(child, br, out),
            },
        }
    }
}

/// Collapses HTML whitespace runs into single spaces, drops control
/// characters and trims. Returns `(text, had_leading_ws, had_trailing_ws)`.
fn collapse_ws(s: &str) -> (String, bool, bool) {
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    let mut leading = false;
    for c in s.chars() {
        if is_html_ws(c) {
            if out.is_empty() {
                leading = true;
            } else {
                pending = true;
            }
        } else if !c.is_control() {
            if pending {
                out.push(' ');
                pending = false;
            }
            out.push(c);
        }
    }
    (out, leading, pending)
}

// ---------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------

#[derive(Debug)]
enum Block {
    /// Paragraph; lines are separated by `\n` and already end with the
    /// hard-break backslash where needed.
    Para(String),
    List {
        ordered: bool,
        items: Vec<Vec<Block>>,
        /// Whether an item has a blank line, which makes the list loose
        /// (items separated by blank lines).
        loose: bool,
    },
    /// Verbatim code lines.
    Code(Vec<String>),
}

impl Block {
    fn list(ordered: bool, items: Vec<Vec<Block>>) -> Block {
        let loose = items.iter().any(|item| has_blank_line(item, true));
        Block::List { ordered, items, loose }
    }
}

/// Whether no blank line separates `blocks[idx]` from the block before it:
/// in a list item, a paragraph and the list that follows it.
fn tight(blocks: &[Block], idx: usize, in_item: bool) -> bool {
    in_item
        && idx > 0
        && matches!(blocks[idx - 1], Block::Para(_))
        && matches!(blocks[idx], Block::List { .. })
}

/// Whether the Markdown of `blocks` (the content of a list item if
/// `in_item`) has a blank line. Paragraphs never do.
fn has_blank_line(blocks: &[Block], in_item: bool) -> bool {
    blocks.iter().enumerate().any(|(idx, block)| {
        (idx > 0 && !tight(blocks, idx, in_item))
            || match block {
                Block::Para(_) => false,
                Block::Code(lines) => lines.iter().any(String::is_empty),
                Block::List { loose, .. } => *loose,
            }
    })
}

/// Builds a paragraph from inline Markdown where `\n` marks hard breaks.
fn make_para(s: &str) -> Option<Block> {
    let lines: Vec<String> =
        s.split('\n').map(str::trim).filter(|l| !l.is_empty()).map(escape_line_start).collect();
    if lines.is_empty() {
        None
    } else {
        Some(Block::Para(lines.join("\\\n")))
    }
}

/// Escapes characters that would start a block construct when they appear
/// at the beginning of a line.
fn escape_line_start(line: &str) -> String {
    let mut chars = line.chars();
    match chars.next() {
        Some('#' | '-' | '+' | '=' | ':') => format!("\\{line}"),
        Some(c) if c.is_ascii_digit() => {
            let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
            // Digits are ASCII, so `digits` is a valid byte offset.
            match line[digits..].chars().next() {
                Some(p @ ('.' | ')')) => {
                    format!("{}\\{}{}", &line[..digits], p, &line[digits + 1..])
                }
                _ => line.to_string(),
            }
        }
        _ => line.to_string(),
    }
}

/// Renders nodes inside `lists` levels of lists.
fn render_nodes<'a>(nodes: impl IntoIterator<Item = &'a Node>, lists: usize) -> Vec<Block> {
    let mut r = BlockRenderer { lists, ..BlockRenderer::default() };
    for n in nodes {
        r.node(n);
    }
    r.flush();
    r.blocks
}

#[derive(Default)]
struct BlockRenderer {
    blocks: Vec<Block>,
    inline: Inline,
    /// How many levels of lists the nodes are inside.
    lists: usize,
}

impl BlockRenderer {
    fn flush(&mut self) {
        let inline = std::mem::take(&mut self.inline);
        if let Some(b) = make_para(&inline.into_string()) {
            self.blocks.push(b);
        }
    }

    fn node(&mut self, node: &Node) {
        let e = match node {
            Node::Text(t) => {
                self.inline.text(t, Ctx::default());
                return;
            }
            Node::Elem(e) => e,
        };
        let flat = self.lists >= MAX_LIST_DEPTH;
        match e.kind {
            Kind::Br => {
                if self.inline.hard_break() {
                    self.flush();
                }
            }
            // Lists nested deeper than the bound hold their items as
            // paragraphs, so that indentation stays bounded.
            Kind::List { .. } | Kind::Li | Kind::Dl if flat => {
                self.flush();
                for c in e.children.iter() {
                    self.node(c);
                }
                self.flush();
            }
            Kind::Block | Kind::Dd => {
                self.flush();
                for c in e.children.iter() {
                    self.node(c);
                }
                self.flush();
            }
            Kind::Hr => self.flush(),
            Kind::List { ordered } => {
                self.flush();
                if let Some(b) = render_list(e, ordered, self.lists + 1) {
                    self.blocks.push(b);
                }
            }
            Kind::Li => {
                self.flush();
                let item = render_nodes(e.children.iter(), self.lists + 1);
                if !item.is_empty() {
                    self.blocks.push(Block::list(false, vec![item]));
                }
            }
            Kind::Dl => {
                self.flush();
                if let Some(b) = render_dl(e, self.lists + 1) {
                    self.blocks.push(b);
                }
            }
            Kind::Dt | Kind::Heading => {
                self.flush();
                if let Some(b) = bold_para(e) {
                    self.blocks.push(b);
                }
            }
            Kind::Pre => {
                self.flush();
                if let Some(b) = render_pre(e) {
                    self.blocks.push(b);
                }
            }
            Kind::Note | Kind::Important => {
                let label = if e.kind == Kind::Note { "Note" } else { "Important" };
                self.flush();
                let mut inner = render_nodes(e.children.iter(), self.lists);
                if inner.is_empty() {
                    return;
                }
                let prefix = format!("**{label}:**");
                match inner.first_mut() {
                    Some(Block::Para(s)) => *s = format!("{prefix} {s}"),
                    _ => inner.insert(0, Block::Para(prefix)),
                }
                self.blocks.extend(inner);
            }
            Kind::Cell => {
                self.inline.space();
                for c in e.children.iter() {
                    self.node(c);
                }
                self.inline.space();
            }
            Kind::Skip => {}
            Kind::Code | Kind::Strong | Kind::Emph | Kind::Link | Kind::Transparent => {
                if e.has_block {
                    // Inline element wrapping blocks: drop the formatting.
                    for c in e.children.iter() {
                        self.node(c);
                    }
                } else {
                    inline_elem(e, Ctx::default(), &mut self.inline);
                }
            }
        }
    }
}

fn bold_para(e: &Elem) -> Option<Block> {
    let mut sub = Inline::default();
    let ctx = Ctx { strong: true, ..Ctx::default() };
    for c in e.children.iter() {
        inline_node(c, ctx, &mut sub);
    }
    let (inner, _, _) = sub.finish();
    if inner.is_empty() {
        None
    } else {
        make_para(&format!("**{inner}**"))
    }
}

/// Renders a list whose items are inside `lists` levels of lists.
fn render_list(e: &Elem, ordered: bool, lists: usize) -> Option<Block> {
    let mut items: Vec<Vec<Block>> = Vec::new();
    let mut stray: Vec<&Node> = Vec::new();
    let flush_stray = |stray: &mut Vec<&Node>, items: &mut Vec<Vec<Block>>| {
        if stray.is_empty() {
            return;
        }
        let blocks = render_nodes(stray.drain(..), lists);
        if blocks.is_empty() {
            return;
        }
        match items.last_mut() {
            Some(last) => last.extend(blocks),
            None => items.push(blocks),
        }
    };
    for c in e.children.iter() {
        match c {
            Node::Elem(li) if li.kind == Kind::Li => {
                flush_stray(&mut stray, &mut items);
                items.push(render_nodes(li.children.iter(), lists));
            }
            other => stray.push(other),
        }
    }
    flush_stray(&mut stray, &mut items);
    items.retain(|i| !i.is_empty());
    if items.is_empty() {
        None
    } else {
        Some(Block::list(ordered, items))
    }
}

/// Renders a definition list whose items are inside `lists` levels of lists.
fn render_dl(e: &Elem, lists: usize) -> Option<Block> {
    let mut items: Vec<Vec<Block>> = Vec::new();
    // Whether the last item consists of a term only (awaiting its definition).
    let mut term_open = false;
    let mut stray: Vec<&Node> = Vec::new();
    fn add_def(blocks: Vec<Block>, items: &mut Vec<Vec<Block>>, term_open: &mut bool) {
        if blocks.is_empty() {
            return;
        }
        match items.last_mut() {
            Some(last) if *term_open => {
                let mut blocks = blocks.into_iter();
                if let Some(first) = blocks.next() {
                    match (last.last_mut(), first) {
                        (Some(Block::Para(term)), Block::Para(def)) => {
                            *term = format!("{term}: {def}")
                        }
                        (_, other) => last.push(other),
                    }
                }
                last.extend(blocks);
            }
            Some(last) => last.extend(blocks),
            None => items.push(blocks),
        }
        *term_open = false;
    }
    for c in e.children.iter() {
        match c {
            Node::Elem(child) if matches!(child.kind, Kind::Dt | Kind::Dd) => {
                let pending = render_nodes(stray.drain(..), lists);
                add_def(pending, &mut items, &mut term_open);
                if child.kind == Kind::Dt {
                    if let Some(term) = bold_para(child) {
                        items.push(vec![term]);
                        term_open = true;
                    }
                } else {
                    add_def(render_nodes(child.children.iter(), lists), &mut items, &mut term_open);
                }
            }
            other => stray.push(other),
        }
    }
    let pending = render_nodes(stray.drain(..), lists);
    add_def(pending, &mut items, &mut term_open);
    if items.is_empty() {
        None
    } else {
        Some(Block::list(false, items))
    }
}

fn render_pre(e: &Elem) -> Option<Block> {
    let mut text = String::new();
    text_content(e, "\n", &mut text);
    let text = text.strip_prefix('\n').unwrap_or(&text);
    let mut lines: Vec<String> = Vec::new();
    for raw in text.split('\n') {
        let line: String = raw.chars().filter(|&c| c == '\t' || !c.is_control()).collect();
        let line = line.trim_end().to_string();
        if line.is_empty() && lines.last().is_none_or(|l: &String| l.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    if lines.is_empty() {
        None
    } else {
        Some(Block::Code(lines))
    }
}

fn max_run(s: &str, ch: char) -> usize {
    let mut best = 0;
    let mut cur = 0;
    for c in s.chars() {
        if c == ch {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// A list item being written: the marker of its first line, then the
/// indentation of the others.
struct Level {
    marker: String,
    first: bool,
}

/// Writes `blocks` (the content of a list item if `in_item`) inside the list
/// items `levels`.
fn write_blocks(blocks: &[Block], in_item: bool, levels: &mut Vec<Level>, out: &mut Writer) {
    for (idx, block) in blocks.iter().enumerate() {
        if idx > 0 && !tight(blocks, idx, in_item) {
            out.line("");
        }
        match block {
            Block::Para(s) => {
                for line in s.split('\n') {
                    out.prefixed(levels, line);
                }
            }
            Block::Code(code) => {
                let longest = code.iter().map(|l| max_run(l, '`')).max().unwrap_or(0);
                let fence = "`".repeat((longest + 1).max(3));
                out.prefixed(levels, &format!("{fence}text"));
                for line in code {
                    if line.is_empty() {
                        out.line("");
                    } else {
                        out.prefixed(levels, line);
                    }
                }
                out.prefixed(levels, &fence);
            }
            Block::List { ordered, items, loose } => {
                for (k, item) in items.iter().enumerate() {
                    if k > 0 && *loose {
                        out.line("");
                    }
                    let marker = if *ordered { format!("{}. ", k + 1) } else { "- ".to_string() };
                    levels.push(Level { marker, first: true });
                    write_blocks(item, true, levels, out);
                    levels.pop();
                }
            }
        }
    }
}

/// The Markdown output, written line by line: without trailing whitespace,
/// leading or trailing blank lines, or two blank lines in a row.
#[derive(Default)]
struct Writer {
    out: String,
    /// Whether a blank line is due before the next line.
    blank: bool,
    /// A line being prefixed (kept for its allocation).
    buf: String,
}

impl Writer {
    /// Writes a line of the innermost of the list items `levels`.
    fn prefixed(&mut self, levels: &mut [Level], text: &str) {
        let mut line = std::mem::take(&mut self.buf);
        line.clear();
        for level in levels.iter_mut() {
            if level.first {
                line.push_str(&level.marker);
                level.first = false;
            } else {
                line.extend(std::iter::repeat_n(' ', level.marker.len()));
            }
        }
        line.push_str(text);
        self.line(&line);
        self.buf = line;
    }

    fn line(&mut self, line: &str) {
        let line = line.trim_end();
        if line.is_empty() {
            self.blank = !self.out.is_empty();
            return;
        }
        if !self.out.is_empty() {
            self.out.push('\n');
            if self.blank {
                self.out.push('\n');
            }
        }
        self.blank = false;
        self.out.push_str(line);
    }
}

// ---------------------------------------------------------------------------
// Inline rendering
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Default)]
struct Ctx {
    strong: bool,
    emph: bool,
    in_link: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SpanKind {
    Code,
    Strong,
    Emph,
}

/// Inline Markdown accumulator with HTML whitespace collapsing. `\n` in `out`
/// marks a hard line break.
#[derive(Default)]
struct Inline {
    out: String,
    pending_space: bool,
    leading_space: bool,
    /// The span that the content ends with, not yet written to `out`, so
    /// that a following span of the same kind joins it (`**a****b**` does not
    /// parse as intended) without rewriting `out`.
    open: Option<(SpanKind, String)>,
}

impl Inline {
    fn is_empty(&self) -> bool {
        self.out.is_empty() && self.open.is_none()
    }

    /// Writes the open span to `out`.
    fn close_span(&mut self) {
        if let Some((kind, inner)) = self.open.take() {
            match kind {
                SpanKind::Code => self.out.push_str(&code_span(&inner)),
                SpanKind::Strong => {
                    self.out.push_str("**");
                    self.out.push_str(&inner);
                    self.out.push_str("**");
                }
                SpanKind::Emph => {
                    self.out.push('*');
                    self.out.push_str(&inner);
                    self.out.push('*');
                }
            }
        }
    }

    fn space(&mut self) {
        if self.is_empty() {
            self.leading_space = true;
        } else {
            self.pending_space = true;
        }
    }

    fn flush_space(&mut self) {
        if self.pending_space {
            self.close_span();
            if !self.out.is_empty() && !self.out.ends_with('\n') {
                self.out.push(' ');
            }
            self.pending_space = false;
        }
    }

    fn push(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        self.flush_space();
        self.close_span();
        self.out.push_str(s);
    }

    /// Adds a hard break. Returns `true` if the buffer already ended with a
    /// hard break (two breaks in a row separate paragraphs).
    fn hard_break(&mut self) -> bool {
        self.close_span();
        let trimmed = self.out.trim_end_matches(' ').len();
        self.out.truncate(trimmed);
        self.pending_space = false;
        if self.out.is_empty() {
            self.leading_space = true;
            return false;
        }
        if self.out.ends_with('\n') {
            return true;
        }
        self.out.push('\n');
        false
    }

    /// The content, hard breaks as `\n`.
    fn into_string(mut self) -> String {
        self.close_span();
        self.out
    }

    /// Returns the content with surrounding whitespace / breaks removed,
    /// plus whether there was leading / trailing whitespace.
    fn finish(mut self) -> (String, bool, bool) {
        self.close_span();
        let trimmed = self.out.trim_end_matches(|c: char| c == '\n' || c.is_whitespace());
        let trailing = self.pending_space || trimmed.len() != self.out.len();
        let inner = trimmed.trim_start_matches(|c: char| c == '\n' || c.is_whitespace());
        let leading = self.leading_space || inner.len() != trimmed.len();
        (inner.to_string(), leading, trailing)
    }

    fn span(&mut self, kind: SpanKind, inner: &str, leading: bool, trailing: bool) {
        if leading {
            self.space();
        }
        if !inner.is_empty() {
            match &mut self.open {
                Some((open, content)) if *open == kind && !self.pending_space => {
                    content.push_str(inner);
                }
                _ => {
                    self.flush_space();
                    self.close_span();
                    self.open = Some((kind, inner.to_string()));
                }
            }
        }
        if trailing {
            self.space();
        }
    }

    /// Appends HTML text, collapsing whitespace, escaping Markdown syntax and
    /// turning bare URLs into autolinks.
    fn text(&mut self, t: &str, ctx: Ctx) {
        let bytes = t.as_bytes();
        let mut buf = String::with_capacity(t.len());
        let mut i = 0;
        while i < t.len() {
            // A run of characters that are written as they are; it ends on a
            // character boundary, as every byte `needs_care` looks for is
            // ASCII or starts a character.
            let run = bytes[i..].iter().position(|&b| needs_care(b)).unwrap_or(t.len() - i);
            if run > 0 {
                buf.push_str(&t[i..i + run]);
                i += run;
                continue;
            }
            let Some(c) = t[i..].chars().next() else { break };
            let next_i = i + c.len_utf8();
            if is_html_ws(c) {
                self.push(&buf);
                buf.clear();
                self.space();
            } else if c.is_control() {
                // Dropped.
            } else if let Some(end) =
                (!ctx.in_link && (c == 'h' || c == 'H')).then(|| bare_url_end(&t[i..])).flatten()
            {
                self.push(&buf);
                buf.clear();
                self.push(&url_link(&t[i..i + end]));
                i += end;
                continue;
            } else {
                let prev = t[..i].chars().next_back();
                escape_char(c, prev, t[next_i..].chars().next(), &mut buf);
            }
            i = next_i;
        }
        self.push(&buf);
    }
}

/// Whether `Inline::text` looks at the character starting with byte `b`:
/// HTML whitespace, control characters (C0, DEL, and `0xC2`, which starts
/// the C1 controls), Markdown syntax, and the `h` of `http(s)://`.
fn needs_care(b: u8) -> bool {
    b < 0x20
        || matches!(
            b,
            b' ' | 0x7F
                | 0xC2
                | b'\\'
                | b'`'
                | b'*'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'|'
                | b'~'
                | b'_'
                | b'&'
                | b'h'
                | b'H'
        )
}

fn is_html_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}')
}

/// Escapes one text character for Markdown, given the characters before and
/// after it in the same text node.
fn escape_char(c: char, prev: Option<char>, next: Option<char>, out: &mut String) {
    match c {
        '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~' => {
            out.push('\\');
            out.push(c);
        }
        '_' => {
            let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
            if !(alnum(prev) && alnum(next)) {
                out.push('\\');
            }
            out.push('_');
        }
        '&' => {
            // A control character after `&` is dropped, so what follows it
            // could make a character reference.
            let dropped = |c: char| c.is_control() && !is_html_ws(c);
            if next.is_none_or(|c| c.is_ascii_alphanumeric() || c == '#' || dropped(c)) {
                out.push_str("&amp;");
            } else {
                out.push('&');
            }
        }
        _ => out.push(c),
    }
}

fn escape_text_plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        escape_char(c, prev, chars.peek().copied(), &mut out);
        prev = Some(c);
    }
    out
}

/// If `s` starts with a bare `http://` / `https://` URL, returns its length
/// in bytes.
fn bare_url_end(s: &str) -> Option<usize> {
    let starts = |scheme: &str| {
        s.as_bytes().get(..scheme.len()).is_some_and(|b| b.eq_ignore_ascii_case(scheme.as_bytes()))
    };
    let scheme_len = if starts("https://") {
        8
    } else if starts("http://") {
        7
    } else {
        return None;
    };
    let mut end = s
        .find(|c: char| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(s.len());
    // Strip trailing punctuation that is most likely not part of the URL;
    // closing brackets only when unbalanced. All of these are ASCII, so
    // `end` stays on a character boundary.
    let bytes = &s.as_bytes()[..end];
    let count = |b: u8| bytes.iter().filter(|&&c| c == b).count();
    let mut closers = [count(b')'), count(b']'), count(b'}')];
    let openers = [count(b'('), count(b'['), count(b'{')];
    while end > 0 {
        let strip = match bytes[end - 1] {
            b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b'*' | b'_' | b'~' => true,
            c @ (b')' | b']' | b'}') => {
                let k = match c {
                    b')' => 0,
                    b']' => 1,
                    _ => 2,
                };
                if closers[k] > openers[k] {
                    closers[k] -= 1;
                    true
                } else {
                    false
                }
            }
            _ => false,
        };
        if !strip {
            break;
        }
        end -= 1;
    }
    (end > scheme_len).then_some(end)
}

/// Whether `&` at the start of `s` would be read as a character reference.
fn entity_like(s: &str) -> bool {
    let bytes = &s.as_bytes()[..s.len().min(40)];
    if bytes.first() != Some(&b'&') {
        return false;
    }
    let mut j = 1;
    if bytes.get(1) == Some(&b'#') {
        j = 2;
        if matches!(bytes.get(2), Some(b'x' | b'X')) {
            j = 3;
        }
    }
    let start = j;
    while j < bytes.len() && bytes[j].is_ascii_alphanumeric() {
        j += 1;
    }
    j > start && bytes.get(j) == Some(&b';')
}

/// Percent-encodes characters that are not allowed in an (unbracketed)
/// Markdown link destination (`autolink == false`) or in an autolink
/// (`autolink == true`, where everything but `<`, `>` and whitespace is
/// literal).
fn encode_url(url: &str, autolink: bool) -> String {
    let mut out = String::with_capacity(url.len());
    for (idx, c) in url.char_indices() {
        match c {
            ' ' => out.push_str("%20"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '(' if !autolink => out.push_str("%28"),
            ')' if !autolink => out.push_str("%29"),
            '\\' if !autolink => out.push_str("%5C"),
            '"' if !autolink => out.push_str("%22"),
            '`' if !autolink => out.push_str("%60"),
            '&' if !autolink && entity_like(&url[idx..]) => out.push_str("&amp;"),
            c if c.is_control() => {}
            c if c.is_whitespace() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// A link whose visible text is the URL itself.
fn url_link(url: &str) -> String {
    if url.char_indices().any(|(i, c)| c == '&' && entity_like(&url[i..])) {
        // Character references are not decoded inside autolinks, so use an
        // explicit link instead.
        format!("[{}]({})", escape_text_plain(url), encode_url(url, false))
    } else {
        format!("<{}>", encode_url(url, true))
    }
}

/// Cleans an `href` and returns it if it is an absolute http(s)/mailto URL.
fn absolute_url(href: &str) -> Option<String> {
    // Newlines (and the indentation following them) come from line-wrapped
    // source documents; drop them. Other inner spaces are percent-encoded
    // later.
    let mut cleaned = String::with_capacity(href.len());
    let mut after_newline = false;
    for c in href.chars() {
        match c {
            '\n' | '\r' => after_newline = true,
            ' ' | '\t' if after_newline => {}
            '\t' => {}
            c => {
                after_newline = false;
                cleaned.push(c);
            }
        }
    }
    let cleaned = cleaned.trim_matches(|c: char| c.is_whitespace() || c.is_control()).to_string();
    let lower = cleaned.to_ascii_lowercase();
    let scheme_len = ["https://", "http://", "mailto:"]
        .iter()
        .find(|s| lower.starts_with(*s))
        .map(|s| s.len())?;
    if cleaned.len() > scheme_len {
        Some(cleaned)
    } else {
        None
    }
}

fn code_span(content: &str) -> String {
    let fence = "`".repeat(max_run(content, '`') + 1);
    if content.starts_with('`') || content.ends_with('`') {
        format!("{fence} {content} {fence}")
    } else {
        format!("{fence}{content}{fence}")
    }
}

fn inline_node(node: &Node, ctx: Ctx, inline: &mut Inline) {
    match node {
        Node::Text(t) => inline.text(t, ctx),
        Node::Elem(e) => inline_elem(e, ctx, inline),
    }
}

fn inline_children(e: &Elem, ctx: Ctx, inline: &mut Inline) {
    for c in e.children.iter() {
        inline_node(c, ctx, inline);
    }
}

fn inline_elem(e: &Elem, ctx: Ctx, inline: &mut Inline) {
    match e.kind {
        // Link text stays on one line.
        Kind::Br if ctx.in_link => inline.space(),
        Kind::Br => {
            inline.hard_break();
        }
        Kind::Skip => {}
        Kind::Code => {
            let mut raw = String::new();
            text_content(e, " ", &mut raw);
            let (content, leading, trailing) = collapse_ws(&raw);
            inline.span(SpanKind::Code, &content, leading, trailing);
        }
        Kind::Strong if !ctx.strong => {
            let mut sub = Inline::default();
            inline_children(e, Ctx { strong: true, ..ctx }, &mut sub);
            let (inner, leading, trailing) = sub.finish();
            inline.span(SpanKind::Strong, &inner, leading, trailing);
        }
        Kind::Emph if !ctx.emph => {
            let mut sub = Inline::default();
            inline_children(e, Ctx { emph: true, ..ctx }, &mut sub);
            let (inner, leading, trailing) = sub.finish();
            inline.span(SpanKind::Emph, &inner, leading, trailing);
        }
        Kind::Link if !ctx.in_link => {
            let Some(url) = e.href.as_deref().and_then(absolute_url) else {
                inline_children(e, ctx, inline);
                return;
            };
            let mut sub = Inline::default();
            inline_children(e, Ctx { in_link: true, ..ctx }, &mut sub);
            let (text, leading, trailing) = sub.finish();
            if leading {
                inline.space();
            }
            let mut plain = String::new();
            text_content(e, " ", &mut plain);
            let (plain, _, _) = collapse_ws(&plain);
            if text.is_empty() || plain == url {
                inline.push(&url_link(&url));
            } else {
                inline.push(&format!("[{text}]({})", encode_url(&url, false)));
            }
            if trailing {
                inline.space();
            }
        }
        kind if kind.is_block() || kind == Kind::Cell => {
            // Block content flattened into an inline context.
            inline.space();
            inline_children(e, ctx, inline);
            inline.space();
        }
        _ => inline_children(e, ctx, inline),
    }
}
