//! `textDocument/semanticTokens/full` and `…/full/delta`, written as JSON text.
//!
//! Each `ide` piece of tokens (a top-level state's, kept while the state is unchanged) is
//! converted once to positions relative to the state's start; an answer places the pieces
//! at their starts and encodes the tokens LSP's relative way. Every answer carries a result
//! id, and the last few results of each document are kept: a delta request that names one
//! of them is answered with the one edit that turns it into the new data (after a keystroke
//! in a state, usually nothing or a few numbers instead of 330 KB at 5,000 states).

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::convert;
use super::pieces::{Relative, Starts, relative};
use crate::analysis::by_identity::ByIdentity;
use crate::ide::expressions::Tokens;
use crate::ide::{self, Document};
use crate::syntax::PositionEncoding;

/// Results kept per document for delta requests (a client may still hold an older one
/// while a newer answer is on its way).
const KEPT_RESULTS: usize = 3;

/// One token relative to its piece's start, ready to encode.
#[derive(Clone, Copy, Debug)]
struct Token {
    start: Relative,
    length: u32,
    kind: u32,
}

/// What is kept per document.
#[derive(Default)]
pub(crate) struct TokenState {
    encoding: Option<PositionEncoding>,
    pieces: ByIdentity<Tokens, Arc<[Token]>>,
    /// The last results sent, newest last.
    results: VecDeque<(String, Arc<Vec<u32>>)>,
}

/// Result ids, unique in the process.
static NEXT_RESULT: AtomicU64 = AtomicU64::new(1);

/// The tokens of `doc` in LSP's encoding: per token the line's distance from the previous
/// token's line, the start's distance from the previous start on the same line (else from
/// the line's start), the length, the type and the modifiers (none).
pub(crate) fn data(doc: &Document, encoding: PositionEncoding, state: &mut TokenState) -> Vec<u32> {
    let pieces = ide::semantic_token_pieces(doc);
    if state.encoding != Some(encoding) {
        state.pieces.clear();
        state.encoding = Some(encoding);
    }
    let mut starts = Starts::new(&doc.text, encoding);
    let mut out = Vec::with_capacity(state.results.back().map_or(0, |(_, d)| d.len()) + 64);
    let (mut line, mut character) = (0u32, 0u32);
    state.pieces.begin();
    for piece in &pieces {
        let converted = match state.pieces.get(&piece.tokens) {
            Some(tokens) => Arc::clone(tokens),
            None => {
                let (tokens, keep) = convert_piece(doc, piece.at, &piece.tokens, encoding);
                let tokens: Arc<[Token]> = tokens.into();
                if keep {
                    state.pieces.insert(Arc::clone(&piece.tokens), Arc::clone(&tokens));
                }
                tokens
            }
        };
        if converted.is_empty() {
            continue;
        }
        let start = starts.at(piece.at);
        for token in converted.iter() {
            let at = token.start.placed(start);
            // Tokens come in document order; saturating only guards against a bug.
            let delta_line = at.line.saturating_sub(line);
            let delta_start =
                if delta_line == 0 { at.character.saturating_sub(character) } else { at.character };
            out.extend_from_slice(&[delta_line, delta_start, token.length, token.kind, 0]);
            line = at.line;
            character = at.character;
        }
    }
    state.pieces.end();
    out
}

/// A piece's tokens relative to its start; tokens over several lines or empty are left out
/// (as `convert::semantic_tokens` leaves them).
fn convert_piece(doc: &Document, at: u32, tokens: &Tokens, encoding: PositionEncoding) -> (Vec<Token>, bool) {
    let offsets: Vec<u32> = tokens.iter().flat_map(|(r, _)| [at + r.start, at + r.end]).collect();
    let (positions, keep) = relative(&doc.text, at, &offsets, encoding);
    let out = tokens
        .iter()
        .zip(positions.chunks_exact(2))
        .filter_map(|((_, kind), ends)| {
            let (start, end) = (ends[0], ends[1]);
            (start.line == end.line && end.character > start.character).then(|| Token {
                start,
                length: end.character - start.character,
                kind: convert::token_type(*kind),
            })
        })
        .collect();
    (out, keep)
}

