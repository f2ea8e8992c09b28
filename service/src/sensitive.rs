//! A wrapper for patient data and secrets that cannot reach a log by accident.

use std::fmt;

/// Patient data (phone number, name, message text) or a secret.
///
/// `Debug` and `Display` print `<redacted>`, and it implements no `Serialize`, so it cannot be
/// logged, put in an error message or sent over IPC by accident. [`Sensitive::expose`] unwraps
/// it where the value must leave the process (the gateway, the database, a staff screen).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The value itself, for the few places it must leave the process.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let phone = Sensitive::new("+12065550100".to_string());
        assert_eq!(format!("{phone:?} {phone}"), "<redacted> <redacted>");
        assert_eq!(phone.expose(), "+12065550100");
    }
}
