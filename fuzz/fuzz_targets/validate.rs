//! Fuzz target `validate`: see `sip_response::__fuzz::validate` for the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sip_response::__fuzz::validate(data));
