//! Smithy `@pattern` support: a small regular-expression engine for the
//! ECMA-262 dialect the trait is written in, enough for the patterns AWS
//! models use.
//!
//! A [`Pattern`] is compiled once into a Thompson NFA and run as a Pike VM
//! without captures: the set of live states advances one character at a time,
//! so matching never backtracks and takes time linear in the length of the
//! text. Compilation is bounded too: groups may nest at most 50 deep and the
//! compiled program (after counted repetitions such as `{1,63}` are expanded)
//! may hold at most 20 000 instructions. Nothing in this module panics.

use std::fmt;

/// Most instructions a compiled program may hold (enough for `^\S{1,8192}$`).
const MAX_INSTRUCTIONS: usize = 20_000;

/// Most groups that may be open at once while parsing.
const MAX_DEPTH: usize = 50;

/// Largest Unicode scalar value.
const MAX_CHAR: u32 = 0x10_FFFF;

/// `\d`: ASCII digits.
const DIGIT: &[(u32, u32)] = &[(0x30, 0x39)];

/// `\w`: ASCII letters, digits and `_`.
const WORD: &[(u32, u32)] = &[(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)];

/// `\s`: ECMA-262 WhiteSpace and LineTerminator.
const SPACE: &[(u32, u32)] = &[
    (0x09, 0x0D),
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
    (0xFEFF, 0xFEFF),
];

/// LineTerminator: what `.` does not match.
const LINE_TERMINATOR: &[(u32, u32)] = &[(0x0A, 0x0A), (0x0D, 0x0D), (0x2028, 0x2029)];

/// What kind of problem a [`PatternError`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PatternErrorKind {
    /// The pattern is not a valid regular expression.
    Syntax,
    /// The pattern may be valid, but uses a feature this engine does not
    /// implement: lookaround, backreferences, Unicode property escapes
    /// (`\p{L}`), legacy octal escapes or inline flags.
    Unsupported,
    /// The pattern nests groups too deeply, or its compiled program would be
    /// too large (usually because of large counted repetitions).
    TooComplex,
}

/// The error returned by [`Pattern::new`] for a pattern it cannot compile.
///
/// Code that validates values against a model's `@pattern` should treat any
/// error as "this constraint cannot be checked here", not as a failed check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    kind: PatternErrorKind,
    message: &'static str,
    offset: Option<usize>,
}

impl PatternError {
    fn new(kind: PatternErrorKind, message: &'static str, offset: usize) -> Self {
        PatternError { kind, message, offset: Some(offset) }
    }

    fn too_large() -> Self {
        PatternError {
            kind: PatternErrorKind::TooComplex,
            message: "the compiled pattern would be too large",
            offset: None,
        }
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> PatternErrorKind {
        self.kind
    }

    /// Where in the pattern (counted in characters, from 0) the problem was
    /// found, when it has a position.
    pub fn offset(&self) -> Option<usize> {
        self.offset
    }

    /// A short description of the problem.
    pub fn message(&self) -> &'static str {
        self.message
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            PatternErrorKind::Syntax => "invalid regular expression",
            PatternErrorKind::Unsupported => "unsupported regular expression feature",
            PatternErrorKind::TooComplex => "regular expression too complex",
        };
        match self.offset {
            Some(offset) => write!(f, "{what} at character {offset}: {}", self.message),
            None => write!(f, "{what}: {}", self.message),
        }
    }
}

impl std::error::Error for PatternError {}

