//! Parses one unit of text (a top-level entry, one item of a top-level list, or a whole
//! document) with saphyr-parser and turns its events into green nodes.
//!
//! saphyr stops at the first error, so tolerance is ours: when a unit fails we blank the
//! offending line (spaces keep every character position) and parse again, a few times. The
//! rest of the unit keeps its tree and the error points at the line that caused it.

use std::sync::Arc;

use saphyr_parser::{Event, Parser, ScalarStyle as SaphyrStyle, ScanError, Span};

use super::green::{GreenChild, GreenKind, GreenNode, Props, ScalarStyle};
use super::text::TextRange;

/// A syntax error, with a range relative to whatever the caller measures from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}

/// The result of parsing one unit: its root node (offset relative to the unit start) and
/// the errors found on the way.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub(crate) struct UnitParse {
    pub(crate) root: Option<(u32, Arc<GreenNode>)>,
    pub(crate) errors: Vec<SyntaxError>,
    /// The tree defines an anchor (`&name`). Most flows have none, and then nobody needs to
    /// look for them: the model skips its anchor walk and keeps per-state caches. Read from
    /// the parser's events, not the text, since `&&` in expressions is common.
    pub(crate) may_have_anchors: bool,
}

/// Stands in for `*` of an alias whose anchor lives in another unit, so that saphyr reads
/// it as a plain scalar instead of failing. One character, like `*`, so positions hold.
const ALIAS_MARK: char = '\u{E000}';
const MAX_RECOVERIES: usize = 12;

/// How deep collections may nest in a document. Deeper ones are cut (an error node in their
/// place) with a syntax error: every layer above walks trees recursively somewhere (rules,
/// the dry run's compiler, the migration, editor features), and this bound keeps all of them
/// far from the end of any thread's stack, a 2 MiB one included. saphyr already refuses flow
/// collections (`[[[…]]]`) nested more than 255 deep; block ones (`- - - x`) it does not
/// bound. 128 levels, as serde_json and serde_yaml allow, hold 31 Parallel states nested
/// in one another.
pub const MAX_NESTING: usize = 128;

/// Parses a unit whose root sits inside `outer` collections of the document (1 for an item
/// of a top-level list, 0 otherwise), so that nesting is counted from the document's root.
pub(crate) fn parse_unit(text: &str, outer: usize) -> UnitParse {
    // saphyr is not ours: if it ever panics on some input, that unit becomes an error and the
    // rest of the document is unaffected.
    std::panic::catch_unwind(|| parse_unit_inner(text, outer)).unwrap_or_else(|_| UnitParse {
        root: error_root(text),
        errors: vec![SyntaxError {
            range: content_range(text),
            message: "the YAML parser failed on this part (please report it)".to_string(),
        }],
        may_have_anchors: false,
    })
}

/// The first error saphyr finds in `text`, in one pass that builds nothing: whether a
/// document is broken, at a fraction of the cost of `parse_unit`. The range is the
/// character saphyr stopped at.
pub(crate) fn first_error(text: &str) -> Option<SyntaxError> {
    let scan = || {
        let mut parser = Parser::new_from_str(text);
        while let Some(next) = parser.next_event() {
            if let Err(err) = next {
                return Some(err);
            }
        }
        None
    };
    let err = match std::panic::catch_unwind(scan) {
        Ok(err) => err?,
        Err(_) => {
            return Some(SyntaxError {
                range: content_range(text),
                message: "the YAML parser failed on this part (please report it)".to_string(),
            });
        }
    };
    let at = text.char_indices().nth(err.marker().index()).map_or(text.len(), |(i, _)| i);
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    let info = err.info();
    let mut message = info.to_string();
    if let Some(first) = info.get(..1) {
        message = first.to_uppercase() + &info[1..];
    }
    Some(SyntaxError { range: TextRange::new(at as u32, end as u32), message })
}

