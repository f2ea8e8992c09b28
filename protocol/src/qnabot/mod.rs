//! Import of a QnABot content export (the JSON QnABot's designer exports) into the protocol
//! format, so an existing bot's clinical content can be reviewed and run here.
//!
//! What is read from each item: `qid`, `q` (utterances that trigger it), `a` (its text),
//! `elicitResponse` (`QNAYesNo`: the item asks a yes/no question and stores the answer under
//! `SessionAttributes.<namespace>.Yes_No`) and `conditionalChaining` (an expression whose
//! value is the utterance of the next item).
//!
//! How the tree is built: from the start item (the yes/no item whose utterances include
//! `ready`, `r`, `hello` or `hi`), each answer is tried with the answers known on that path and
//! the chaining evaluated, so every path becomes explicit. A reached item that asks a
//! question becomes a question; one with text and no elicitation becomes an outcome.
//!
//! Outcome kind rule: an outcome **escalates** when its text tells the patient that someone
//! will call or contact them (one of [`CALL_PHRASES`]); every other outcome is **done**. The
//! export has no field for this, and the text is what the patient was promised, so the text
//! decides. Each decision is listed in the warnings for review.
//!
//! The import reproduces the export faithfully, defects included, and says so in warnings.

mod expr;
mod write;

use std::collections::HashMap;

use serde_json::Value as Json;

use crate::normalize::normalize;
use crate::{messages, ProtocolSources, Source};

/// Phrases that make an imported outcome an escalation (see the module docs).
pub const CALL_PHRASES: [&str; 6] = [
    "will call you",
    "will be calling you",
    "will call you back",
    "will contact you",
    "will connect you",
    "will reach out to you",
];

/// Utterances that mark the item starting a check-in.
const START_UTTERANCES: [&str; 4] = ["ready", "r", "hello", "hi"];
/// Utterances that mark opt-in and opt-out items (carrier keywords, not conversation).
const OPT_IN_UTTERANCES: [&str; 5] = ["enroll", "join", "start", "unstop", "subscribe"];
const OPT_OUT_UTTERANCES: [&str; 10] = [
    "stop",
    "cancel",
    "end",
    "quit",
    "unsubscribe",
    "optout",
    "opt-out",
    "arret",
    "remove",
    "td",
];

const YES_WORDS: &str = "yes, y, yeah, yep";
const NO_WORDS: &str = "no, n, nope";
const WRITTEN_HERE: &str =
    "# Not in the QnABot export: written by the importer; review before use.";

/// A protocol converted from a QnABot export: its files and what a reviewer should check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    /// (relative file name, content): `protocol.toml` and `en.ftl`.
    pub files: Vec<(String, String)>,
    /// Things a reviewer must look at before use (defects carried over, texts written here).
    pub warnings: Vec<String>,
}

impl Imported {
    /// The files as loader input (`protocol.toml` the structure, each `<code>.ftl` a language).
    pub fn sources(&self) -> ProtocolSources {
        let mut structure = Source::new("protocol.toml", "");
        let mut texts = Vec::new();
        for (name, content) in &self.files {
            match name.strip_suffix(".ftl") {
                Some(code) => {
                    texts.push((code.to_string(), Source::new(name.clone(), content.clone())))
                }
                None => structure = Source::new(name.clone(), content.clone()),
            }
        }
        ProtocolSources { structure, texts }
    }
}