/// A compiled `@pattern` regular expression.
///
/// The dialect is ECMA-262 without flags (as the Smithy specification says),
/// matched on Unicode scalar values rather than UTF-16 code units:
///
/// * literals, and `\` before any character that is not an ASCII letter or
///   digit (`\.`, `\/`, `\-`, `\:`, `\\` ...) for that character;
/// * `.` (any character but `\n`, `\r`, U+2028 and U+2029);
/// * classes `[...]` and `[^...]` with ranges, class escapes and a literal
///   `-` at either end (`[]` matches nothing, `[^]` anything);
/// * `\d \D \w \W \s \S`, `\b \B` (`\b` is a backspace inside a class),
///   `\t \n \r \f \v \0`, `\cX`, `\xHH`, `\uHHHH` (a surrogate pair written as
///   two escapes is one character) and `\u{H...}`;
/// * anchors `^` and `$` (start and end of the whole text only);
/// * groups `(...)`, `(?:...)` and `(?<name>...)`, alternation `|`;
/// * quantifiers `* + ? {n} {n,} {n,m}` and their lazy forms (`*?` ...).
///
/// Lookaround, backreferences, `\p{...}` property escapes and inline flags
/// are reported as [`PatternErrorKind::Unsupported`] rather than matched
/// wrongly.
#[derive(Clone)]
pub struct Pattern {
    source: String,
    program: Vec<Inst>,
    classes: Vec<Box<[(u32, u32)]>>,
    /// Every match has to start at the beginning of the text.
    anchored: bool,
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pattern").field("source", &self.source).finish_non_exhaustive()
    }
}

