//! Calculation benchmark inputs shared by the native and the wasm32 benchmarks.