fn parse_unit_inner(text: &str, outer: usize) -> UnitParse {
    let lines = LineTable::new(text);
    // What saphyr is fed: the text with the lines blanked so far, as characters (saphyr
    // reports character positions). Most units parse at the first try without tabs, and
    // are fed their text as is: the copies are made only when something is blanked.
    let mut fed: Vec<char> = Vec::new();
    let mut errors = Vec::new();
    if text.contains('\t') {
        fed = text.chars().collect();
        blank_tab_indented_lines(text, &lines, &mut fed, &mut errors);
    }
    let mut blanked = vec![false; lines.starts.len()];
    for _ in 0..MAX_RECOVERIES {
        let fed_text: std::borrow::Cow<'_, str> =
            if fed.is_empty() { text.into() } else { fed.iter().collect::<String>().into() };
        let built = build(text, &lines, &fed_text, outer);
        if built.is_err() && fed.is_empty() {
            fed = text.chars().collect();
        }
        match built {
            Ok(built) => {
                errors.extend(built.extra);
                return UnitParse { root: built.root, errors, may_have_anchors: built.anchors };
            }
            Err(err) => {
                let at_char = err.marker().index();
                if err.info().contains("unknown anchor") && fed.get(at_char) == Some(&'*') {
                    fed[at_char] = ALIAS_MARK;
                    continue;
                }
                let at = lines.char_to_byte(at_char);
                match recover(text, &lines, &fed, &mut blanked, at) {
                    Some((new_fed, culprit)) => {
                        let error = describe(text, &lines, &err, culprit, at, &blanked);
                        push_merged(text, &lines, &blanked, &mut errors, error);
                        fed = new_fed;
                    }
                    None => {
                        errors.push(describe(text, &lines, &err, lines.line_of(at), at, &blanked));
                        return UnitParse { root: error_root(text), errors, may_have_anchors: false };
                    }
                }
            }
        }
    }
    errors.push(SyntaxError {
        range: content_range(text),
        message: "too many syntax errors here: this part is skipped".to_string(),
    });
    UnitParse { root: error_root(text), errors, may_have_anchors: false }
}

fn error_root(text: &str) -> Option<(u32, Arc<GreenNode>)> {
    let range = content_range(text);
    if range.is_empty() {
        return None;
    }
    Some((range.start, Arc::new(GreenNode::leaf(GreenKind::Error, range.len(), None))))
}

fn content_range(text: &str) -> TextRange {
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len().max(start);
    TextRange::new(start as u32, end as u32)
}

/// Byte offsets of line starts, and a char→byte map when the text is not ASCII.
struct LineTable {
    starts: Vec<u32>,
    char_bytes: Option<Vec<u32>>,
    len: u32,
}

impl LineTable {
    fn new(text: &str) -> LineTable {
        let mut starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' || (b == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n')) {
                starts.push(i as u32 + 1);
            }
        }
        if starts.last() == Some(&(text.len() as u32)) && !text.is_empty() {
            starts.pop();
        }
        let char_bytes = if text.is_ascii() {
            None
        } else {
            let mut v: Vec<u32> = text.char_indices().map(|(i, _)| i as u32).collect();
            v.push(text.len() as u32);
            Some(v)
        };
        LineTable { starts, char_bytes, len: text.len() as u32 }
    }

    fn char_to_byte(&self, c: usize) -> u32 {
        match &self.char_bytes {
            None => (c as u32).min(self.len),
            Some(v) => v.get(c).copied().unwrap_or(self.len),
        }
    }

    fn byte_to_char(&self, b: u32) -> usize {
        match &self.char_bytes {
            None => b as usize,
            Some(v) => v.partition_point(|&x| x < b),
        }
    }

    fn line_of(&self, byte: u32) -> usize {
        self.starts.partition_point(|&s| s <= byte).saturating_sub(1)
    }

    /// The line's bytes without its line break.
    fn line_range(&self, text: &str, line: usize) -> TextRange {
        let start = self.starts[line];
        let next = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let s = &text[start as usize..next as usize];
        let trimmed = s.trim_end_matches(['\n', '\r']);
        TextRange::new(start, start + trimmed.len() as u32)
    }

    fn span(&self, span: &Span) -> TextRange {
        let start = self.char_to_byte(span.start.index());
        let end = self.char_to_byte(span.end.index()).max(start);
        TextRange::new(start, end)
    }
}

fn is_content_line(line: &str) -> bool {
    let t = line.trim_start_matches([' ', '\t']);
    !t.is_empty() && !t.starts_with('#')
}