impl Pattern {
    /// Compiles a pattern.
    ///
    /// # Errors
    ///
    /// Returns a [`PatternError`] if the pattern is not a valid regular
    /// expression, uses an unsupported feature, or is too complex to compile.
    pub fn new(source: &str) -> Result<Pattern, PatternError> {
        let mut parser =
            Parser { chars: source.chars().collect(), pos: 0, depth: 0, classes: Vec::new() };
        let ast = parser.parse_alternation()?;
        if parser.pos < parser.chars.len() {
            // `parse_alternation` stops early only at a `)` it did not open.
            return Err(PatternError::new(PatternErrorKind::Syntax, "unmatched `)`", parser.pos));
        }
        let mut compiler = Compiler { program: Vec::new() };
        compiler.compile(&ast)?;
        compiler.emit(Inst::Match)?;
        let mut pattern = Pattern {
            source: source.to_owned(),
            program: compiler.program,
            classes: parser.classes,
            anchored: false,
        };
        pattern.anchored = pattern.is_anchored();
        Ok(pattern)
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the pattern matches anywhere in `text` (search semantics: an
    /// unanchored pattern may match any part of the text).
    pub fn is_match(&self, text: &str) -> bool {
        let mut marks = vec![usize::MAX; self.program.len()];
        let mut current = Vec::new();
        let mut next_list = Vec::new();
        let mut stack = Vec::new();
        let mut chars = text.chars();
        let mut prev = None;
        let mut cur = chars.next();
        let mut step = 0usize;
        loop {
            if step == 0 || !self.anchored {
                let at = Position { prev, next: cur };
                if self.add_thread(0, at, step, &mut marks, &mut current, &mut stack) {
                    return true;
                }
            } else if current.is_empty() {
                return false;
            }
            let Some(c) = cur else {
                return false;
            };
            let following = chars.next();
            let at = Position { prev: Some(c), next: following };
            next_list.clear();
            for &pc in &current {
                if self.consumes(pc, c)
                    && self.add_thread(pc + 1, at, step + 1, &mut marks, &mut next_list, &mut stack)
                {
                    return true;
                }
            }
            std::mem::swap(&mut current, &mut next_list);
            prev = Some(c);
            cur = following;
            step += 1;
        }
    }

    /// Whether no text at all can match: `false` means some text matches
    /// (ignoring `\b` and `\B`, which are assumed satisfiable).
    ///
    /// Such a pattern is valid but almost certainly a model bug, for example
    /// a JavaScript regular expression literal with its delimiters kept
    /// (`/^\d{12}$/` requires a `/` before the start of the text).
    pub fn never_matches(&self) -> bool {
        // States: (instruction, a character was consumed, `$` was passed).
        let mut seen = vec![false; self.program.len() * 4];
        let mut stack = vec![(0usize, false, false)];
        while let Some((pc, consumed, ended)) = stack.pop() {
            let slot = pc * 4 + usize::from(consumed) * 2 + usize::from(ended);
            match seen.get_mut(slot) {
                Some(seen) if !*seen => *seen = true,
                _ => continue,
            }
            let nonempty = |index: usize| self.classes.get(index).is_some_and(|r| !r.is_empty());
            match self.program.get(pc) {
                Some(Inst::Match) => return false,
                Some(Inst::Char(_)) if !ended => stack.push((pc + 1, true, false)),
                Some(Inst::Class(index)) if !ended && nonempty(*index) => {
                    stack.push((pc + 1, true, false));
                }
                Some(Inst::Assert(Assertion::Start)) if !consumed => {
                    stack.push((pc + 1, consumed, ended));
                }
                Some(Inst::Assert(Assertion::End)) => stack.push((pc + 1, consumed, true)),
                Some(Inst::Assert(Assertion::WordBoundary | Assertion::NotWordBoundary)) => {
                    stack.push((pc + 1, consumed, ended));
                }
                Some(Inst::Jmp(to)) => stack.push((*to as usize, consumed, ended)),
                Some(Inst::Split(a, b)) => {
                    stack.push((*b as usize, consumed, ended));
                    stack.push((*a as usize, consumed, ended));
                }
                // Dead ends: nothing more can be consumed after `$`, `^`
                // after a character, an empty class.
                None | Some(Inst::Char(_) | Inst::Class(_) | Inst::Assert(Assertion::Start)) => {}
            }
        }
        true
    }

    /// Whether instruction `pc` consumes `c`.
    fn consumes(&self, pc: usize, c: char) -> bool {
        match self.program.get(pc) {
            Some(Inst::Char(x)) => *x == c,
            Some(Inst::Class(index)) => {
                self.classes.get(*index).is_some_and(|ranges| class_contains(ranges, c))
            }
            _ => false,
        }
    }

    /// Adds the thread at `pc` and everything reachable from it without
    /// consuming a character (at position `at`) to `list`, once per `step`.
    /// Returns whether that reaches a match.
    fn add_thread(
        &self,
        pc: usize,
        at: Position,
        step: usize,
        marks: &mut [usize],
        list: &mut Vec<usize>,
        stack: &mut Vec<usize>,
    ) -> bool {
        stack.clear();
        stack.push(pc);
        while let Some(pc) = stack.pop() {
            match marks.get_mut(pc) {
                Some(mark) if *mark != step => *mark = step,
                _ => continue,
            }
            match self.program.get(pc) {
                None => {}
                Some(Inst::Match) => return true,
                Some(Inst::Char(_) | Inst::Class(_)) => list.push(pc),
                Some(Inst::Assert(assertion)) if at.satisfies(*assertion) => stack.push(pc + 1),
                Some(Inst::Jmp(to)) => stack.push(*to as usize),
                Some(Inst::Split(a, b)) => {
                    stack.push(*b as usize);
                    stack.push(*a as usize);
                }
                Some(Inst::Assert(_)) => {}
            }
        }
        false
    }

    /// Whether every path from the start passes `^` before it consumes a
    /// character or matches.
    fn is_anchored(&self) -> bool {
        let mut seen = vec![false; self.program.len()];
        let mut stack = vec![0usize];
        while let Some(pc) = stack.pop() {
            match seen.get_mut(pc) {
                Some(seen) if !*seen => *seen = true,
                _ => continue,
            }
            match self.program.get(pc) {
                None | Some(Inst::Assert(Assertion::Start)) => {}
                Some(Inst::Match | Inst::Char(_) | Inst::Class(_)) => return false,
                Some(Inst::Assert(_)) => stack.push(pc + 1),
                Some(Inst::Jmp(to)) => stack.push(*to as usize),
                Some(Inst::Split(a, b)) => {
                    stack.push(*a as usize);
                    stack.push(*b as usize);
                }
            }
        }
        true
    }
}

/// Whether the sorted, disjoint `ranges` contain `c`.
fn class_contains(ranges: &[(u32, u32)], c: char) -> bool {
    let c = u32::from(c);
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// The characters around a position in the text.
#[derive(Clone, Copy)]
struct Position {
    prev: Option<char>,
    next: Option<char>,
}

impl Position {
    fn satisfies(self, assertion: Assertion) -> bool {
        match assertion {
            Assertion::Start => self.prev.is_none(),
            Assertion::End => self.next.is_none(),
            Assertion::WordBoundary => is_word(self.prev) != is_word(self.next),
            Assertion::NotWordBoundary => is_word(self.prev) == is_word(self.next),
        }
    }
}

fn is_word(c: Option<char>) -> bool {
    matches!(c, Some('a'..='z' | 'A'..='Z' | '0'..='9' | '_'))
}

/// A zero-width assertion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Assertion {
    /// `^`
    Start,
    /// `$`
    End,
    /// `\b`
    WordBoundary,
    /// `\B`
    NotWordBoundary,
}

/// One instruction of the compiled program.
#[derive(Clone, Copy, Debug)]
enum Inst {
    /// Consume this character.
    Char(char),
    /// Consume a character of the class at this index.
    Class(usize),
    /// Continue only if the assertion holds here.
    Assert(Assertion),
    /// Continue at the instruction.
    Jmp(u32),
    /// Continue at both instructions.
    Split(u32, u32),
    /// The pattern matched.
    Match,
}

/// The parsed pattern.
enum Node {
    Empty,
    Char(char),
    Class(usize),
    Assert(Assertion),
    Concat(Vec<Node>),
    Alternation(Vec<Node>),
    Repeat { node: Box<Node>, min: u32, max: Option<u32> },
}

impl Node {
    /// Whether the node compiles to no instructions at all.
    fn compiles_to_nothing(&self) -> bool {
        match self {
            Node::Empty => true,
            Node::Char(_) | Node::Class(_) | Node::Assert(_) => false,
            Node::Concat(nodes) => nodes.iter().all(Node::compiles_to_nothing),
            Node::Alternation(nodes) => {
                nodes.len() <= 1 && nodes.iter().all(Node::compiles_to_nothing)
            }
            Node::Repeat { node, max, .. } => *max == Some(0) || node.compiles_to_nothing(),
        }
    }
}

/// What an escape sequence stands for.
enum Escape {
    Char(u32),
    Set(Vec<(u32, u32)>),
    Assert(Assertion),
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
    classes: Vec<Box<[(u32, u32)]>>,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn error(&self, kind: PatternErrorKind, message: &'static str, at: usize) -> PatternError {
        PatternError::new(kind, message, at)
    }

    fn syntax(&self, message: &'static str, at: usize) -> PatternError {
        self.error(PatternErrorKind::Syntax, message, at)
    }

    fn unsupported(&self, message: &'static str, at: usize) -> PatternError {
        self.error(PatternErrorKind::Unsupported, message, at)
    }

    /// Stores a class (given as possibly overlapping ranges) and returns its node.
    fn class_node(&mut self, ranges: Vec<(u32, u32)>, negate: bool) -> Node {
        let ranges = normalize(ranges, negate);
        self.classes.push(ranges.into_boxed_slice());
        Node::Class(self.classes.len() - 1)
    }

    /// The node for a literal code point (a lone surrogate matches nothing).
    fn char_node(&mut self, code: u32) -> Node {
        match char::from_u32(code) {
            Some(c) => Node::Char(c),
            None => self.class_node(Vec::new(), false),
        }
    }

    /// Disjunction: alternatives separated by `|`, up to the end or a `)`.
    fn parse_alternation(&mut self) -> Result<Node, PatternError> {
        let mut branches = vec![self.parse_concat()?];
        while self.eat('|') {
            branches.push(self.parse_concat()?);
        }
        if branches.len() == 1 {
            Ok(branches.pop().unwrap_or(Node::Empty))
        } else {
            Ok(Node::Alternation(branches))
        }
    }

    /// Alternative: a sequence of terms, up to the end, a `|` or a `)`.
    fn parse_concat(&mut self) -> Result<Node, PatternError> {
        let mut terms = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let (atom, quantifiable) = self.parse_atom()?;
            let term = if quantifiable { self.parse_quantifier(atom)? } else { atom };
            terms.push(term);
        }
        Ok(match terms.len() {
            0 => Node::Empty,
            1 => terms.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(terms),
        })
    }

    /// An atom, and whether a quantifier may follow it.
    fn parse_atom(&mut self) -> Result<(Node, bool), PatternError> {
        let start = self.pos;
        let Some(c) = self.bump() else {
            return Ok((Node::Empty, false));
        };
        let atom = match c {
            '^' => return Ok((Node::Assert(Assertion::Start), false)),
            '$' => return Ok((Node::Assert(Assertion::End), false)),
            '.' => self.class_node(LINE_TERMINATOR.to_vec(), true),
            '(' => self.parse_group(start)?,
            '[' => self.parse_class()?,
            '\\' => match self.parse_escape(false)? {
                Escape::Char(code) => self.char_node(code),
                Escape::Set(ranges) => self.class_node(ranges, false),
                Escape::Assert(assertion) => return Ok((Node::Assert(assertion), false)),
            },
            '*' | '+' | '?' => return Err(self.syntax("nothing to repeat", start)),
            '{' => {
                self.pos = start;
                if self.braced_quantifier()?.is_some() {
                    return Err(self.syntax("nothing to repeat", start));
                }
                // Not a quantifier: a literal brace (ECMA-262 Annex B).
                self.pos = start + 1;
                Node::Char('{')
            }
            c => Node::Char(c),
        };
        Ok((atom, true))
    }

    /// Applies a quantifier, if one follows, to `atom`.
    fn parse_quantifier(&mut self, atom: Node) -> Result<Node, PatternError> {
        let (min, max) = match self.peek() {
            Some('*') => {
                self.pos += 1;
                (0, None)
            }
            Some('+') => {
                self.pos += 1;
                (1, None)
            }
            Some('?') => {
                self.pos += 1;
                (0, Some(1))
            }
            Some('{') => match self.braced_quantifier()? {
                Some(bounds) => bounds,
                None => return Ok(atom),
            },
            _ => return Ok(atom),
        };
        // Laziness changes which match is found, not whether there is one.
        self.eat('?');
        Ok(Node::Repeat { node: Box::new(atom), min, max })
    }

    /// Parses `{n}`, `{n,}` or `{n,m}` at the current `{`. If the text there
    /// is not such a quantifier, returns `None` and leaves the position alone.
    fn braced_quantifier(&mut self) -> Result<Option<(u32, Option<u32>)>, PatternError> {
        let start = self.pos;
        if !self.eat('{') {
            return Ok(None);
        }
        let Some(min) = self.number() else {
            self.pos = start;
            return Ok(None);
        };
        let max = if self.eat(',') {
            if self.peek() == Some('}') {
                None
            } else {
                match self.number() {
                    Some(max) => Some(max),
                    None => {
                        self.pos = start;
                        return Ok(None);
                    }
                }
            }
        } else {
            Some(min)
        };
        if !self.eat('}') {
            self.pos = start;
            return Ok(None);
        }
        if max.is_some_and(|max| max < min) {
            return Err(self.syntax("numbers out of order in `{}` quantifier", start));
        }
        Ok(Some((min, max)))
    }

    /// Decimal digits (saturating), if any.
    fn number(&mut self) -> Option<u32> {
        let mut value: Option<u32> = None;
        while let Some(digit) = self.peek().and_then(|c| c.to_digit(10)) {
            self.pos += 1;
            value = Some(value.unwrap_or(0).saturating_mul(10).saturating_add(digit));
        }
        value
    }

    /// A group, after its `(` (at `start`).
    fn parse_group(&mut self, start: usize) -> Result<Node, PatternError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(
                PatternErrorKind::TooComplex,
                "groups are nested too deeply",
                start,
            ));
        }
        if self.eat('?') {
            match self.bump() {
                Some(':') => {}
                Some('=' | '!') => {
                    return Err(self.unsupported("lookahead assertions are not supported", start))
                }
                Some('<') => match self.peek() {
                    Some('=' | '!') => {
                        return Err(
                            self.unsupported("lookbehind assertions are not supported", start)
                        )
                    }
                    _ => self.group_name(start)?,
                },
                Some(c) if c.is_ascii_alphabetic() || c == '-' => {
                    return Err(self.unsupported("inline flags are not supported", start))
                }
                _ => return Err(self.syntax("invalid group", start)),
            }
        }
        self.depth += 1;
        let inner = self.parse_alternation()?;
        self.depth -= 1;
        if !self.eat(')') {
            return Err(self.syntax("unterminated group", start));
        }
        Ok(inner)
    }

    /// The name of a named group, after `(?<`, through its `>`.
    fn group_name(&mut self, start: usize) -> Result<(), PatternError> {
        let mut empty = true;
        loop {
            match self.bump() {
                Some('>') if !empty => return Ok(()),
                Some(c) if c == '_' || c == '$' || c.is_alphabetic() => empty = false,
                Some(c) if c.is_alphanumeric() && !empty => {}
                _ => return Err(self.syntax("invalid group name", start)),
            }
        }
    }

    /// A class, after its `[`.
    fn parse_class(&mut self) -> Result<Node, PatternError> {
        let start = self.pos - 1;
        let negate = self.eat('^');
        let mut ranges = Vec::new();
        loop {
            let Some(c) = self.bump() else {
                return Err(self.syntax("unterminated character class", start));
            };
            if c == ']' {
                break;
            }
            let first = self.class_atom(c)?;
            let is_range = self.peek() == Some('-')
                && self.peek_at(1).is_some()
                && self.peek_at(1) != Some(']');
            if !is_range {
                push_class_atom(&mut ranges, first);
                continue;
            }
            let dash = self.pos;
            self.pos += 1;
            let Some(c) = self.bump() else {
                return Err(self.syntax("unterminated character class", start));
            };
            let last = self.class_atom(c)?;
            match (first, last) {
                (Escape::Char(lo), Escape::Char(hi)) => {
                    if lo > hi {
                        return Err(self.syntax("range out of order in character class", dash));
                    }
                    ranges.push((lo, hi));
                }
                (first, last) => {
                    // A class escape at either end: `-` is literal (Annex B).
                    push_class_atom(&mut ranges, first);
                    ranges.push((u32::from('-'), u32::from('-')));
                    push_class_atom(&mut ranges, last);
                }
            }
        }
        Ok(self.class_node(ranges, negate))
    }

    /// One class member starting with `c` (already consumed).
    fn class_atom(&mut self, c: char) -> Result<Escape, PatternError> {
        if c == '\\' {
            self.parse_escape(true)
        } else {
            Ok(Escape::Char(u32::from(c)))
        }
    }

    /// An escape, after its `\`.
    fn parse_escape(&mut self, in_class: bool) -> Result<Escape, PatternError> {
        let start = self.pos - 1;
        let Some(c) = self.bump() else {
            return Err(self.syntax("`\\` at end of pattern", start));
        };
        let escape = match c {
            'd' => Escape::Set(DIGIT.to_vec()),
            'D' => Escape::Set(complement(DIGIT)),
            'w' => Escape::Set(WORD.to_vec()),
            'W' => Escape::Set(complement(WORD)),
            's' => Escape::Set(SPACE.to_vec()),
            'S' => Escape::Set(complement(SPACE)),
            'b' if in_class => Escape::Char(0x08),
            'b' => Escape::Assert(Assertion::WordBoundary),
            'B' if in_class => return Err(self.syntax("`\\B` inside a character class", start)),
            'B' => Escape::Assert(Assertion::NotWordBoundary),
            't' => Escape::Char(0x09),
            'n' => Escape::Char(0x0A),
            'v' => Escape::Char(0x0B),
            'f' => Escape::Char(0x0C),
            'r' => Escape::Char(0x0D),
            '0' if self.peek().is_some_and(|c| c.is_ascii_digit()) => {
                return Err(self.unsupported("octal escapes are not supported", start))
            }
            '0' => Escape::Char(0),
            '1'..='9' if in_class => {
                return Err(self.unsupported("octal escapes are not supported", start))
            }
            '1'..='9' => return Err(self.unsupported("backreferences are not supported", start)),
            'k' => return Err(self.unsupported("named backreferences are not supported", start)),
            'p' | 'P' => {
                return Err(self
                    .unsupported("Unicode property escapes (`\\p{...}`) are not supported", start))
            }
            'c' => match self.bump() {
                Some(letter) if letter.is_ascii_alphabetic() => {
                    Escape::Char(u32::from(letter) % 32)
                }
                _ => return Err(self.syntax("invalid `\\c` escape", start)),
            },
            'x' => match self.hex_digits(2) {
                Some(code) => Escape::Char(code),
                None => return Err(self.syntax("invalid `\\x` escape", start)),
            },
            'u' => Escape::Char(self.unicode_escape(start)?),
            c if c.is_ascii_alphanumeric() => {
                return Err(self.syntax("unknown escape", start));
            }
            c => Escape::Char(u32::from(c)),
        };
        Ok(escape)
    }

    /// The code point of a `\u` escape, after its `u`.
    fn unicode_escape(&mut self, start: usize) -> Result<u32, PatternError> {
        if self.eat('{') {
            let mut value: u32 = 0;
            let mut digits = 0;
            while let Some(digit) = self.peek().and_then(|c| c.to_digit(16)) {
                self.pos += 1;
                digits += 1;
                value = value.saturating_mul(16).saturating_add(digit);
            }
            if digits == 0 || value > MAX_CHAR || !self.eat('}') {
                return Err(self.syntax("invalid `\\u{...}` escape", start));
            }
            return Ok(value);
        }
        let Some(code) = self.hex_digits(4) else {
            return Err(self.syntax("invalid `\\u` escape", start));
        };
        // A surrogate pair written as two escapes stands for one character.
        if (0xD800..=0xDBFF).contains(&code)
            && self.peek() == Some('\\')
            && self.peek_at(1) == Some('u')
        {
            let back = self.pos;
            self.pos += 2;
            match self.hex_digits(4) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    return Ok(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00));
                }
                _ => self.pos = back,
            }
        }
        Ok(code)
    }

    /// Exactly `count` hex digits, or `None` (and the position unchanged).
    fn hex_digits(&mut self, count: usize) -> Option<u32> {
        let mut value = 0;
        for ahead in 0..count {
            let digit = self.peek_at(ahead)?.to_digit(16)?;
            value = value * 16 + digit;
        }
        self.pos += count;
        Some(value)
    }
}