/// Why an export could not be imported.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// Not JSON.
    #[error("{path}: not valid JSON: {message} — export the content again from QnABot")]
    Json {
        /// The export's path.
        path: String,
        /// The parser's description.
        message: String,
    },
    /// JSON, but not a QnABot export.
    #[error("{path}: no `qna` list of items — this is not a QnABot content export")]
    NotAnExport {
        /// The export's path.
        path: String,
    },
    /// No item starts a check-in.
    #[error(
        "{path}: no yes/no item is triggered by a start word (ready, r, hello, hi) — add one of \
         them to the `q` of the first question"
    )]
    NoStartItem {
        /// The export's path.
        path: String,
    },
    /// An item asks something other than yes/no.
    #[error(
        "{path}: item `{qid}` elicits `{hook}`; only QNAYesNo questions can be imported — turn \
         it into a yes/no question"
    )]
    UnsupportedHook {
        /// The export's path.
        path: String,
        /// The item.
        qid: String,
        /// Its `responsebot_hook`.
        hook: String,
    },
    /// A question leads nowhere.
    #[error("{path}: question `{qid}` has no conditionalChaining — say which item follows it")]
    NoChaining {
        /// The export's path.
        path: String,
        /// The item.
        qid: String,
    },
    /// A chaining expression outside the supported subset.
    #[error("{path}: conditionalChaining of `{qid}`, column {column}: {message}")]
    Expression {
        /// The export's path.
        path: String,
        /// The item.
        qid: String,
        /// 1-based character column in the expression.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A chaining gave something other than an utterance.
    #[error(
        "{path}: after answer {answer} to `{qid}` its conditionalChaining gives {value}, not an \
         utterance — make both branches name an item"
    )]
    NotAnUtterance {
        /// The export's path.
        path: String,
        /// The item.
        qid: String,
        /// `Yes` or `No`.
        answer: String,
        /// What it gave.
        value: String,
    },
    /// A chaining names an utterance no item has.
    #[error(
        "{path}: after answer {answer} to `{qid}` the chaining leads to \"{utterance}\", which \
         no item's `q` contains — fix the chaining or add the utterance"
    )]
    UnknownUtterance {
        /// The export's path.
        path: String,
        /// The item.
        qid: String,
        /// `Yes` or `No`.
        answer: String,
        /// The utterance.
        utterance: String,
    },
    /// An item reached has no text and asks nothing.
    #[error("{path}: item `{qid}` is reached but has no text (`a`) — write its text")]
    EmptyItem {
        /// The export's path.
        path: String,
        /// The item.
        qid: String,
    },
    /// Chaining leads back to a question already on the path.
    #[error("{path}: item `{qid}` leads back to itself — a check-in must end")]
    Loop {
        /// The export's path.
        path: String,
        /// The item.
        qid: String,
    },
}

/// One item of the export, as far as the import needs it.
#[derive(Debug)]
struct Item {
    qid: String,
    utterances: Vec<String>,
    text: String,
    hook: String,
    namespace: String,
    chaining: String,
}

