//! Per-patient thresholds: which questions take them, and whether a set of them is safe.
//!
//! A question's effective ranges (the patient's overrides merged over the protocol's own) must
//! cover exactly the numbers the protocol's own ranges cover together, each number once. A gap
//! would turn a dangerous reading into "not understood"; an overlap would make one reading
//! mean two things.

use crate::engine::Thresholds;
use crate::structure::{Question, Structure};
use crate::ThresholdQuestion;

/// An inclusive range of whole numbers.
type Range = (u32, u32);

/// The numeric answers of a question with the protocol's own ranges, in declared order.
fn numeric_answers(question: &Question) -> Vec<(&str, Range)> {
    question
        .answers
        .iter()
        .filter_map(|a| Some((a.id.as_str(), a.range?)))
        .collect()
}

/// The questions that take numbers, each with its numeric answers' default ranges.
pub(crate) fn questions(structure: &Structure) -> Vec<ThresholdQuestion> {
    structure
        .questions
        .iter()
        .filter_map(|q| {
            let answers = numeric_answers(q);
            let answers: Vec<(String, [u32; 2])> = answers
                .into_iter()
                .map(|(id, (low, high))| (id.to_string(), [low, high]))
                .collect();
            (!answers.is_empty()).then(|| (q.id.clone(), answers))
        })
        .collect()
}

/// `low–high`, or one number when they are equal.
fn span((low, high): Range) -> String {
    if low == high {
        low.to_string()
    } else {
        format!("{low}–{high}")
    }
}

/// Spans joined for a sentence: `0–80 and 93–94`.
fn spans(ranges: &[Range]) -> String {
    let parts: Vec<String> = ranges.iter().map(|r| span(*r)).collect();
    join(&parts)
}

