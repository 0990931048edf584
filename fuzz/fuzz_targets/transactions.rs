//! Fuzz target `transactions`: see `sip_response::__fuzz::transactions` for the input format and invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sip_response::__fuzz::transactions(data));