/// Tabs are never indentation in YAML; saphyr reports them far from where they are.
fn blank_tab_indented_lines(text: &str, lines: &LineTable, fed: &mut [char], errors: &mut Vec<SyntaxError>) {
    for line in 0..lines.starts.len() {
        let range = lines.line_range(text, line);
        let s = &text[range.as_usize()];
        let indent = &s[..s.len() - s.trim_start_matches([' ', '\t']).len()];
        if let Some(tab) = indent.find('\t') {
            if !is_content_line(s) {
                continue;
            }
            let at = range.start + tab as u32;
            errors.push(SyntaxError {
                range: TextRange::new(at, at + 1),
                message: "tab character in indentation: YAML indents with spaces only".to_string(),
            });
            blank_line(lines, range, fed);
        }
    }
}

fn blank_line(lines: &LineTable, range: TextRange, fed: &mut [char]) {
    let from = lines.byte_to_char(range.start);
    let to = lines.byte_to_char(range.end);
    for c in &mut fed[from..to] {
        *c = ' ';
    }
}

/// Chooses a line to blank for an error at byte `at`: the previous content line when the
/// error is really its fault (a key without `:` is reported on the next line), else the
/// line of the error. Returns the new text and the line that was blanked.
fn recover(
    text: &str,
    lines: &LineTable,
    fed: &[char],
    blanked: &mut [bool],
    at: u32,
) -> Option<(Vec<char>, usize)> {
    let err_line = lines.line_of(at);
    let content = |l: usize| {
        let chars = &fed[char_span(lines, lines.line_range(text, l))];
        let first = chars.iter().find(|c| !matches!(c, ' ' | '\t'));
        !blanked[l] && first.is_some_and(|&c| c != '#')
    };
    let prev = (0..err_line).rev().find(|&l| content(l));
    // The previous line is the likely culprit when it is not a well-formed line itself (a
    // bare word, a key glued to its value); otherwise the error line is (e.g. a key
    // indented deeper than its siblings).
    let prev_broken = prev.is_some_and(|p| looks_broken(&text[lines.line_range(text, p).as_usize()]));
    let mut candidates = Vec::new();
    if content(err_line) {
        candidates.push(err_line);
    }
    if let Some(p) = prev {
        if prev_broken {
            candidates.insert(0, p);
        } else {
            candidates.push(p);
        }
    }
    for culprit in candidates {
        let mut trial = fed.to_vec();
        blank_line(lines, lines.line_range(text, culprit), &mut trial);
        let children = orphaned_children(text, lines, culprit);
        let trial_text: String = trial.iter().collect();
        // Only where the next error is matters here, not the tree (nor its depth).
        let outcome = build(text, lines, &trial_text, 0);
        let better = match &outcome {
            Ok(_) => true,
            Err(e) => lines.line_of(lines.char_to_byte(e.marker().index())) > err_line,
        };
        if better {
            blanked[culprit] = true;
            for l in children {
                blank_line(lines, lines.line_range(text, l), &mut trial);
                blanked[l] = true;
            }
            return Some((trial, culprit));
        }
    }
    // Neither alone helps: drop the error line and keep going if anything is left.
    if content(err_line) {
        let mut trial = fed.to_vec();
        blank_line(lines, lines.line_range(text, err_line), &mut trial);
        blanked[err_line] = true;
        return Some((trial, err_line));
    }
    None
}

/// The lines under `line` when it opens a block (`key:` with nothing after it): without
/// their parent they would only produce more, misleading errors.
fn orphaned_children(text: &str, lines: &LineTable, line: usize) -> Vec<usize> {
    let indent_of = |l: usize| {
        let s = &text[lines.line_range(text, l).as_usize()];
        let body = s.trim_start();
        (body.is_empty() || body.starts_with('#'), s.len() - body.len())
    };
    let own = &text[lines.line_range(text, line).as_usize()];
    let without_comment = own.split(" #").next().unwrap_or(own).trim_end();
    if !without_comment.ends_with(':') {
        return Vec::new();
    }
    let (_, indent) = indent_of(line);
    let mut out = Vec::new();
    for l in line + 1..lines.starts.len() {
        let (blank, i) = indent_of(l);
        if !blank && i <= indent {
            break;
        }
        out.push(l);
    }
    out
}

