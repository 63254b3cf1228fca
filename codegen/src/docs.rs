//! Conversion of Smithy `smithy.api#documentation` strings (HTML fragments as
//! found in AWS models, sometimes plain text) into Markdown suitable for
//! rustdoc.
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

/// Maximum element nesting depth kept by the tree builder. Deeper start tags
/// are ignored (their content is kept), bounding recursion on hostile input.
const MAX_DEPTH: usize = 100;

/// Converts an HTML documentation fragment into rustdoc-safe Markdown.
///
/// Never panics; the result has no leading or trailing blank lines, no
/// trailing whitespace and never more than one blank line in a row.
pub fn html_to_markdown(html: &str) -> String {
    let normalized = html.replace("\r\n", "\n").replace('\r', "\n");
    let tokens = tokenize(&normalized);
    let root = build_tree(tokens);
    let blocks = render_nodes(root.iter());
    let mut lines = Vec::new();
    blocks_to_lines(&blocks, false, &mut lines);
    finish_lines(lines)
}

// ---------------------------------------------------------------------------
// Tokenizer
// ---------------------------------------------------------------------------

#[derive(Debug)]
enum Token {
    Text(String),
    Start { name: String, attrs: Vec<(String, String)>, self_closing: bool },
    End(String),
}

fn is_html_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}')
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')
}

fn find_seq(chars: &[char], from: usize, pat: &str) -> Option<usize> {
    let pat: Vec<char> = pat.chars().collect();
    if pat.is_empty() || from >= chars.len() {
        return None;
    }
    (from..=chars.len().saturating_sub(pat.len())).find(|&i| chars[i..].starts_with(&pat))
}

fn starts_with_at(chars: &[char], at: usize, pat: &str) -> bool {
    let mut i = at;
    for p in pat.chars() {
        match chars.get(i) {
            Some(&c) if c == p => i += 1,
            _ => return false,
        }
    }
    true
}

/// The input as chars plus precomputed look-ups that keep tokenizing linear
/// on inputs with many unterminated `<...` constructs.
struct Source {
    chars: Vec<char>,
    /// `next_gt[i]`: index of the first `>` at or after `i`.
    next_gt: Vec<Option<usize>>,
    /// Start index of the last `-->`.
    last_comment_end: Option<usize>,
    /// Start index of the last `]]>`.
    last_cdata_end: Option<usize>,
}

impl Source {
    fn new(input: &str) -> Source {
        let chars: Vec<char> = input.chars().collect();
        let mut next_gt = vec![None; chars.len() + 1];
        for i in (0..chars.len()).rev() {
            next_gt[i] = if chars[i] == '>' { Some(i) } else { next_gt[i + 1] };
        }
        let last_comment_end = rfind_seq(&chars, "-->");
        let last_cdata_end = rfind_seq(&chars, "]]>");
        Source { chars, next_gt, last_comment_end, last_cdata_end }
    }

    fn next_gt(&self, from: usize) -> Option<usize> {
        self.next_gt.get(from).copied().flatten()
    }
}

fn rfind_seq(chars: &[char], pat: &str) -> Option<usize> {
    let pat: Vec<char> = pat.chars().collect();
    (0..=chars.len().checked_sub(pat.len())?).rev().find(|&i| chars[i..].starts_with(&pat))
}

fn tokenize(input: &str) -> Vec<Token> {
    let src = Source::new(input);
    let chars = &src.chars;
    let mut tokens = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '<' {
            if let Some((tok, next)) = parse_markup(&src, i) {
                match tok {
                    Some(Token::Text(t)) => text.push_str(&t),
                    Some(tok) => {
                        if !text.is_empty() {
                            tokens.push(Token::Text(decode_entities(&text)));
                            text.clear();
                        }
                        tokens.push(tok);
                    }
                    None => {}
                }
                i = next;
                continue;
            }
        }
        text.push(chars[i]);
        i += 1;
    }
    if !text.is_empty() {
        tokens.push(Token::Text(decode_entities(&text)));
    }
    tokens
}

