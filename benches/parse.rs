//! Criterion benches (filled in with the parser).
fn main() {}