fn push_class_atom(ranges: &mut Vec<(u32, u32)>, atom: Escape) {
    match atom {
        Escape::Char(code) => ranges.push((code, code)),
        Escape::Set(set) => ranges.extend(set),
        // Assertions cannot occur inside a class.
        Escape::Assert(_) => {}
    }
}

/// Sorts and merges `ranges`, complements them if asked, and removes the
/// surrogate code points (which are not characters).
fn normalize(mut ranges: Vec<(u32, u32)>, negate: bool) -> Vec<(u32, u32)> {
    ranges.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
    for (lo, hi) in ranges {
        match merged.last_mut() {
            Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
            _ => merged.push((lo, hi)),
        }
    }
    if negate {
        merged = complement(&merged);
    }
    let mut out = Vec::with_capacity(merged.len() + 1);
    for (lo, hi) in merged {
        if hi < 0xD800 || lo > 0xDFFF {
            out.push((lo, hi));
        } else {
            if lo < 0xD800 {
                out.push((lo, 0xD7FF));
            }
            if hi > 0xDFFF {
                out.push((0xE000, hi));
            }
        }
    }
    out
}

/// The complement of sorted, disjoint ranges within `0..=MAX_CHAR`.
fn complement(ranges: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut out = Vec::with_capacity(ranges.len() + 1);
    let mut next = 0u32;
    for &(lo, hi) in ranges {
        if lo > next {
            out.push((next, lo - 1));
        }
        next = hi.saturating_add(1);
    }
    if next <= MAX_CHAR {
        out.push((next, MAX_CHAR));
    }
    out
}

