//! Fuzz target `decoder_split`: see `sip_response::__fuzz::decoder_split` for the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sip_response::__fuzz::decoder_split(data));