/// Tries to parse markup starting at `chars[i] == '<'`. Returns the token (or
/// `None` for ignored markup such as comments) and the index after it, or
/// `None` if the `<` must be treated as literal text.
fn parse_markup(src: &Source, i: usize) -> Option<(Option<Token>, usize)> {
    let chars = &src.chars;
    let next = *chars.get(i + 1)?;
    if next == '!' {
        if starts_with_at(chars, i, "<!--") {
            if src.last_comment_end? < i + 2 {
                return None;
            }
            let end = find_seq(chars, i + 2, "-->")?;
            return Some((None, end + 3));
        }
        if starts_with_at(chars, i, "<![CDATA[") {
            let start = i + 9;
            if src.last_cdata_end? < start {
                return None;
            }
            let end = find_seq(chars, start, "]]>")?;
            // CDATA content is literal text; re-escape `&` so entity decoding
            // leaves it untouched.
            let content: String = chars[start..end].iter().collect();
            return Some((Some(Token::Text(content.replace('&', "&amp;"))), end + 3));
        }
        let end = src.next_gt(i + 2)?;
        return Some((None, end + 1));
    }
    if next == '?' {
        let end = src.next_gt(i + 2)?;
        return Some((None, end + 1));
    }
    if next == '/' {
        let first = *chars.get(i + 2)?;
        if first == '>' {
            return Some((None, i + 3));
        }
        if !first.is_ascii_alphabetic() {
            return None;
        }
        let mut j = i + 2;
        while j < chars.len() && is_name_char(chars[j]) {
            j += 1;
        }
        let name: String = chars[i + 2..j].iter().collect::<String>().to_ascii_lowercase();
        let end = src.next_gt(j)?;
        return Some((Some(Token::End(name)), end + 1));
    }
    if !next.is_ascii_alphabetic() {
        return None;
    }
    // Without a later `>` this cannot be a tag.
    src.next_gt(i)?;
    let mut j = i + 1;
    while j < chars.len() && is_name_char(chars[j]) {
        j += 1;
    }
    let name: String = chars[i + 1..j].iter().collect::<String>().to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while j < chars.len() && is_html_ws(chars[j]) {
            j += 1;
        }
        let c = *chars.get(j)?;
        if c == '>' {
            j += 1;
            break;
        }
        if c == '/' {
            if chars.get(j + 1) == Some(&'>') {
                self_closing = true;
                j += 2;
                break;
            }
            j += 1;
            continue;
        }
        // Attribute name.
        let name_start = j;
        while j < chars.len() && !is_html_ws(chars[j]) && !matches!(chars[j], '=' | '>' | '/') {
            j += 1;
        }
        if j == name_start {
            // A stray `=`; skip it to guarantee progress.
            j += 1;
            continue;
        }
        let attr_name: String =
            chars[name_start..j].iter().collect::<String>().to_ascii_lowercase();
        let mut k = j;
        while k < chars.len() && is_html_ws(chars[k]) {
            k += 1;
        }
        let mut value = String::new();
        if chars.get(k) == Some(&'=') {
            k += 1;
            while k < chars.len() && is_html_ws(chars[k]) {
                k += 1;
            }
            match chars.get(k) {
                Some(&q) if q == '"' || q == '\'' => {
                    let start = k + 1;
                    let end = (start..chars.len()).find(|&x| chars[x] == q)?;
                    value = chars[start..end].iter().collect();
                    k = end + 1;
                }
                Some(_) => {
                    let start = k;
                    while k < chars.len() && !is_html_ws(chars[k]) && chars[k] != '>' {
                        k += 1;
                    }
                    value = chars[start..k].iter().collect();
                }
                None => return None,
            }
            j = k;
        }
        attrs.push((attr_name, decode_entities(&value)));
    }
    Some((Some(Token::Start { name, attrs, self_closing }), j))
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "amp" | "AMP" => '&',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "bull" => '•',
        "middot" => '·',
        "times" => '×',
        "deg" => '°',
        "euro" => '€',
        _ => return None,
    })
}