struct Compiler {
    program: Vec<Inst>,
}

impl Compiler {
    fn emit(&mut self, inst: Inst) -> Result<u32, PatternError> {
        if self.program.len() >= MAX_INSTRUCTIONS {
            return Err(PatternError::too_large());
        }
        self.program.push(inst);
        Ok(self.here() - 1)
    }

    /// The index of the next instruction.
    fn here(&self) -> u32 {
        // At most MAX_INSTRUCTIONS, so this never truncates.
        self.program.len() as u32
    }

    fn patch(&mut self, at: u32, inst: Inst) {
        if let Some(slot) = self.program.get_mut(at as usize) {
            *slot = inst;
        }
    }

    fn compile(&mut self, node: &Node) -> Result<(), PatternError> {
        match node {
            Node::Empty => {}
            Node::Char(c) => {
                self.emit(Inst::Char(*c))?;
            }
            Node::Class(index) => {
                self.emit(Inst::Class(*index))?;
            }
            Node::Assert(assertion) => {
                self.emit(Inst::Assert(*assertion))?;
            }
            Node::Concat(nodes) => {
                for node in nodes {
                    self.compile(node)?;
                }
            }
            Node::Alternation(nodes) => {
                let mut jumps = Vec::new();
                let mut rest = nodes.iter().peekable();
                while let Some(node) = rest.next() {
                    if rest.peek().is_none() {
                        self.compile(node)?;
                        break;
                    }
                    let split = self.emit(Inst::Split(0, 0))?;
                    self.compile(node)?;
                    jumps.push(self.emit(Inst::Jmp(0))?);
                    let next = self.here();
                    self.patch(split, Inst::Split(split + 1, next));
                }
                let end = self.here();
                for jump in jumps {
                    self.patch(jump, Inst::Jmp(end));
                }
            }
            Node::Repeat { node, min, max } => {
                // Every copy of a node that compiles to something adds at
                // least one instruction, so the size limit ends these loops.
                if node.compiles_to_nothing() || *max == Some(0) {
                    return Ok(());
                }
                match *max {
                    None if *min == 0 => {
                        let split = self.emit(Inst::Split(0, 0))?;
                        self.compile(node)?;
                        self.emit(Inst::Jmp(split))?;
                        let end = self.here();
                        self.patch(split, Inst::Split(split + 1, end));
                    }
                    None => {
                        for _ in 1..*min {
                            self.compile(node)?;
                        }
                        let again = self.here();
                        self.compile(node)?;
                        let split = self.emit(Inst::Split(again, 0))?;
                        self.patch(split, Inst::Split(again, split + 1));
                    }
                    Some(max) => {
                        for _ in 0..*min {
                            self.compile(node)?;
                        }
                        // Optional copies nest: x{0,2} is (?:x(?:x)?)?.
                        let mut splits = Vec::new();
                        for _ in *min..max {
                            splits.push(self.emit(Inst::Split(0, 0))?);
                            self.compile(node)?;
                        }
                        let end = self.here();
                        for split in splits {
                            self.patch(split, Inst::Split(split + 1, end));
                        }
                    }
                }
            }
        }
        Ok(())
    }
}