/// A line that cannot be a complete `key: value`, list item or scalar continuation.
fn looks_broken(line: &str) -> bool {
    let body = line.trim();
    let body = body.strip_prefix("- ").unwrap_or(body).trim_start();
    if split_glued_key(body).is_some() {
        return true;
    }
    let has_separator = body.contains(": ") || body.ends_with(':') || body.contains(":\t");
    let structural = body.starts_with(['[', '{', '"', '\'', '|', '>', '&', '*', '!', '-', '#']);
    !has_separator && !structural
}

/// Char range of a byte range, for indexing the fed text (which is rebuilt from chars).
fn char_span(lines: &LineTable, r: TextRange) -> std::ops::Range<usize> {
    // The fed text has the same characters as the original, but blanked multi-byte characters
    // became one-byte spaces, so byte offsets differ: go through char indices.
    lines.byte_to_char(r.start)..lines.byte_to_char(r.end)
}

/// A message that says what is wrong on `culprit` and how to fix it.
/// Adds an error, or extends the previous one when it says the same about the line right
/// above (a block indented wrongly is one mistake, not one per line).
fn push_merged(
    text: &str,
    lines: &LineTable,
    blanked: &[bool],
    errors: &mut Vec<SyntaxError>,
    error: SyntaxError,
) {
    if let Some(last) = errors.last_mut()
        && last.message == error.message
        && last.range.end <= error.range.start
    {
        let between = lines.line_of(last.range.end) + 1..lines.line_of(error.range.start);
        let quiet = between.into_iter().all(|l| {
            let t = text[lines.line_range(text, l).as_usize()].trim();
            blanked[l] || t.is_empty() || t.starts_with('#')
        });
        if quiet {
            last.range = last.range.cover(error.range);
            return;
        }
    }
    errors.push(error);
}

fn describe(
    text: &str,
    lines: &LineTable,
    err: &ScanError,
    culprit: usize,
    at: u32,
    blanked: &[bool],
) -> SyntaxError {
    let range = lines.line_range(text, culprit);
    let line = &text[range.as_usize()];
    let indent = (line.len() - line.trim_start().len()) as u32;
    let content_end = range.start + (line.trim_end().len() as u32).max(indent);
    let content = TextRange::new(range.start + indent, content_end);
    let body = line.trim();
    let body_no_dash = body.strip_prefix("- ").unwrap_or(body).trim_start();
    let info = err.info();
    if let Some((key, value)) = split_glued_key(body_no_dash) {
        let glued_end =
            content.start + (body.len() - body_no_dash.len() + key.len() + 1 + value.len()) as u32;
        return SyntaxError {
            range: TextRange::new(content.start, glued_end.min(content.end)),
            message: format!(
                "missing space after `{key}:`: YAML reads `{key}:{value}` as one plain text, not a key and a value; write `{key}: {value}`"
            ),
        };
    }
    if !body_no_dash.contains(':') && culprit != lines.line_of(at) && !body.starts_with('-') {
        return SyntaxError {
            range: content,
            message: format!(
                "`{body_no_dash}` is not a `key: value` pair: add `:` and a value, or remove the line"
            ),
        };
    }
    if info.contains("mapping values are not allowed") && culprit == lines.line_of(at) {
        let above = (0..culprit)
            .rev()
            .filter(|&l| !blanked[l])
            .map(|l| &text[lines.line_range(text, l).as_usize()])
            .find(|l| {
                let t = l.trim_start();
                !t.is_empty() && !t.starts_with('#')
            });
        if let Some(above) = above {
            let above_body = above.trim_start();
            let dash = if above_body.starts_with("- ") { 2 } else { 0 };
            let above_col = (above.len() - above_body.len() + dash) as u32;
            if indent > above_col && !above_body.trim_end().ends_with(':') {
                return SyntaxError {
                    range: content,
                    message: format!(
                        "bad indentation: this key starts in column {} but the key above it in column {}; keys of one mapping line up",
                        indent + 1,
                        above_col + 1
                    ),
                };
            }
        }
    }
    if info.contains("quoted scalar")
        || info.contains("unexpected end of stream") && body.contains(['"', '\''])
    {
        let quote = line.find(['"', '\'']).map(|q| range.start + q as u32);
        let range = quote.map(|q| TextRange::new(q, content.end)).unwrap_or(content);
        return SyntaxError { range, message: "unclosed quoted string: add the closing quote".to_string() };
    }
    let mut message = info.to_string();
    if let Some(first) = message.get(..1) {
        message = first.to_uppercase() + &message[1..];
    }
    let range = if culprit == lines.line_of(at) && at < content.end && at >= content.start {
        TextRange::new(at, content.end)
    } else {
        content
    };
    SyntaxError { range: if range.is_empty() { content } else { range }, message }
}