/// Decodes HTML character references. Unknown or malformed references are
/// left as literal text.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '&' {
            if let Some((c, len)) = parse_entity(&chars[i..]) {
                out.push(c);
                i += len;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Parses a character reference at the start of `chars` (which begins with
/// `&`); returns the decoded char and the number of chars consumed.
fn parse_entity(chars: &[char]) -> Option<(char, usize)> {
    if chars.get(1) == Some(&'#') {
        let (radix, start) = match chars.get(2) {
            Some('x') | Some('X') => (16, 3),
            _ => (10, 2),
        };
        let mut j = start;
        let mut value: u32 = 0;
        while let Some(d) = chars.get(j).and_then(|c| c.to_digit(radix)) {
            value = value.saturating_mul(radix).saturating_add(d);
            j += 1;
        }
        if j == start {
            return None;
        }
        if chars.get(j) == Some(&';') {
            j += 1;
        }
        let c = if value == 0 { '\u{FFFD}' } else { char::from_u32(value).unwrap_or('\u{FFFD}') };
        return Some((c, j));
    }
    let mut j = 1;
    while j < chars.len() && j <= 32 && chars[j].is_ascii_alphanumeric() {
        j += 1;
    }
    if j == 1 || chars.get(j) != Some(&';') {
        return None;
    }
    let name: String = chars[1..j].iter().collect();
    named_entity(&name).map(|c| (c, j + 1))
}

// ---------------------------------------------------------------------------
// Tree
// ---------------------------------------------------------------------------

#[derive(Debug)]
enum Node {
    Text(String),
    Elem(Elem),
}

#[derive(Debug)]
struct Elem {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

impl Elem {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

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

fn push_child(parent: &mut Elem, node: Node) {
    if let Node::Text(t) = &node {
        if let Some(Node::Text(prev)) = parent.children.last_mut() {
            prev.push_str(t);
            return;
        }
    }
    parent.children.push(node);
}

fn pop_elem(stack: &mut Vec<Elem>) {
    if stack.len() > 1 {
        if let Some(e) = stack.pop() {
            if let Some(parent) = stack.last_mut() {
                push_child(parent, Node::Elem(e));
            }
        }
    }
}

/// Index of the innermost open element named one of `names`, not looking past
/// an element named one of `boundaries`.
fn find_open(stack: &[Elem], names: &[&str], boundaries: &[&str]) -> Option<usize> {
    for idx in (1..stack.len()).rev() {
        let n = stack[idx].name.as_str();
        if names.contains(&n) {
            return Some(idx);
        }
        if boundaries.contains(&n) {
            return None;
        }
    }
    None
}

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

fn build_tree(tokens: Vec<Token>) -> Vec<Node> {
    let mut stack: Vec<Elem> =
        vec![Elem { name: String::new(), attrs: Vec::new(), children: Vec::new() }];
    for tok in tokens {
        match tok {
            Token::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    push_child(top, Node::Text(t));
                }
            }
            Token::Start { name, attrs, self_closing } => {
                // Implied end tags.
                let implied = match name.as_str() {
                    "li" => find_open(&stack, &["li"], &["ul", "ol"]),
                    "dt" | "dd" => find_open(&stack, &["dt", "dd"], &["dl"]),
                    "p" => find_open(&stack, &["p"], P_BOUNDARIES),
                    _ => None,
                };
                if let Some(idx) = implied {
                    while stack.len() > idx {
                        pop_elem(&mut stack);
                    }
                }
                let elem = Elem { name, attrs, children: Vec::new() };
                if self_closing || is_void(&elem.name) {
                    if let Some(top) = stack.last_mut() {
                        push_child(top, Node::Elem(elem));
                    }
                } else if stack.len() < MAX_DEPTH {
                    stack.push(elem);
                }
            }
            Token::End(name) => {
                if name == "br" {
                    if let Some(top) = stack.last_mut() {
                        push_child(
                            top,
                            Node::Elem(Elem { name, attrs: Vec::new(), children: Vec::new() }),
                        );
                    }
                    continue;
                }
                if let Some(idx) = (1..stack.len()).rev().find(|&i| stack[i].name == name) {
                    while stack.len() > idx {
                        pop_elem(&mut stack);
                    }
                }
            }
        }
    }
    while stack.len() > 1 {
        pop_elem(&mut stack);
    }
    stack.pop().map(|root| root.children).unwrap_or_default()
}

// ---------------------------------------------------------------------------
// Element classification
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Br,
    Block,
    List { ordered: bool },
    Li,
    Dl,
    Dt,
    Dd,
    Pre,
    Admonition(&'static str),
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
        "note" => Kind::Admonition("Note"),
        "important" => Kind::Admonition("Important"),
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

fn has_block_descendant(e: &Elem) -> bool {
    e.children.iter().any(|c| match c {
        Node::Text(_) => false,
        Node::Elem(child) => classify(&child.name).is_block() || has_block_descendant(child),
    })
}

/// Text content of an element; `<br>` becomes `br`.
fn text_content(e: &Elem, br: &str, out: &mut String) {
    for c in &e.children {
        match c {
            Node::Text(t) => out.push_str(t),
            Node::Elem(child) => match classify(&child.name) {
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
    },
    /// Verbatim code lines.
    Code(Vec<String>),
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

fn render_nodes<'a>(nodes: impl IntoIterator<Item = &'a Node>) -> Vec<Block> {
    let mut r = BlockRenderer::default();
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
}

impl BlockRenderer {
    fn flush(&mut self) {
        let inline = std::mem::take(&mut self.inline);
        if let Some(b) = make_para(&inline.out) {
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
        match classify(&e.name) {
            Kind::Br => {
                if self.inline.hard_break() {
                    self.flush();
                }
            }
            Kind::Block | Kind::Dd => {
                self.flush();
                for c in &e.children {
                    self.node(c);
                }
                self.flush();
            }
            Kind::Hr => self.flush(),
            Kind::List { ordered } => {
                self.flush();
                if let Some(b) = render_list(e, ordered) {
                    self.blocks.push(b);
                }
            }
            Kind::Li => {
                self.flush();
                let item = render_nodes(&e.children);
                if !item.is_empty() {
                    self.blocks.push(Block::List { ordered: false, items: vec![item] });
                }
            }
            Kind::Dl => {
                self.flush();
                if let Some(b) = render_dl(e) {
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
            Kind::Admonition(label) => {
                self.flush();
                let mut inner = render_nodes(&e.children);
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
                for c in &e.children {
                    self.node(c);
                }
                self.inline.space();
            }
            Kind::Skip => {}
            Kind::Code | Kind::Strong | Kind::Emph | Kind::Link | Kind::Transparent => {
                if has_block_descendant(e) {
                    // Inline element wrapping blocks: drop the formatting.
                    for c in &e.children {
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
    for c in &e.children {
        inline_node(c, ctx, &mut sub);
    }
    let (inner, _, _) = sub.finish();
    if inner.is_empty() {
        None
    } else {
        make_para(&format!("**{inner}**"))
    }
}

fn render_list(e: &Elem, ordered: bool) -> Option<Block> {
    let mut items: Vec<Vec<Block>> = Vec::new();
    let mut stray: Vec<&Node> = Vec::new();
    fn flush_stray(stray: &mut Vec<&Node>, items: &mut Vec<Vec<Block>>) {
        if stray.is_empty() {
            return;
        }
        let blocks = render_nodes(stray.drain(..));
        if blocks.is_empty() {
            return;
        }
        match items.last_mut() {
            Some(last) => last.extend(blocks),
            None => items.push(blocks),
        }
    }
    for c in &e.children {
        match c {
            Node::Elem(li) if li.name == "li" => {
                flush_stray(&mut stray, &mut items);
                items.push(render_nodes(&li.children));
            }
            other => stray.push(other),
        }
    }
    flush_stray(&mut stray, &mut items);
    items.retain(|i| !i.is_empty());
    if items.is_empty() {
        None
    } else {
        Some(Block::List { ordered, items })
    }
}

fn render_dl(e: &Elem) -> Option<Block> {
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
    for c in &e.children {
        match c {
            Node::Elem(child) if child.name == "dt" || child.name == "dd" => {
                let pending = render_nodes(stray.drain(..));
                add_def(pending, &mut items, &mut term_open);
                if child.name == "dt" {
                    if let Some(term) = bold_para(child) {
                        items.push(vec![term]);
                        term_open = true;
                    }
                } else {
                    add_def(render_nodes(&child.children), &mut items, &mut term_open);
                }
            }
            other => stray.push(other),
        }
    }
    let pending = render_nodes(stray.drain(..));
    add_def(pending, &mut items, &mut term_open);
    if items.is_empty() {
        None
    } else {
        Some(Block::List { ordered: false, items })
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

fn blocks_to_lines(blocks: &[Block], in_item: bool, lines: &mut Vec<String>) {
    for (idx, block) in blocks.iter().enumerate() {
        if idx > 0 {
            let tight = in_item
                && matches!(blocks[idx - 1], Block::Para(_))
                && matches!(block, Block::List { .. });
            if !tight {
                lines.push(String::new());
            }
        }
        match block {
            Block::Para(s) => lines.extend(s.split('\n').map(str::to_string)),
            Block::Code(code) => {
                let longest = code.iter().map(|l| max_run(l, '`')).max().unwrap_or(0);
                let fence = "`".repeat((longest + 1).max(3));
                lines.push(format!("{fence}text"));
                lines.extend(code.iter().cloned());
                lines.push(fence);
            }
            Block::List { ordered, items } => {
                let rendered: Vec<Vec<String>> = items
                    .iter()
                    .map(|item| {
                        let mut l = Vec::new();
                        blocks_to_lines(item, true, &mut l);
                        l
                    })
                    .collect();
                let loose = rendered.iter().any(|r| r.iter().any(String::is_empty));
                for (k, item_lines) in rendered.iter().enumerate() {
                    if k > 0 && loose {
                        lines.push(String::new());
                    }
                    let marker = if *ordered { format!("{}. ", k + 1) } else { "- ".to_string() };
                    let indent = " ".repeat(marker.len());
                    for (m, l) in item_lines.iter().enumerate() {
                        if m == 0 {
                            lines.push(format!("{marker}{l}"));
                        } else if l.is_empty() {
                            lines.push(String::new());
                        } else {
                            lines.push(format!("{indent}{l}"));
                        }
                    }
                }
            }
        }
    }
}

fn finish_lines(lines: Vec<String>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in &lines {
        let line = line.trim_end();
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
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

struct LastSpan {
    kind: SpanKind,
    start: usize,
    inner: String,
}

/// Inline Markdown accumulator with HTML whitespace collapsing. `\n` in `out`
/// marks a hard line break.
#[derive(Default)]
struct Inline {
    out: String,
    pending_space: bool,
    leading_space: bool,
    /// The span that `out` currently ends with, for merging adjacent spans of
    /// the same kind (`**a****b**` does not parse as intended).
    last_span: Option<LastSpan>,
}

impl Inline {
    fn space(&mut self) {
        if self.out.is_empty() {
            self.leading_space = true;
        } else {
            self.pending_space = true;
        }
    }

    fn flush_space(&mut self) {
        if self.pending_space {
            if !self.out.is_empty() && !self.out.ends_with('\n') {
                self.out.push(' ');
                self.last_span = None;
            }
            self.pending_space = false;
        }
    }

    fn push(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        self.flush_space();
        self.out.push_str(s);
        self.last_span = None;
    }

    /// Adds a hard break. Returns `true` if the buffer already ended with a
    /// hard break (two breaks in a row separate paragraphs).
    fn hard_break(&mut self) -> bool {
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
        self.last_span = None;
        false
    }

    /// Returns the content with surrounding whitespace / breaks removed,
    /// plus whether there was leading / trailing whitespace.
    fn finish(self) -> (String, bool, bool) {
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
            let merge = !self.pending_space
                && self
                    .last_span
                    .as_ref()
                    .is_some_and(|l| l.kind == kind && l.start <= self.out.len());
            let (start, combined) = match (merge, self.last_span.take()) {
                (true, Some(last)) => (last.start, format!("{}{}", last.inner, inner)),
                _ => {
                    self.flush_space();
                    (self.out.len(), inner.to_string())
                }
            };
            self.out.truncate(start);
            let rendered = match kind {
                SpanKind::Code => code_span(&combined),
                SpanKind::Strong => format!("**{combined}**"),
                SpanKind::Emph => format!("*{combined}*"),
            };
            self.out.push_str(&rendered);
            self.last_span = Some(LastSpan { kind, start, inner: combined });
        }
        if trailing {
            self.space();
        }
    }

    /// Appends HTML text, collapsing whitespace, escaping Markdown syntax and
    /// turning bare URLs into autolinks.
    fn text(&mut self, t: &str, ctx: Ctx) {
        let chars: Vec<char> = t.chars().collect();
        let mut i = 0;
        let mut buf = String::new();
        while i < chars.len() {
            let c = chars[i];
            if is_html_ws(c) {
                self.push(&buf);
                buf.clear();
                self.space();
                i += 1;
                continue;
            }
            if c.is_control() {
                i += 1;
                continue;
            }
            if !ctx.in_link && (c == 'h' || c == 'H') {
                if let Some(end) = bare_url_end(&chars, i) {
                    self.push(&buf);
                    buf.clear();
                    let url: String = chars[i..end].iter().collect();
                    self.push(&url_link(&url));
                    i = end;
                    continue;
                }
            }
            let prev = if i > 0 { Some(chars[i - 1]) } else { None };
            escape_char(c, prev, &chars[i + 1..], &mut buf);
            i += 1;
        }
        self.push(&buf);
    }
}

/// Escapes one text character for Markdown. `rest` are the characters that
/// follow in the same text node.
fn escape_char(c: char, prev: Option<char>, rest: &[char], out: &mut String) {
    match c {
        '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~' => {
            out.push('\\');
            out.push(c);
        }
        '_' => {
            let alnum = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
            if !(alnum(prev.as_ref()) && alnum(rest.first())) {
                out.push('\\');
            }
            out.push('_');
        }
        '&' => {
            if rest.first().is_none_or(|c| c.is_ascii_alphanumeric() || *c == '#') {
                out.push_str("&amp;");
            } else {
                out.push('&');
            }
        }
        _ => out.push(c),
    }
}

fn escape_text_plain(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        escape_char(c, prev, &chars[i + 1..], &mut out);
    }
    out
}

/// If a bare `http://` / `https://` URL starts at `chars[i]`, returns the
/// index just past its end.
fn bare_url_end(chars: &[char], i: usize) -> Option<usize> {
    let lower: String =
        chars[i..chars.len().min(i + 8)].iter().collect::<String>().to_ascii_lowercase();
    let scheme_len = if lower.starts_with("https://") {
        8
    } else if lower.starts_with("http://") {
        7
    } else {
        return None;
    };
    let mut end = i;
    while end < chars.len() {
        let c = chars[end];
        if c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '`') {
            break;
        }
        end += 1;
    }
    // Strip trailing punctuation that is most likely not part of the URL;
    // closing brackets only when unbalanced.
    let count = |ch: char| chars[i..end].iter().filter(|&&c| c == ch).count();
    let mut closers = [count(')'), count(']'), count('}')];
    let openers = [count('('), count('['), count('{')];
    while end > i {
        let strip = match chars[end - 1] {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '_' | '~' => true,
            c @ (')' | ']' | '}') => {
                let k = match c {
                    ')' => 0,
                    ']' => 1,
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
    if end - i > scheme_len {
        Some(end)
    } else {
        None
    }
}

/// Whether `&` at the start of `s` would be read as a character reference.
fn entity_like(s: &str) -> bool {
    let chars: Vec<char> = s.chars().take(40).collect();
    if chars.first() != Some(&'&') {
        return false;
    }
    let mut j = 1;
    if chars.get(1) == Some(&'#') {
        j = 2;
        if matches!(chars.get(2), Some('x') | Some('X')) {
            j = 3;
        }
    }
    let start = j;
    while j < chars.len() && chars[j].is_ascii_alphanumeric() {
        j += 1;
    }
    j > start && chars.get(j) == Some(&';')
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
    for c in &e.children {
        inline_node(c, ctx, inline);
    }
}

fn inline_elem(e: &Elem, ctx: Ctx, inline: &mut Inline) {
    match classify(&e.name) {
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
            let Some(url) = e.attr("href").and_then(absolute_url) else {
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
