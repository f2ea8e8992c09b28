//! load_errors
