//! Browser benchmarks run by `cargo xtask bench`.

fn main() {}