/// `Condition:$Input.x` → ("Condition", "$Input.x"): a key glued to its value, as printed in
/// some of Alibaba's own docs.
fn split_glued_key(body: &str) -> Option<(&str, &str)> {
    let colon = body.find(':')?;
    let (key, rest) = body.split_at(colon);
    // A comment after the value is not part of it.
    let value = rest[1..].split(" #").next().unwrap_or("").trim_end();
    let key_ok =
        !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '$'));
    let value_ok = value.chars().next().is_some_and(|c| !c.is_whitespace() && !matches!(c, ':' | '/'));
    (key_ok && value_ok && !key.starts_with(['"', '\''])).then_some((key, value))
}

struct Frame {
    flow: bool,
    mapping: bool,
    start: u32,
    props: Option<Box<Props>>,
    children: Vec<(u32, Arc<GreenNode>)>,
}

/// What one saphyr pass over a unit built.
struct Built {
    root: Option<(u32, Arc<GreenNode>)>,
    /// A second document, reported and ignored; collections nested too deep, cut.
    extra: Vec<SyntaxError>,
    /// Some node carries an anchor.
    anchors: bool,
}

/// Runs saphyr over `fed` and builds the green tree; positions come from the original text.
fn build(original: &str, lines: &LineTable, fed: &str, outer: usize) -> Result<Built, ScanError> {
    let mut parser = Parser::new_from_str(fed);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<(u32, Arc<GreenNode>)> = None;
    let mut documents = 0;
    let mut anchors = false;
    let mut extra = Vec::new();
    // Inside a collection nested too deep: how many collections are open in it, where it
    // starts, and how far its tokens reach.
    let mut too_deep: Option<(usize, u32, u32)> = None;
    while let Some(next) = parser.next_event() {
        let (event, span) = next?;
        let range = lines.span(&span);
        if let Some((open, start, reach)) = too_deep.as_mut() {
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => *open += 1,
                Event::MappingEnd | Event::SequenceEnd => *open -= 1,
                Event::StreamEnd => break,
                _ => {}
            }
            // A block collection's end event sits at the next token: only brackets and
            // scalars say where the collection's text reaches.
            let bracket = matches!(original.as_bytes().get(range.start as usize), Some(b']' | b'}'));
            if !matches!(event, Event::MappingEnd | Event::SequenceEnd) || bracket {
                *reach = (*reach).max(range.end);
            }
            if *open == 0 {
                let (start, end) = (*start, (*reach).max(*start));
                too_deep = None;
                extra.push(SyntaxError {
                    range: TextRange::new(start, end),
                    message: format!(
                        "collections nested more than {MAX_NESTING} levels deep: fdl reads no deeper (the bound keeps every tool's work finite)"
                    ),
                });
                let node = (start, Arc::new(GreenNode::leaf(GreenKind::Error, end - start, None)));
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            continue;
        }
        if matches!(event, Event::MappingStart(..) | Event::SequenceStart(..))
            && outer + stack.len() >= MAX_NESTING
        {
            too_deep = Some((1, range.start, range.end));
            continue;
        }
        // saphyr numbers anchors from 1; 0 means none.
        if let Event::Scalar(_, _, id, _) | Event::MappingStart(id, _) | Event::SequenceStart(id, _) = &event
        {
            anchors |= *id != 0;
        }
        let finished: Option<(u32, Arc<GreenNode>)> = match event {
            Event::StreamEnd => break,
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => None,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    let line = lines.line_range(original, lines.line_of(range.start));
                    extra.push(SyntaxError {
                        range: TextRange::new(range.start, line.end.max(range.start)),
                        message: "a second YAML document: a flow definition is one document, the rest of the file is ignored".to_string(),
                    });
                    return Ok(Built { root, extra, anchors });
                }
                None
            }
            Event::Alias(_) => {
                let name = original[range.as_usize()].trim_start_matches('*').to_string();
                Some((
                    range.start,
                    Arc::new(GreenNode::leaf(GreenKind::Alias { name: name.into() }, range.len(), None)),
                ))
            }
            Event::Scalar(value, style, _, _) => {
                let (props, _) = read_props(original, range);
                let mut range = range;
                if matches!(style, SaphyrStyle::Literal | SaphyrStyle::Folded) {
                    let s = &original[range.as_usize()];
                    range.end = range.start + s.trim_end().len() as u32;
                }
                let kind = if let Some(name) = value.strip_prefix(ALIAS_MARK) {
                    GreenKind::Alias { name: name.into() }
                } else {
                    GreenKind::Scalar { value: value.as_ref().into(), style: convert_style(style) }
                };
                Some((range.start, Arc::new(GreenNode::leaf(kind, range.len(), props))))
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let (props, after) = read_props(original, range);
                let opener = original.as_bytes().get(after as usize).copied();
                let flow = matches!(opener, Some(b'{' | b'['));
                stack.push(Frame {
                    flow,
                    mapping: matches!(event, Event::MappingStart(..)),
                    start: range.start,
                    props,
                    children: Vec::new(),
                });
                None
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let frame = stack.pop().expect("saphyr balances collections");
                let end = if frame.flow {
                    range.end
                } else {
                    frame.children.last().map(|(s, n)| s + n.len).unwrap_or(frame.start)
                };
                let start = frame.start.min(frame.children.first().map_or(frame.start, |c| c.0));
                let children: Box<[GreenChild]> = frame
                    .children
                    .into_iter()
                    .map(|(s, node)| GreenChild { offset: s - start, node })
                    .collect();
                let kind = if frame.mapping {
                    GreenKind::Mapping { flow: frame.flow }
                } else {
                    GreenKind::Sequence { flow: frame.flow }
                };
                let end = end.max(start);
                Some((start, Arc::new(GreenNode { kind, len: end - start, props: frame.props, children })))
            }
        };
        if let Some(node) = finished {
            match stack.last_mut() {
                Some(parent) => parent.children.push(node),
                None => root = Some(node),
            }
        }
    }
    Ok(Built { root, extra, anchors })
}

