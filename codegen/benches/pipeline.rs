//! Benchmark of the generator itself: how long each pipeline stage takes on a model, and the
//! process's peak memory. A bench binary (no criterion: nothing to add to the build).
//!
//! `cargo bench -p smithy-codegen --bench pipeline [-- MODEL.json ...]`
//! (default: the Chime model and the largest model of the generality corpus).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use smithy_codegen::{emit, load, resolve, write};

const RUNS: usize = 20;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn bench(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (mut t_load, mut t_resolve, mut t_emit, mut t_render) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut files = 0;
    let mut bytes = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let model = load::load_str(black_box(&text)).expect("load");
        let loaded = Instant::now();
        let service = resolve::resolve(&model, &Default::default()).expect("resolve");
        let resolved = Instant::now();
        let emitted_files = emit::emit(&service).expect("emit");
        let emitted = Instant::now();
        let rendered = write::render(emitted_files).expect("render");
        let done = Instant::now();
        files = rendered.len();
        bytes = rendered.values().map(String::len).sum();
        black_box(rendered);
        t_load.push(loaded - start);
        t_resolve.push(resolved - loaded);
        t_emit.push(emitted - resolved);
        t_render.push(done - emitted);
    }
    let total: Duration =
        [&t_load, &t_resolve, &t_emit, &t_render].iter().map(|t| median(t.to_vec())).sum();
    println!(
        "{:<34} {:>4} files {:>8} KiB | load {:>7.2?} resolve {:>7.2?} emit {:>7.2?} format {:>7.2?} | total {:>7.2?} (median of {RUNS})",
        path.file_name().unwrap_or_default().to_string_lossy(),
        files,
        bytes / 1024,
        median(t_load),
        median(t_resolve),
        median(t_emit),
        median(t_render),
        total,
    );
}

/// Peak resident memory of this process (Linux), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let args: Vec<PathBuf> =
        std::env::args().skip(1).filter(|a| !a.starts_with("--")).map(PathBuf::from).collect();
    let models = if args.is_empty() {
        vec![
            root.join("model/chime-sdk-meetings.json"),
            root.join("tests/models/other-services/chime-sdk-messaging.json"),
        ]
    } else {
        args
    };
    for model in &models {
        bench(model);
    }
    if let Some(kib) = peak_rss_kib() {
        println!("peak resident memory: {:.1} MiB", kib as f64 / 1024.0);
    }
}
