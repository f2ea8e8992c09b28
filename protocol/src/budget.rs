//! What each text costs to send: characters, encoding and SMS parts, per language.

use std::fmt::Write as _;

use crate::segments::{self, Encoding};
use crate::{messages, Protocol};

/// Values the budget renders texts with: a 14-day programme, two check-ins a day (the longer
/// wording) and a fictional number. One value for each of [`messages::VARIABLES`].
const ARGS: [(&str, &str); 4] = [
    ("days", "14"),
    ("callback", "(206) 555-0199"),
    ("support", "the care team at (206) 555-0199"),
    ("per_day", "2"),
];

/// One text in one language, rendered with representative values.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct BudgetRow {
    /// Message id.
    pub message: String,
    /// Language code.
    pub language: String,
    /// Length in characters (Unicode scalar values).
    pub characters: usize,
    /// GSM-7 or UCS-2.
    pub encoding: Encoding,
    /// SMS parts it costs.
    pub parts: usize,
    /// The first character that forced UCS-2, if any.
    pub first_non_gsm: Option<char>,
}

/// Every message a patient can receive: the required ones, then prompts and outcome texts.
fn sent_messages(protocol: &Protocol) -> Vec<String> {
    let mut ids: Vec<String> = messages::REQUIRED.iter().map(|m| m.to_string()).collect();
    let structure = &protocol.inner.structure;
    let more = structure
        .questions
        .iter()
        .map(|q| q.prompt.clone())
        .chain(structure.outcomes.iter().map(|o| o.message.clone()));
    for id in more {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

pub(crate) fn rows(protocol: &Protocol) -> Vec<BudgetRow> {
    let mut rows = Vec::new();
    for message in sent_messages(protocol) {
        for language in &protocol.inner.structure.languages {
            // Loading formatted every message of every language with every variable of
            // `messages::VARIABLES` (these values included) and refused any Fluent error, and
            // every message sent was required to exist; so this cannot fail for a loaded
            // protocol. Should it ever, the row still appears, with the error as its text,
            // rather than the table quietly leaving it out.
            let text = protocol
                .render(&language.code, &message, &ARGS)
                .unwrap_or_else(|e| format!("cannot be rendered: {e}"));
            let cost = segments::count(&text);
            rows.push(BudgetRow {
                message: message.clone(),
                language: language.code.clone(),
                characters: text.chars().count(),
                encoding: cost.encoding,
                parts: cost.parts,
                first_non_gsm: cost.first_non_gsm,
            });
        }
    }
    rows
}

/// A plain-text table (message × language → characters, encoding, parts), then one warning per
/// text over `budget` parts naming the character that forced UCS-2. Texts are never cut: the
/// warning is for the author to rewrite.
pub fn budget_table(rows: &[BudgetRow], budget: usize) -> String {
    let width = rows
        .iter()
        .map(|r| r.message.chars().count())
        .max()
        .unwrap_or(0)
        .max("message".len());
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:width$}  {:8}  {:>5}  {:8}  {:>5}",
        "message", "language", "chars", "encoding", "parts"
    );
    for row in rows {
        let over = if row.parts > budget { "  !" } else { "" };
        let _ = writeln!(
            out,
            "{:width$}  {:8}  {:>5}  {:8}  {:>5}{over}",
            row.message,
            row.language,
            row.characters,
            encoding_name(row.encoding),
            row.parts,
        );
    }
    for row in rows.iter().filter(|r| r.parts > budget) {
        let why = match row.first_non_gsm {
            Some(c) => format!("; sent as UCS-2 because of {c:?} (U+{:04X})", c as u32),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "warning: `{}` in {} costs {} parts, over the budget of {budget}{why}",
            row.message, row.language, row.parts
        );
    }
    out
}

fn encoding_name(encoding: Encoding) -> &'static str {
    match encoding {
        Encoding::Gsm7 => "GSM-7",
        Encoding::Ucs2 => "UCS-2",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(message: &str, parts: usize, first_non_gsm: Option<char>) -> BudgetRow {
        BudgetRow {
            message: message.into(),
            language: "es".into(),
            characters: 200,
            encoding: if first_non_gsm.is_some() {
                Encoding::Ucs2
            } else {
                Encoding::Gsm7
            },
            parts,
            first_non_gsm,
        }
    }

    #[test]
    fn the_budget_gives_every_variable_a_value() {
        for variable in messages::VARIABLES {
            assert!(ARGS.iter().any(|(name, _)| *name == variable), "{variable}");
        }
    }

    #[test]
    fn rows_over_budget_are_marked_and_explained() {
        let table = budget_table(&[row("consent", 4, Some('á')), row("help", 1, None)], 3);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 4, "{table}");
        assert!(
            lines[1].starts_with("consent  es") && lines[1].ends_with("  !"),
            "{table}"
        );
        assert!(!lines[2].ends_with('!'), "{table}");
        assert_eq!(
            lines[3],
            "warning: `consent` in es costs 4 parts, over the budget of 3; sent as UCS-2 because \
             of 'á' (U+00E1)"
        );
    }
}
