//! End-to-end: the whole story of one patient through the service, with time passed in.
//!
//! Enroll in Spanish → confirmation → check-in → "3" → "sí" → escalation and nurse call →
//! history → supervisor opt-out → silence. Every log line the story produces is captured, and
//! the test fails if a phone number, the patient's name or a message text appears in it.

mod logs;
mod story;
