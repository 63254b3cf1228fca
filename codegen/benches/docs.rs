//! Benchmark of the documentation conversion (`docs::html_to_markdown`): throughput in MB of
//! HTML per second and the process's peak memory, on inputs built here (nothing is committed).
//!
//! `cargo bench -p smithy-codegen --bench docs [-- SHAPE MB]` (release), or the same with
//! `--profile dev` for the debug build that `cargo xtask codegen` runs. Run one shape per process
//! to read its peak memory. Shapes:
//!
//! * `many`: every documentation string of the models under `model/` and `tests/models/`,
//!   repeated until MB megabytes, each converted on its own (a model with a lot of docs);
//! * `single`: the same strings joined into one document of MB megabytes;
//! * `wrapped`: that document inside one `<div>` (nothing is complete before the end);
//! * `nested`: `<div><b><ul><li>` repeated (hostile nesting);
//! * `spans`: `<code>a</code>` repeated (adjacent spans, merged into one);
//! * `unclosed`: `<a href="x` and `&amp` repeated (markup that never ends);
//! * `all` (default, 4 MB each): every shape above, one after another.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use smithy_codegen::docs::html_to_markdown;

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

fn collect_docs(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("smithy.api#documentation", serde_json::Value::String(s)) => {
                        out.push(s.clone())
                    }
                    _ => collect_docs(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_docs(v, out)),
        _ => {}
    }
}

/// The documentation strings of the repository's models.
fn corpus_docs() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    json_files(&root.join("model"), &mut files);
    json_files(&root.join("tests/models"), &mut files);
    let mut docs = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else { continue };
        let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
        collect_docs(&json, &mut docs);
    }
    assert!(!docs.is_empty(), "no documentation strings found");
    docs
}

/// The documents of one shape, `bytes` long in total.
fn inputs(shape: &str, bytes: usize) -> Vec<String> {
    let repeat = |piece: &str| vec![piece.repeat(bytes / piece.len() + 1)];
    match shape {
        "many" | "single" | "wrapped" => {
            let corpus = corpus_docs();
            let mut docs = Vec::new();
            let mut total = 0;
            for doc in corpus.iter().cycle() {
                if total >= bytes {
                    break;
                }
                total += doc.len();
                docs.push(doc.clone());
            }
            match shape {
                "single" => vec![docs.join("\n")],
                "wrapped" => vec![format!("<div>{}</div>", docs.join("\n"))],
                _ => docs,
            }
        }
        "nested" => repeat("<div><b><ul><li>x "),
        "spans" => repeat("<code>a</code>"),
        "unclosed" => repeat("<a href=\"x &amp "),
        _ => panic!("unknown shape {shape:?}"),
    }
}

/// CPU time this thread has run (Linux), in seconds: unlike wall time, it does not count the
/// time other processes on a busy machine take.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(nanos as f64 / 1e9)
}

/// Peak resident memory of this process (Linux), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn run(shape: &str, megabytes: f64) {
    let docs = inputs(shape, (megabytes * 1e6) as usize);
    let bytes: usize = docs.iter().map(String::len).sum();
    let cpu_start = thread_cpu_seconds();
    let start = Instant::now();
    let mut out_bytes = 0;
    for doc in &docs {
        out_bytes += black_box(html_to_markdown(black_box(doc))).len();
    }
    let elapsed = start.elapsed().as_secs_f64();
    let cpu = thread_cpu_seconds().zip(cpu_start).map(|(end, start)| end - start);
    let mb = bytes as f64 / 1e6;
    println!(
        "{shape:<9} {:>6} docs {mb:>8.2} MB: wall {elapsed:>8.3} s = {:>8.3} MB/s, cpu {} ({out_bytes} bytes out)",
        docs.len(),
        mb / elapsed,
        cpu.map_or("?".to_string(), |cpu| format!("{cpu:>8.3} s = {:>8.3} MB/s", mb / cpu)),
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let shape = args.first().map_or("all", String::as_str);
    let megabytes: f64 = args.get(1).map_or(4.0, |s| s.parse().expect("MB is a number"));
    if shape == "all" {
        for shape in ["many", "single", "wrapped", "nested", "spans", "unclosed"] {
            run(shape, megabytes);
        }
    } else {
        run(shape, megabytes);
    }
    if let Some(kib) = peak_rss_kib() {
        println!("peak resident memory: {:.1} MiB", kib as f64 / 1024.0);
    }
}
