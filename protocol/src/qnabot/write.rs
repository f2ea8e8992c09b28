//! Writing imported content as TOML and Fluent text, escaped so it reads back unchanged.

/// A TOML basic string, quoted.
pub(crate) fn toml_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One Fluent message whose value is exactly `text` (trimmed): braces become literal
/// placeables, and continuation lines are indented (and guarded when they would start with a
/// character Fluent reads as syntax).
pub(crate) fn ftl_message(id: &str, text: &str) -> String {
    let lines: Vec<String> = text
        .trim()
        .lines()
        .map(|line| escape_line(line.trim_end()))
        .collect();
    let mut out = format!("{id} =");
    match lines.as_slice() {
        [single] => {
            out.push(' ');
            out.push_str(single);
        }
        _ => {
            for line in &lines {
                out.push_str("\n    ");
                out.push_str(&guard_start(line));
            }
        }
    }
    out.push('\n');
    out
}

fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '{' => out.push_str("{\"{\"}"),
            '}' => out.push_str("{\"}\"}"),
            c => out.push(c),
        }
    }
    out
}

/// A continuation line starting with `[`, `*` or `.` would be read as a variant or an
/// attribute, and leading spaces would be taken as indentation: write them as placeables.
fn guard_start(line: &str) -> String {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    let indent = if indent.is_empty() {
        String::new()
    } else {
        format!("{{\"{indent}\"}}")
    };
    match trimmed.chars().next() {
        Some(c @ ('[' | '*' | '.')) => format!("{indent}{{\"{c}\"}}{}", &trimmed[1..]),
        _ => format!("{indent}{trimmed}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_escape_quotes_and_newlines() {
        assert_eq!(toml_string("a \"b\"\nc\\"), "\"a \\\"b\\\"\\nc\\\\\"");
    }

    #[test]
    fn ftl_messages_escape_braces_and_guard_lines() {
        assert_eq!(ftl_message("m", "Hi {you}"), "m = Hi {\"{\"}you{\"}\"}\n");
        assert_eq!(
            ftl_message("m", "One\n*Two\n"),
            "m =\n    One\n    {\"*\"}Two\n"
        );
    }
}