fn join(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The protocol's own ranges of a question, e.g. `normal 95–100, borderline 93–94, low 0–92`.
fn defaults(answers: &[(&str, Range)]) -> String {
    let parts: Vec<String> = answers
        .iter()
        .map(|(id, range)| format!("{id} {}", span(*range)))
        .collect();
    parts.join(", ")
}

/// What takes thresholds in this protocol, for an error about a question that does not.
fn which_take_thresholds(structure: &Structure) -> String {
    let numeric: Vec<String> = questions(structure)
        .iter()
        .map(|(id, answers)| {
            let ranges: Vec<String> = answers
                .iter()
                .map(|(a, [low, high])| format!("{a} {}", span((*low, *high))))
                .collect();
            format!("`{id}` ({})", ranges.join(", "))
        })
        .collect();
    if numeric.is_empty() {
        "no question of this protocol takes numbers, so it takes no thresholds".to_string()
    } else {
        format!("thresholds apply only to {}", join(&numeric))
    }
}

/// The union of ranges as sorted, disjoint, non-adjacent ranges.
fn union(ranges: &[Range]) -> Vec<Range> {
    let mut sorted = ranges.to_vec();
    sorted.sort_unstable();
    let mut merged: Vec<Range> = Vec::new();
    for (low, high) in sorted {
        match merged.last_mut() {
            Some((_, last_high)) if low <= last_high.saturating_add(1) => {
                *last_high = (*last_high).max(high);
            }
            _ => merged.push((low, high)),
        }
    }
    merged
}

/// The numbers of `wanted` that `have` leaves out (both sorted and disjoint).
fn missing(wanted: &[Range], have: &[Range]) -> Vec<Range> {
    let mut gaps = Vec::new();
    for &(low, high) in wanted {
        let mut next = Some(low);
        for &(h_low, h_high) in have {
            let Some(from) = next else { break };
            if h_high < from || h_low > high {
                continue;
            }
            if h_low > from {
                gaps.push((from, h_low - 1));
            }
            next = h_high.checked_add(1).filter(|n| *n <= high);
        }
        if let Some(from) = next {
            gaps.push((from, high));
        }
    }
    gaps
}

/// Checks a patient's thresholds against the protocol; the error says what is wrong and how to
/// fix it, with the protocol's own ranges.
pub(crate) fn check(structure: &Structure, thresholds: &Thresholds) -> Result<(), String> {
    for (question_id, overrides) in &thresholds.0 {
        let Some(question) = structure.question(question_id) else {
            return Err(format!(
                "there is no question `{question_id}`: {}",
                which_take_thresholds(structure)
            ));
        };
        let own = numeric_answers(question);
        if own.is_empty() {
            return Err(format!(
                "question `{question_id}` takes no numbers: {}",
                which_take_thresholds(structure)
            ));
        }
        let protocol = format!("(protocol: {})", defaults(&own));
        let names: Vec<String> = own.iter().map(|(id, _)| format!("`{id}`")).collect();
        let names = join(&names);

        for (answer_id, [low, high]) in overrides {
            if !question.answers.iter().any(|a| &a.id == answer_id) {
                return Err(format!(
                    "question `{question_id}` has no answer `{answer_id}`: its numeric answers \
                     are {names} {protocol}"
                ));
            }
            if !own.iter().any(|(id, _)| id == answer_id) {
                return Err(format!(
                    "answer `{answer_id}` of `{question_id}` takes no numbers: its numeric \
                     answers are {names} {protocol}"
                ));
            }
            if low > high {
                return Err(format!(
                    "the range of `{question_id}/{answer_id}` runs from {low} down to {high}: \
                     give the low end first {protocol}"
                ));
            }
        }

        let coverage = union(&own.iter().map(|(_, r)| *r).collect::<Vec<_>>());
        let must = format!("together the ranges must cover {}", spans(&coverage));
        let effective: Vec<(&str, Range, bool)> = own
            .iter()
            .map(|(id, range)| match overrides.get(*id) {
                Some([low, high]) => (*id, (*low, *high), true),
                None => (*id, *range, false),
            })
            .collect();

        // Overlaps first: an override that grows one range usually needs its neighbours moved,
        // and saying so is the fix; the gap it would leave is reported once they are.
        let mut overlaps = Vec::new();
        for (i, (a, ra, _)) in effective.iter().enumerate() {
            for (b, rb, _) in &effective[i + 1..] {
                if ra.0 <= rb.1 && rb.0 <= ra.1 {
                    overlaps.push((*a, *ra, *b, *rb));
                }
            }
        }
        if let Some((a, ra, b, rb)) = overlaps.first() {
            let shared = (ra.0.max(rb.0), ra.1.min(rb.1));
            let mut kept: Vec<String> = Vec::new();
            for (a, _, b, _) in &overlaps {
                for id in [a, b] {
                    let overridden = effective.iter().any(|(x, _, o)| x == id && *o);
                    if !overridden && !kept.contains(&format!("`{id}`")) {
                        kept.push(format!("`{id}`"));
                    }
                }
            }
            // The example names the overridden range of the pair and the way it grew: down
            // into the ranges below it, or up into those above.
            let grown = effective
                .iter()
                .find(|(id, _, overridden)| *overridden && (id == a || id == b));
            let example = match grown {
                Some((id, range, _)) if range.1 <= if id == a { rb.1 } else { ra.1 } => {
                    format!("raising `{id}`'s high end means raising the ranges above it")
                }
                Some((id, _, _)) => {
                    format!("lowering `{id}`'s low end means lowering the ranges below it")
                }
                None => "move them in step".to_string(),
            };
            let fix = if kept.is_empty() {
                "move the ends so that each number is in one range only".to_string()
            } else {
                format!(
                    "{} still {} the protocol's range{}: override {} too, so that each number \
                     is in one range only (a range that grows takes numbers from its \
                     neighbours: move their ends with it; e.g. {example})",
                    join(&kept),
                    if kept.len() == 1 { "has" } else { "have" },
                    if kept.len() == 1 { "" } else { "s" },
                    if kept.len() == 1 { "it" } else { "them" },
                )
            };
            return Err(format!(
                "thresholds for {question_id}: `{a}` {} and `{b}` {} overlap at {}: {fix}; {must} \
                 {protocol}",
                span(*ra),
                span(*rb),
                span(shared),
            ));
        }

        let have = union(&effective.iter().map(|(_, r, _)| *r).collect::<Vec<_>>());
        let gaps = missing(&coverage, &have);
        if !gaps.is_empty() {
            return Err(format!(
                "thresholds for {question_id} leave {} uncovered: {must} {protocol}",
                spans(&gaps)
            ));
        }
        let beyond = missing(&have, &coverage);
        if !beyond.is_empty() {
            return Err(format!(
                "thresholds for {question_id} reach {}, beyond the numbers the protocol takes: \
                 {must} {protocol}",
                spans(&beyond)
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_merges_touching_and_overlapping_ranges() {
        assert_eq!(union(&[(95, 100), (0, 92), (93, 94)]), vec![(0, 100)]);
        assert_eq!(
            union(&[(0, 10), (20, 30), (5, 12)]),
            vec![(0, 12), (20, 30)]
        );
    }

    #[test]
    fn missing_finds_every_gap_and_the_ends() {
        assert_eq!(
            missing(&[(0, 100)], &[(0, 80), (93, 94), (98, 100)]),
            vec![(81, 92), (95, 97)]
        );
        assert_eq!(missing(&[(0, 100)], &[(5, 90)]), vec![(0, 4), (91, 100)]);
        assert_eq!(missing(&[(0, u32::MAX)], &[(0, u32::MAX)]), vec![]);
        assert_eq!(missing(&[(0, 100)], &[]), vec![(0, 100)]);
    }
}
