//! Per-call cost of the generated Chime SDK Meetings client against the official
//! `aws-sdk-chimesdkmeetings` crate, on the same calls and the same response bytes.
//!
//! Each call goes the whole way through the client: the fluent builder, serialization, endpoint,
//! SigV4 signing with fixed credentials and region, an in-memory transport returning a canned
//! response, and parsing into the output (or the typed error). Both clients run on one tokio
//! current-thread runtime, interleaved run by run; the table gives the median calls per second,
//! the ratio (the median of the runs' pairwise ratios: each run of ours against the official
//! run next to it, so that a machine whose speed drifts over the seconds moves both sides of a
//! pair alike) with the spread of those ratios (their first and third quartiles), and the
//! allocations per call (a counting global allocator). Before measuring, every case is
//! checked: both clients send the same method, URI and body, both sign, and both read the same
//! output, equal to the canned body.
//!
//! `scripts/bench-official.sh`, or `cargo run --release --manifest-path
//! benches/official/Cargo.toml -- [--runs N] [--secs S] [--case NAME]... [--only ours|official
//! --calls N]` (`--only` skips the check and the table: for profilers).

mod alloc;
mod cases;
mod document;
mod official;
mod ours;

use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cases::{Case, Outcome, Sent};

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

/// When a timed run stops.
#[derive(Clone, Copy)]
enum Limit {
    Calls(u64),
    Time(Duration),
}

impl Limit {
    fn reached(self, calls: u64, start: Instant) -> bool {
        match self {
            Limit::Calls(n) => calls >= n,
            Limit::Time(d) => calls.is_multiple_of(8) && start.elapsed() >= d,
        }
    }
}

/// One timed run of one client on one case.
struct Sample {
    calls: u64,
    secs: f64,
    allocations: u64,
    bytes: u64,
}

impl Sample {
    fn per_second(&self) -> f64 {
        self.calls as f64 / self.secs
    }
    fn allocations_per_call(&self) -> f64 {
        self.allocations as f64 / self.calls as f64
    }
    fn bytes_per_call(&self) -> f64 {
        self.bytes as f64 / self.calls as f64
    }
}

/// Runs `$call` (an expression awaiting one call) until `$limit`, counting calls, time and
/// allocations. A macro, so the loop is written once for two clients with unrelated types.
macro_rules! timed {
    ($limit:expr, $call:expr) => {{
        let limit: Limit = $limit;
        let (allocations, bytes) = alloc::reading();
        let start = Instant::now();
        let mut calls = 0_u64;
        loop {
            $call;
            calls += 1;
            if limit.reached(calls, start) {
                break;
            }
        }
        let secs = start.elapsed().as_secs_f64();
        let (allocations_after, bytes_after) = alloc::reading();
        Sample {
            calls,
            secs,
            allocations: allocations_after - allocations,
            bytes: bytes_after - bytes,
        }
    }};
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Ours,
    Official,
}

struct Options {
    runs: usize,
    secs: f64,
    cases: Vec<Case>,
    only: Option<(Which, u64)>,
}