/// The answer to `semanticTokens/full` (`previous: None`) or `…/full/delta`: the whole data
/// when `previous` is not a result kept for this document, else the edit from it.
pub(crate) fn answer(
    doc: &Document,
    encoding: PositionEncoding,
    state: &mut TokenState,
    previous: Option<&str>,
) -> Vec<u8> {
    let data = Arc::new(data(doc, encoding, state));
    let id = NEXT_RESULT.fetch_add(1, Ordering::Relaxed).to_string();
    let before =
        previous.and_then(|p| state.results.iter().find(|(id, _)| id == p)).map(|(_, d)| Arc::clone(d));
    let mut out = Vec::with_capacity(64 + if before.is_some() { 0 } else { data.len() * 4 });
    out.extend_from_slice(b"{\"resultId\":");
    super::pieces::string(&mut out, &id);
    match before {
        Some(before) => {
            out.extend_from_slice(b",\"edits\":[");
            if let Some((start, delete, insert)) = edit(&before, &data) {
                out.extend_from_slice(b"{\"start\":");
                number(&mut out, start as u32);
                out.extend_from_slice(b",\"deleteCount\":");
                number(&mut out, delete as u32);
                out.extend_from_slice(b",\"data\":");
                numbers(&mut out, insert);
                out.push(b'}');
            }
            out.push(b']');
        }
        None => {
            out.extend_from_slice(b",\"data\":");
            numbers(&mut out, &data);
        }
    }
    out.push(b'}');
    state.results.push_back((id, data));
    while state.results.len() > KEPT_RESULTS {
        state.results.pop_front();
    }
    out
}

/// The one edit (start, count deleted, data inserted) that turns `old` into `new`, on
/// whole tokens (five numbers), or `None` when they are equal.
fn edit<'n>(old: &[u32], new: &'n [u32]) -> Option<(usize, usize, &'n [u32])> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count() / 5 * 5;
    let room = old.len().min(new.len()) - prefix;
    let suffix =
        old.iter().rev().zip(new.iter().rev()).take(room).take_while(|(a, b)| a == b).count() / 5 * 5;
    let (delete, insert) = (old.len() - prefix - suffix, &new[prefix..new.len() - suffix]);
    (delete > 0 || !insert.is_empty()).then_some((prefix, delete, insert))
}