impl Item {
    fn read(json: &Json, index: usize) -> Item {
        let text = |v: Option<&Json>| v.and_then(Json::as_str).unwrap_or_default().to_string();
        let elicit = json.get("elicitResponse");
        Item {
            qid: Some(text(json.get("qid")))
                .filter(|q| !q.is_empty())
                .unwrap_or(format!("item-{index}")),
            utterances: json
                .get("q")
                .and_then(Json::as_array)
                .map(|q| {
                    q.iter()
                        .filter_map(Json::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            text: text(json.get("a")).trim().to_string(),
            hook: text(elicit.and_then(|e| e.get("responsebot_hook"))),
            namespace: text(elicit.and_then(|e| e.get("response_sessionattr_namespace"))),
            chaining: text(json.get("conditionalChaining")),
        }
    }

    fn asks(&self) -> bool {
        !self.hook.is_empty()
    }

    fn triggered_by(&self, words: &[&str]) -> bool {
        self.utterances
            .iter()
            .any(|u| words.contains(&normalize(u).as_str()))
    }
}

struct QuestionNode {
    id: String,
    qid: String,
    prompt: String,
    /// (answer id, target id).
    answers: Vec<(String, String)>,
}

struct OutcomeNode {
    id: String,
    item: usize,
    escalate: bool,
}

struct Walk<'a> {
    path: &'a str,
    items: &'a [Item],
    by_utterance: HashMap<String, usize>,
    questions: Vec<QuestionNode>,
    outcomes: Vec<OutcomeNode>,
}

/// Converts a QnABot content export (JSON text, may start with a UTF-8 BOM) into our format.
pub fn import(json: &str, source_path: &str) -> Result<Imported, ImportError> {
    let path = source_path.to_string();
    let json = json.strip_prefix('\u{feff}').unwrap_or(json);
    let export: Json = serde_json::from_str(json).map_err(|e| ImportError::Json {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let items: Vec<Item> = export
        .get("qna")
        .and_then(Json::as_array)
        .ok_or_else(|| ImportError::NotAnExport { path: path.clone() })?
        .iter()
        .enumerate()
        .map(|(i, item)| Item::read(item, i))
        .collect();

    let start = items
        .iter()
        .position(|item| item.asks() && item.triggered_by(&START_UTTERANCES))
        .ok_or_else(|| ImportError::NoStartItem { path: path.clone() })?;
    let mut by_utterance = HashMap::new();
    for (index, item) in items.iter().enumerate() {
        for utterance in &item.utterances {
            by_utterance.entry(normalize(utterance)).or_insert(index);
        }
    }

    let mut walk = Walk {
        path: source_path,
        items: &items,
        by_utterance,
        questions: Vec::new(),
        outcomes: Vec::new(),
    };
    walk.question(start, &mut Vec::new(), &mut Vec::new())?;

    let mut warnings = Vec::new();
    let structure = walk.structure(source_path, &mut warnings);
    let texts = walk.texts(&items[start], &mut warnings);
    Ok(Imported {
        files: vec![
            ("protocol.toml".to_string(), structure),
            ("en.ftl".to_string(), texts),
        ],
        warnings,
    })
}

impl Walk<'_> {
    /// Adds the question asked by `item` on the path with `known` answers; returns its id.
    fn question(
        &mut self,
        index: usize,
        known: &mut Vec<(String, String)>,
        stack: &mut Vec<usize>,
    ) -> Result<String, ImportError> {
        let item = &self.items[index];
        let qid = item.qid.clone();
        let path = self.path.to_string();
        if stack.contains(&index) {
            return Err(ImportError::Loop { path, qid });
        }
        if item.hook != "QNAYesNo" {
            return Err(ImportError::UnsupportedHook {
                path,
                qid,
                hook: item.hook.clone(),
            });
        }
        if item.chaining.trim().is_empty() {
            return Err(ImportError::NoChaining { path, qid });
        }
        let rule = expr::parse(&item.chaining).map_err(|e| ImportError::Expression {
            path: path.clone(),
            qid: qid.clone(),
            column: e.column,
            message: e.message,
        })?;

        let id = self.unique_question_id(item);
        let slot = self.questions.len();
        self.questions.push(QuestionNode {
            id: id.clone(),
            qid: qid.clone(),
            prompt: item.text.clone(),
            answers: Vec::new(),
        });
        stack.push(index);
        let variable = format!("SessionAttributes.{}.Yes_No", item.namespace);
        for (answer, value) in [("yes", "Yes"), ("no", "No")] {
            known.push((variable.clone(), value.to_string()));
            let lookup = |p: &str| {
                known
                    .iter()
                    .rev()
                    .find(|(k, _)| k == p)
                    .map(|(_, v)| v.clone())
            };
            let next = match expr::evaluate(&rule, &lookup) {
                expr::Value::Text(utterance) => utterance,
                other => {
                    let (answer, value) = (value.to_string(), other.to_string());
                    return Err(ImportError::NotAnUtterance {
                        path,
                        qid,
                        answer,
                        value,
                    });
                }
            };
            let Some(&target) = self.by_utterance.get(&normalize(&next)) else {
                let answer = value.to_string();
                return Err(ImportError::UnknownUtterance {
                    path,
                    qid,
                    answer,
                    utterance: next,
                });
            };
            let target_id = if self.items[target].asks() {
                self.question(target, known, stack)?
            } else {
                self.outcome(target)?
            };
            self.questions[slot]
                .answers
                .push((answer.to_string(), target_id));
            known.pop();
        }
        stack.pop();
        Ok(id)
    }

    fn unique_question_id(&self, item: &Item) -> String {
        let base = slug(item.namespace.rsplit('.').next().unwrap_or_default());
        let base = if base.is_empty() {
            slug(&item.qid)
        } else {
            base
        };
        let taken = |id: &str| {
            self.questions.iter().any(|q| q.id == id) || self.outcomes.iter().any(|o| o.id == id)
        };
        let mut id = base.clone();
        let mut n = 2;
        while taken(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    /// The outcome for an item (one per item, however many paths reach it).
    fn outcome(&mut self, index: usize) -> Result<String, ImportError> {
        if let Some(existing) = self.outcomes.iter().find(|o| o.item == index) {
            return Ok(existing.id.clone());
        }
        let item = &self.items[index];
        if item.text.is_empty() {
            return Err(ImportError::EmptyItem {
                path: self.path.to_string(),
                qid: item.qid.clone(),
            });
        }
        let base = slug(
            item.utterances
                .first()
                .map(String::as_str)
                .unwrap_or(&item.qid),
        );
        let mut id = if base.is_empty() {
            slug(&item.qid)
        } else {
            base
        };
        if self.questions.iter().any(|q| q.id == id) {
            id = format!("{id}-outcome");
        }
        let escalate = call_phrase(&item.text).is_some();
        self.outcomes.push(OutcomeNode {
            id: id.clone(),
            item: index,
            escalate,
        });
        Ok(id)
    }

    fn structure(&self, source_path: &str, warnings: &mut Vec<String>) -> String {
        let file_name = source_path
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(source_path);
        let stem = file_name
            .rsplit_once('.')
            .map_or(file_name, |(stem, _)| stem);
        let id = Some(slug(stem))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "qnabot-import".into());
        let mut out = String::new();
        out.push_str(&format!(
            "# Imported from the QnABot export {file_name} ({} items).\n",
            self.items.len()
        ));
        out.push_str("# The structure reproduces the export, defects included.\n");
        out.push_str("# Read the import warnings before use.\n\n");
        out.push_str(&format!("id = {}\n", write::toml_string(&id)));
        out.push_str(&format!(
            "title = {}\n",
            write::toml_string(&format!("Imported from {file_name}"))
        ));
        out.push_str("version = \"1\"\n");
        out.push_str("# The export has no consent text or version: set one before use.\n");
        out.push_str("consent_version = \"unreviewed\"\n");
        out.push_str("fallback_language = \"en\"\n");
        out.push_str(
            "# The export does not say; 14 days is what the original programme told patients.\n",
        );
        out.push_str("programme_days = 14\n");
        out.push_str(&format!(
            "start = {}\n",
            write::toml_string(&self.questions[0].id)
        ));
        out.push_str(
            "start_words = \"start-words\"\n\n[[languages]]\ncode = \"en\"\nname = \"English\"\n",
        );

        for question in &self.questions {
            out.push_str(&format!(
                "\n# QnABot item {}\n[[questions]]\n",
                question.qid
            ));
            out.push_str(&format!("id = {}\n", write::toml_string(&question.id)));
            out.push_str(&format!(
                "prompt = {}\nanswers = [\n",
                write::toml_string(&prompt_message(&question.id))
            ));
            for (answer, next) in &question.answers {
                out.push_str(&format!(
                    "    {{ id = {}, next = {} }},\n",
                    write::toml_string(answer),
                    write::toml_string(next)
                ));
            }
            out.push_str("]\n");
            self.warn_answer_does_not_matter(question, warnings);
        }
        for outcome in &self.outcomes {
            let item = &self.items[outcome.item];
            let (kind, why) = match call_phrase(&item.text) {
                Some(phrase) => ("escalate", format!("its text says \"{phrase}\"")),
                None => ("done", "its text promises no call".to_string()),
            };
            warnings.push(format!(
                "outcome `{}` (item {}) is `{kind}` because {why}: check this is intended",
                outcome.id, item.qid
            ));
            out.push_str(&format!(
                "\n# QnABot item {}: {kind} because {why}.\n[[outcomes]]\n",
                item.qid
            ));
            out.push_str(&format!(
                "id = {}\nkind = \"{kind}\"\n",
                write::toml_string(&outcome.id)
            ));
            out.push_str(&format!(
                "message = {}\n",
                write::toml_string(&outcome_message(&outcome.id))
            ));
        }
        out
    }

    /// The defect the original sample had: a question whose answers all lead to one
    /// escalation, so what the patient answers does not matter.
    fn warn_answer_does_not_matter(&self, question: &QuestionNode, warnings: &mut Vec<String>) {
        let targets: Vec<&str> = question.answers.iter().map(|(_, t)| t.as_str()).collect();
        let same = targets.windows(2).all(|w| w[0] == w[1]);
        let escalates = self
            .outcomes
            .iter()
            .any(|o| o.escalate && targets.first() == Some(&o.id.as_str()));
        if same && escalates {
            warnings.push(format!(
                "question `{}` (item {}): every answer leads to the escalation `{}`, so the answer \
                 never matters (the export's chaining is true whatever is answered here); \
                 reproduced as exported — review the rule before use",
                question.id, question.qid, targets[0]
            ));
        }
    }

    fn texts(&self, start: &Item, warnings: &mut Vec<String>) -> String {
        let mut out = String::from("# English texts imported from a QnABot export.\n\n");
        let keyword_text = |words: &[&str]| {
            self.items
                .iter()
                .find(|i| !i.asks() && i.triggered_by(words) && !i.text.is_empty())
        };
        let opted_in = keyword_text(&OPT_IN_UTTERANCES);
        let opted_out = keyword_text(&OPT_OUT_UTTERANCES);

        out.push_str("## Texts every protocol has\n\n");
        for message in messages::REQUIRED {
            let imported = match message {
                messages::OPTED_IN => opted_in,
                messages::OPTED_OUT => opted_out,
                _ => None,
            };
            match imported {
                Some(item) => {
                    out.push_str(&format!("# QnABot item {}\n", item.qid));
                    out.push_str(&write::ftl_message(message, &item.text));
                }
                None => {
                    out.push_str(WRITTEN_HERE);
                    out.push('\n');
                    // Written as Fluent source: its `{ $days }` placeables must stay live.
                    out.push_str(&format!("{message} = {}\n", written_here(message)));
                    warnings.push(format!(
                        "message `{message}` is not in the export: a plain English text was \
                         written; review it"
                    ));
                }
            }
        }
        if let Some(item) = opted_out {
            for word in instructed_words(&item.text) {
                if OPT_OUT_UTTERANCES.contains(&word.to_lowercase().as_str()) {
                    warnings.push(format!(
                        "the opt-out text (item {}) tells patients to reply {word} to re-enroll, \
                         but {word} is an opt-out keyword; tell them to reply START",
                        item.qid
                    ));
                }
            }
        }

        out.push_str("\n## Check-in\n\n");
        for question in &self.questions {
            out.push_str(&format!("# QnABot item {}\n", question.qid));
            out.push_str(&write::ftl_message(
                &prompt_message(&question.id),
                &question.prompt,
            ));
        }
        for outcome in &self.outcomes {
            let item = &self.items[outcome.item];
            out.push_str(&format!("# QnABot item {}\n", item.qid));
            out.push_str(&write::ftl_message(
                &outcome_message(&outcome.id),
                &item.text,
            ));
        }
        let conversation = self
            .questions
            .iter()
            .map(|q| (q.qid.as_str(), q.prompt.as_str()))
            .chain(self.outcomes.iter().map(|o| {
                (
                    self.items[o.item].qid.as_str(),
                    self.items[o.item].text.as_str(),
                )
            }));
        for (qid, text) in conversation {
            if instructed_words(text).iter().any(|w| w == "HELP") {
                warnings.push(format!(
                    "item {qid} tells patients to reply HELP about symptoms, but HELP is a \
                     carrier keyword that only returns support contact details; tell them to \
                     text WORSE or to call"
                ));
            }
            if text.chars().filter(char::is_ascii_digit).count() >= 10 {
                warnings.push(format!(
                    "item {qid} has a phone number written into its text; consider the \
                     programme's {{ $callback }} variable"
                ));
            }
        }

        out.push_str("\n## Words a patient may reply (comma-separated)\n\n");
        out.push_str(&format!("# QnABot item {}: its utterances\n", start.qid));
        let start_words: Vec<&str> = start
            .utterances
            .iter()
            .map(|u| u.trim())
            .filter(|u| !u.is_empty())
            .collect();
        out.push_str(&write::ftl_message("start-words", &start_words.join(", ")));
        out.push_str("# QNAYesNo accepts these and similar words.\n");
        for question in &self.questions {
            for (answer, _) in &question.answers {
                let words = if answer == "yes" { YES_WORDS } else { NO_WORDS };
                out.push_str(&write::ftl_message(
                    &format!("answer-{}-{answer}", question.id),
                    words,
                ));
            }
        }
        out
    }
}

fn prompt_message(question: &str) -> String {
    format!("question-{question}")
}

fn outcome_message(outcome: &str) -> String {
    format!("outcome-{outcome}")
}

/// The phrase of [`CALL_PHRASES`] a text contains, if any.
fn call_phrase(text: &str) -> Option<&'static str> {
    let text = text.to_lowercase();
    CALL_PHRASES
        .iter()
        .copied()
        .find(|phrase| text.contains(phrase))
}

/// Words written in capitals (or quoted), which SMS texts use for "reply THIS".
fn instructed_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_uppercase()))
        .map(str::to_string)
        .collect()
}