fn options() -> Result<Options, String> {
    let env = |name: &str| std::env::var(name).ok();
    let mut options = Options {
        runs: env("BENCH_RUNS").and_then(|v| v.parse().ok()).unwrap_or(15),
        secs: env("BENCH_SECS").and_then(|v| v.parse().ok()).unwrap_or(0.4),
        cases: Vec::new(),
        only: None,
    };
    let mut only = None;
    let mut calls = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--runs" => options.runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--secs" => options.secs = value()?.parse().map_err(|e| format!("--secs: {e}"))?,
            "--case" => {
                let name = value()?;
                let case = Case::from_name(&name).ok_or_else(|| {
                    let names: Vec<_> = Case::ALL.iter().map(|c| c.name()).collect();
                    format!("unknown case `{name}`; one of {}", names.join(", "))
                })?;
                options.cases.push(case);
            }
            "--only" => {
                only = Some(match value()?.as_str() {
                    "ours" => Which::Ours,
                    "official" => Which::Official,
                    other => return Err(format!("--only ours|official, not `{other}`")),
                })
            }
            "--calls" => calls = Some(value()?.parse().map_err(|e| format!("--calls: {e}"))?),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if options.cases.is_empty() {
        options.cases = Case::ALL.to_vec();
    }
    match (only, calls) {
        (Some(which), Some(calls)) => options.only = Some((which, calls)),
        (None, None) => {}
        _ => return Err("--only and --calls go together".into()),
    }
    if options.runs == 0 || options.secs <= 0.0 {
        return Err("runs and seconds must be positive".into());
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime");

    if let Some((which, calls)) = options.only {
        for &case in &options.cases {
            let sample = match which {
                Which::Ours => {
                    let client = ours::client(case, None);
                    runtime.block_on(async {
                        timed!(Limit::Calls(calls), ours::call(&client, case).await)
                    })
                }
                Which::Official => {
                    let client = official::client(case, None);
                    runtime.block_on(async {
                        timed!(Limit::Calls(calls), official::call(&client, case).await)
                    })
                }
            };
            println!(
                "{}: {} calls, {:.0} calls/s, {:.1} allocations/call",
                case.name(),
                sample.calls,
                sample.per_second(),
                sample.allocations_per_call()
            );
        }
        return ExitCode::SUCCESS;
    }

    let mut failed = false;
    for &case in &options.cases {
        match verify(&runtime, case) {
            Ok(summary) => println!("checked {:<30} {summary}", case.name()),
            Err(problem) => {
                println!("MISMATCH {:<29} {problem}", case.name());
                failed = true;
            }
        }
    }
    if failed {
        eprintln!("error: the two clients do not do the same work; nothing measured");
        return ExitCode::FAILURE;
    }

    println!(
        "\n{} cores, load average {}; {} runs of {} s per client and case, interleaved; median\n",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        load_average(),
        options.runs,
        options.secs
    );
    println!(
        "| case | generated calls/s | official calls/s | ratio | ratio, quartiles of the pairs | generated allocs/call | official allocs/call | generated KB/call | official KB/call |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let budget = Limit::Time(Duration::from_secs_f64(options.secs));
    let warm_up = Limit::Time(Duration::from_secs_f64((options.secs / 4.0).min(0.5)));
    for &case in &options.cases {
        let ours_client = ours::client(case, None);
        let official_client = official::client(case, None);
        runtime.block_on(async {
            timed!(warm_up, ours::call(&ours_client, case).await);
            timed!(warm_up, official::call(&official_client, case).await);
        });
        let mut ours_samples = Vec::new();
        let mut official_samples = Vec::new();
        for _ in 0..options.runs {
            ours_samples.push(
                runtime.block_on(async { timed!(budget, ours::call(&ours_client, case).await) }),
            );
            official_samples.push(
                runtime.block_on(async {
                    timed!(budget, official::call(&official_client, case).await)
                }),
            );
        }
        let ours_rate = median(ours_samples.iter().map(Sample::per_second));
        let official_rate = median(official_samples.iter().map(Sample::per_second));
        let mut ratios: Vec<f64> = ours_samples
            .iter()
            .zip(&official_samples)
            .map(|(ours, official)| ours.per_second() / official.per_second())
            .collect();
        ratios.sort_by(f64::total_cmp);
        let quartile = |q: usize| ratios[(ratios.len() - 1) * q / 4];
        println!(
            "| {} | {} | {} | {:.1}× | {:.1}×–{:.1}× | {:.0} | {:.0} | {:.1} | {:.1} |",
            case.label(),
            thousands(ours_rate),
            thousands(official_rate),
            median(ratios.iter().copied()),
            quartile(1),
            quartile(3),
            median(ours_samples.iter().map(Sample::allocations_per_call)),
            median(official_samples.iter().map(Sample::allocations_per_call)),
            median(ours_samples.iter().map(Sample::bytes_per_call)) / 1024.0,
            median(official_samples.iter().map(Sample::bytes_per_call)) / 1024.0,
        );
    }
    println!("\nload average at the end: {}", load_average());
    ExitCode::SUCCESS
}

/// Both clients make `case` once, recording the request; the requests and results must agree.
fn verify(runtime: &tokio::runtime::Runtime, case: Case) -> Result<String, String> {
    let ours_sent = Arc::new(Mutex::new(Vec::new()));
    let official_sent = Arc::new(Mutex::new(Vec::new()));
    let ours_client = ours::client(case, Some(ours_sent.clone()));
    let official_client = official::client(case, Some(official_sent.clone()));
    let ours_outcome = runtime.block_on(ours::outcome(&ours_client, case));
    let official_outcome = runtime.block_on(official::outcome(&official_client, case));

    let canned = cases::canned(case);
    let expected = match case {
        Case::NotFound => {
            Outcome::Error { shape: "NotFoundException", members: canned.document.clone() }
        }
        _ => Outcome::Output(canned.document.clone()),
    };
    if ours_outcome != expected {
        return Err(format!("the generated client read {ours_outcome:?}, expected {expected:?}"));
    }
    if official_outcome != expected {
        return Err(format!(
            "the official client read {official_outcome:?}, expected {expected:?}"
        ));
    }

    let [ours_request] = take(&ours_sent, "generated")?;
    let [official_request] = take(&official_sent, "official")?;
    if (&ours_request.method, &ours_request.uri)
        != (&official_request.method, &official_request.uri)
    {
        return Err(format!(
            "requests differ: {} {} (generated) against {} {} (official)",
            ours_request.method, ours_request.uri, official_request.method, official_request.uri
        ));
    }
    let same_bytes = ours_request.body == official_request.body;
    if !same_bytes && json(&ours_request.body)? != json(&official_request.body)? {
        return Err(format!(
            "bodies differ:\n  generated: {}\n  official:  {}",
            String::from_utf8_lossy(&ours_request.body),
            String::from_utf8_lossy(&official_request.body)
        ));
    }
    for (who, request) in [("generated", &ours_request), ("official", &official_request)] {
        let scope = format!(
            "AWS4-HMAC-SHA256 Credential={}/{}/{}/chime/aws4_request, SignedHeaders=",
            cases::ACCESS_KEY_ID,
            request.amz_date.as_deref().and_then(|d| d.get(..8)).unwrap_or("(no X-Amz-Date)"),
            cases::REGION
        );
        match &request.authorization {
            Some(auth) if auth.starts_with(&scope) && auth.contains(", Signature=") => {}
            other => return Err(format!("the {who} request is not signed as expected: {other:?}")),
        }
    }
    let body = match (ours_request.body.len(), same_bytes) {
        (0, _) => "no body".to_string(),
        (n, true) => format!("same {n}-byte body"),
        (n, false) => format!("same JSON body ({n} and {} bytes)", official_request.body.len()),
    };
    Ok(format!(
        "{} {}, {body}, both signed, outputs equal and equal to the response",
        ours_request.method,
        ours_request.uri.trim_start_matches(cases::ENDPOINT)
    ))
}

fn take(sent: &Mutex<Vec<Sent>>, who: &str) -> Result<[Sent; 1], String> {
    let requests = std::mem::take(&mut *sent.lock().unwrap());
    let n = requests.len();
    requests.try_into().map_err(|_| format!("the {who} client sent {n} requests, not 1"))
}

fn json(body: &[u8]) -> Result<serde_json::Value, String> {
    serde_json::from_slice(body).map_err(|e| format!("a request body is not JSON: {e}"))
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

/// `123456.7` as `123,457`.
fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