fn number(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

fn numbers(out: &mut Vec<u8>, data: &[u32]) {
    let mut buffer = itoa::Buffer::new();
    out.push(b'[');
    for (i, n) in data.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(buffer.format(*n).as_bytes());
    }
    out.push(b']');
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::syntax::TextRange;

    /// What the typed path gives (`convert::semantic_tokens` on the flat tokens).
    fn typed(doc: &Document, encoding: PositionEncoding) -> Vec<u32> {
        convert::semantic_tokens(&doc.text, &ide::semantic_tokens(doc), encoding)
            .into_iter()
            .flat_map(|t| [t.delta_line, t.delta_start, t.length, t.token_type, t.token_modifiers_bitset])
            .collect()
    }

    /// The data after applying `answer` (whole or edits) to `before`.
    fn applied(before: &[u32], answer: &[u8]) -> (String, Vec<u32>) {
        let v: serde_json::Value = serde_json::from_slice(answer).unwrap();
        let id = v["resultId"].as_str().unwrap().to_string();
        let ints = |v: &serde_json::Value| -> Vec<u32> {
            v.as_array().unwrap().iter().map(|n| n.as_u64().unwrap() as u32).collect()
        };
        if let Some(data) = v.get("data") {
            return (id, ints(data));
        }
        let mut data = before.to_vec();
        for e in v["edits"].as_array().unwrap().iter().rev() {
            let start = e["start"].as_u64().unwrap() as usize;
            let delete = e["deleteCount"].as_u64().unwrap() as usize;
            let insert = e.get("data").map(ints).unwrap_or_default();
            data.splice(start..start + delete, insert);
        }
        (id, data)
    }

    const FLOW: &str = "Type: StateMachine\nSpecVersion: v1\nStartAt: 选择\nStates:\n  - Type: Choice\n    Name: 选择\n    Branches:\n      - Condition: length($Input.名字) > 2 && $Input.😀 == \"视频\"\n        Next: 任务\n    Default: 完\n  - Type: Task\n    Name: 任务\n    Action: FC:InvokeFunction\n    Parameters:\n      body:\n        url.$: $Input.url\n        n.$: |\n          length($Input.items) +\n          1\n    Next: 完\n  - {Type: Pass, Name: 完, OutputConstructor: {a.$: $Input.a}}\n";
    const LEGACY: &str = "version: v1\ntype: flow\ninputMappings:\n  - target: a\n    source: $input.a\nsteps:\n  - type: pass\n    name: 甲\n    inputMappings:\n      - target: x\n        source: $input.x\n  - type: choice\n    name: 乙\n    choices:\n      - condition: $.x > 1\n        goto: 甲\noutputMappings:\n  - target: b\n    source: $local.b\n";
    const SNIPPETS: &[&str] = &[
        "x",
        "\n",
        "\r\n",
        "  ",
        "$Input.",
        " > 3",
        "视频😀",
        ": ",
        "url.$: $Input.a\n",
        "#",
        "  - Type: Pass\n    Name: P\n    InputConstructor:\n      k.$: $Context.Execution.Input\n",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]
        /// Whole answers equal the typed encoding; each delta applied to the result it names
        /// gives the whole answer.
        #[test]
        fn written_tokens_equal_typed_tokens_and_deltas_lead_to_them(
            edits in prop::collection::vec((0.0..1.0f64, 0usize..12, 0..SNIPPETS.len() + 1), 1..6),
            legacy in any::<bool>(),
            utf8 in any::<bool>(),
        ) {
            let encoding = if utf8 { PositionEncoding::Utf8 } else { PositionEncoding::Utf16 };
            let mut doc = Document::new(if legacy { LEGACY } else { FLOW });
            let mut state = TokenState::default();
            let (mut id, mut held) = applied(&[], &answer(&doc, encoding, &mut state, None));
            prop_assert_eq!(&held, &typed(&doc, encoding));
            for (at, len, snippet) in edits {
                let s = doc.text.to_string_lossless();
                let (start, end) = crate::syntax::text::random_edit_bounds(&s, at, len);
                let insert = SNIPPETS.get(snippet).copied().unwrap_or("");
                doc = doc.edit(TextRange::new(start as u32, end as u32), insert);
                let want = typed(&doc, encoding);
                prop_assert_eq!(&data(&doc, encoding, &mut state), &want, "text: {:?}", doc.text.to_string_lossless());
                (id, held) = applied(&held, &answer(&doc, encoding, &mut state, Some(&id)));
                prop_assert_eq!(&held, &want, "text: {:?}", doc.text.to_string_lossless());
            }
        }
    }

    #[test]
    fn deltas_are_whole_tokens_and_unknown_results_get_whole_answers() {
        assert_eq!(edit(&[1, 2, 3, 4, 0], &[1, 2, 3, 4, 0]), None);
        // The change is inside the second token: the edit replaces that token.
        let old = [0, 1, 2, 0, 0, 1, 4, 5, 1, 0, 0, 3, 2, 2, 0];
        let new = [0, 1, 2, 0, 0, 1, 4, 6, 1, 0, 0, 3, 2, 2, 0];
        assert_eq!(edit(&old, &new), Some((5, 5, &new[5..10])));
        assert_eq!(edit(&old, &old[..10]), Some((10, 5, &[][..])));
        let doc = Document::new(FLOW);
        let mut state = TokenState::default();
        let whole = answer(&doc, PositionEncoding::Utf16, &mut state, Some("no such result"));
        let v: serde_json::Value = serde_json::from_slice(&whole).unwrap();
        assert!(v["data"].is_array() && v.get("edits").is_none());
    }
}