fn convert_style(style: SaphyrStyle) -> ScalarStyle {
    match style {
        SaphyrStyle::Plain => ScalarStyle::Plain,
        SaphyrStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        SaphyrStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        SaphyrStyle::Literal => ScalarStyle::Literal,
        SaphyrStyle::Folded => ScalarStyle::Folded,
    }
}

/// Reads `&anchor` and `!tag` at the start of a node's span. Returns them (relative to the
/// span start) and the byte offset right after them.
fn read_props(text: &str, range: TextRange) -> (Option<Box<Props>>, u32) {
    let mut at = range.start as usize;
    let mut props = Props { anchor: None, tag: None };
    let bytes = text.as_bytes();
    loop {
        let mut p = at;
        while p < bytes.len() && matches!(bytes[p], b' ' | b'\t' | b'\n' | b'\r') {
            p += 1;
        }
        let Some(&c) = bytes.get(p) else { break };
        if c != b'&' && c != b'!' {
            break;
        }
        let end = text[p..]
            .find(|ch: char| ch.is_whitespace() || matches!(ch, ',' | '[' | ']' | '{' | '}'))
            .map_or(text.len(), |e| p + e);
        let rel = TextRange::new(p as u32 - range.start, end as u32 - range.start);
        if c == b'&' {
            props.anchor = Some((rel, text[p + 1..end].into()));
        } else {
            props.tag = Some((rel, text[p..end].into()));
        }
        at = end;
    }
    let found = props.anchor.is_some() || props.tag.is_some();
    if !found {
        return (None, range.start);
    }
    let mut after = at;
    while after < bytes.len() && matches!(bytes[after], b' ' | b'\t' | b'\n' | b'\r') {
        after += 1;
    }
    (Some(Box::new(props)), after as u32)
}
