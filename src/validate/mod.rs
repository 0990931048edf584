//! The validator: response rules of `spec/response-rules.md`.