/// Lowercase ASCII letters and digits joined by single hyphens.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Plain English texts for required messages the export does not have.
fn written_here(message: &str) -> &'static str {
    match message {
        // Fluent selectors: "once a day" or "twice a day", "1 day" or "14 days". Their lines
        // are not part of the text.
        messages::CONSENT => {
            "We will text you { $per_day ->\n        [1] once a day\n       *[other] twice a \
             day\n    } for { $days ->\n        [one] 1 day\n       *[other] { $days } days\n    \
             } to ask how you feel. Msg and data rates may apply. You can stop at any time."
        }
        messages::ENROLLED => {
            "You are signed up. We will text you { $per_day ->\n        [1] once a day\n       \
             *[other] twice a day\n    } for { $days ->\n        [one] 1 day\n       *[other] \
             { $days } days\n    }. Questions? Call { $callback }. Reply HELP for help, STOP to \
             stop."
        }
        messages::OPTED_OUT => "You will get no more texts from us. Reply START to join again.",
        messages::OPTED_IN => "You are signed up again. Reply STOP to stop.",
        messages::HELP => {
            "Support: { $support }. This number is not for symptoms. In an emergency, call 911. \
             Reply STOP to stop."
        }
        messages::PROGRAMME_ENDED => {
            "Your check-ins are over. Thank you! To join again, reply START or ask your care team."
        }
        messages::NOT_UNDERSTOOD => "Sorry, we did not understand your answer.",
        messages::REMINDER => {
            "We have not heard from you today. Please answer our last question. In an \
             emergency, call 911."
        }
        messages::HANDED_TO_STAFF => {
            "Thank you. A member of your care team will look at your answers. In an emergency, \
             call 911."
        }
        _ => "We have no question for you right now. In an emergency, call 911.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_hyphenated() {
        assert_eq!(slug("We will connect you soon"), "we-will-connect-you-soon");
        assert_eq!(slug("covid.connect.1"), "covid-connect-1");
        assert_eq!(slug("--"), "");
    }

    #[test]
    fn call_phrases_decide_escalation() {
        assert_eq!(
            call_phrase("Our nurses will call you soon."),
            Some("will call you")
        );
        assert_eq!(
            call_phrase("If this is an emergency, please call 911."),
            None
        );
    }

    #[test]
    fn instructed_words_are_capitalised() {
        assert_eq!(
            instructed_words("Please reply 'JOIN' or 'CANCEL' to re-enroll. I"),
            ["JOIN", "CANCEL"]
        );
    }
}
