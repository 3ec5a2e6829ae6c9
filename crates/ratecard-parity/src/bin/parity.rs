//! The deep parity run: `parity --cases 10000 --seed S [--server URL]`.
//!
//! Generates `--cases` cases from seeds `S`, `S+1`, … (30 each), computes them natively,
//! posts each to the server if `--server http://127.0.0.1:PORT` is given, and prints the
//! counts per endpoint and every mismatch. Exits 1 on any mismatch.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    deep::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod deep {
    use std::collections::BTreeMap;
    use std::net::SocketAddr;
    use std::process::ExitCode;
    use std::time::Instant;

    use ratecard_parity::{answer, seed_set_from};

    pub fn main() -> ExitCode {
        let mut total = 10_000usize;
        let mut seed = 1u64;
        let mut server: Option<SocketAddr> = None;
        let mut args = std::env::args().skip(1);
        while let Some(a) = args.next() {
            let v = args.next();
            match (a.as_str(), v) {
                ("--cases", Some(v)) => total = v.parse().expect("--cases N"),
                ("--seed", Some(v)) => seed = v.parse().expect("--seed S"),
                ("--server", Some(v)) => {
                    let hostport = v.trim_start_matches("http://").trim_end_matches('/');
                    server = Some(hostport.parse().expect("--server http://IP:PORT"));
                }
                _ => {
                    eprintln!("usage: parity [--cases N] [--seed S] [--server http://IP:PORT]");
                    return ExitCode::from(2);
                }
            }
        }
        let started = Instant::now();
        let set = seed_set_from(seed, total);
        let last_seed = set.last().map_or(seed, |c| c.seed);
        let generated = started.elapsed();
        // endpoint -> (cases, computed, refused, server mismatches)
        let mut counts: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
        let mut codes: BTreeMap<String, usize> = BTreeMap::new();
        let mut mismatches = 0usize;
        // Answers whose bytes equal the native serialisation exactly (errors: same code).
        let mut identical = 0usize;
        let mut native_time = std::time::Duration::ZERO;
        let mut server_time = std::time::Duration::ZERO;
        for (i, case) in set.iter().enumerate() {
            let t = Instant::now();
            let native = answer(case);
            native_time += t.elapsed();
            let c = counts.entry(case.endpoint).or_default();
            c[0] += 1;
            if let Some(code) = native.strip_prefix("error:") {
                c[2] += 1;
                *codes
                    .entry(format!("{} {code}", case.endpoint))
                    .or_default() += 1;
            } else {
                c[1] += 1;
            }
            if let Some(addr) = server {
                let body = case.request.to_string();
                let t = Instant::now();
                let diff = match ratecard_parity::http::post(addr, case.endpoint, &body) {
                    Ok(res) => {
                        if res.body == native || (res.status != 200 && native.starts_with("error:"))
                        {
                            identical += 1;
                        }
                        ratecard_parity::http::compare(&native, &res)
                    }
                    Err(e) => Some(format!("request failed: {e}")),
                };
                server_time += t.elapsed();
                if let Some(diff) = diff {
                    c[3] += 1;
                    mismatches += 1;
                    println!(
                        "MISMATCH seed {} case {i} {}\nrequest: {body}\n{diff}\n",
                        case.seed, case.endpoint
                    );
                }
            }
        }
        println!(
            "{:<30} {:>7} {:>9} {:>8} {:>10}",
            "endpoint", "cases", "computed", "refused", "mismatch"
        );
        for (ep, c) in &counts {
            println!("{ep:<30} {:>7} {:>9} {:>8} {:>10}", c[0], c[1], c[2], c[3]);
        }
        println!("refusals by code: {codes:?}");
        if server.is_some() {
            println!("server answers byte-identical to native (errors: by code): {identical}");
        }
        println!(
            "{} cases from seeds {seed}..{}; generation {:?}, native {:?}, server {}; mismatches: {mismatches}",
            set.len(),
            last_seed,
            generated,
            native_time,
            if server.is_some() {
                format!("{server_time:?}")
            } else {
                "not asked".into()
            },
        );
        if mismatches == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        }
    }
}
