//! Shared helpers live in the test binaries; this crate has no library code.
