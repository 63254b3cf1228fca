//! Generation grows linearly with the model: a model with eight times the operations costs about
//! eight times the work and holds about eight times the memory at its peak, not sixty-four; and
//! what it holds at once stays a small multiple of its output.
//!
//! Counted, not timed (the machine is shared): the allocations the generator makes on its
//! thread (a deterministic measure of its work) and the most it holds allocated at once. The
//! figures in docs/generator.md come from `cargo bench -p smithy-codegen --bench pipeline` and
//! `/usr/bin/time`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use serde_json::{json, Value};

/// Counts the allocations of the threads that ask for it.
struct Counting;

thread_local! {
    static ON: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    static LIVE: Cell<i64> = const { Cell::new(0) };
    static PEAK: Cell<i64> = const { Cell::new(0) };
}

fn record(bytes: i64, allocation: bool) {
    let _ = ON.try_with(|on| {
        if on.get() {
            let _ = LIVE.try_with(|live| {
                live.set(live.get() + bytes);
                let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
            });
            if allocation {
                let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
            }
        }
    });
}

// SAFETY: every call is forwarded to the system allocator unchanged; the counting only reads
// and writes thread-local cells, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            record(layout.size() as i64, true);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        record(-(layout.size() as i64), false);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            record(new_size as i64 - layout.size() as i64, true);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A restJson1 service with `n` operations, each with its own input, output and item
/// structure, sharing a constrained string, a tag list and an error.
fn model(n: usize) -> String {
    let mut shapes = serde_json::Map::new();
    let mut operations = Vec::new();
    for i in 0..n {
        let op = format!("ex#Op{i}");
        operations.push(json!({ "target": op }));
        shapes.insert(
            op,
            json!({
                "type": "operation",
                "input": { "target": format!("ex#Op{i}Input") },
                "output": { "target": format!("ex#Op{i}Output") },
                "errors": [{ "target": "ex#NotFound" }],
                "traits": {
                    "smithy.api#http": { "method": "POST", "uri": format!("/items{i}/{{Id}}"), "code": 200 },
                    "smithy.api#documentation": format!("<p>Operation number {i}.</p>")
                }
            }),
        );
        shapes.insert(
            format!("ex#Op{i}Input"),
            json!({
                "type": "structure",
                "members": {
                    "Id": { "target": "smithy.api#String", "traits": { "smithy.api#required": {}, "smithy.api#httpLabel": {} } },
                    "Name": { "target": "ex#Name" },
                    "Count": { "target": "smithy.api#Integer" },
                    "Tags": { "target": "ex#TagList" }
                },
                "traits": { "smithy.api#input": {} }
            }),
        );
        shapes.insert(
            format!("ex#Op{i}Output"),
            json!({
                "type": "structure",
                "members": { "Item": { "target": format!("ex#Item{i}") } },
                "traits": { "smithy.api#output": {} }
            }),
        );
        shapes.insert(
            format!("ex#Item{i}"),
            json!({
                "type": "structure",
                "members": { "Id": { "target": "smithy.api#String" }, "Size": { "target": "smithy.api#Long" } }
            }),
        );
    }
    let shared = json!({
        "ex#Name": { "type": "string", "traits": { "smithy.api#length": { "min": 1, "max": 64 } } },
        "ex#TagList": { "type": "list", "member": { "target": "ex#Tag" } },
        "ex#Tag": {
            "type": "structure",
            "members": {
                "Key": { "target": "smithy.api#String", "traits": { "smithy.api#required": {} } },
                "Value": { "target": "smithy.api#String" }
            }
        },
        "ex#NotFound": {
            "type": "structure",
            "members": { "Message": { "target": "smithy.api#String" } },
            "traits": { "smithy.api#error": "client", "smithy.api#httpError": 404 }
        },
        "ex#Svc": {
            "type": "service", "version": "2024-01-01", "operations": operations,
            "traits": { "aws.protocols#restJson1": {}, "aws.api#service": { "sdkId": "Scale" } }
        }
    });
    if let Value::Object(shared) = shared {
        shapes.extend(shared);
    }
    json!({ "smithy": "2.0", "shapes": shapes }).to_string()
}

/// (allocations, peak bytes held, files) of generating the `n`-operation model.
fn measure(n: usize) -> (u64, i64, usize) {
    let text = model(n);
    std::thread::spawn(move || {
        ON.with(|on| on.set(true));
        let rendered = smithy_codegen::generate(&text, &Default::default()).expect("generate");
        ON.with(|on| on.set(false));
        (ALLOCATIONS.with(Cell::get), PEAK.with(Cell::get), rendered.len())
    })
    .join()
    .expect("generation")
}

#[test]
fn work_and_memory_grow_linearly_with_operations() {
    let (small_work, small_peak, small_files) = measure(60);
    let (large_work, large_peak, large_files) = measure(480);
    eprintln!(
        "60 operations: {small_files} files, {small_work} allocations, peak {} KiB",
        small_peak / 1024
    );
    eprintln!(
        "480 operations: {large_files} files, {large_work} allocations, peak {} KiB",
        large_peak / 1024
    );
    assert!(large_files > 6 * small_files);
    // Eight times the model: linear is a ratio of about 8 (less, with the fixed part); anything
    // quadratic in operations shows as far more.
    let work = large_work as f64 / small_work as f64;
    let peak = large_peak as f64 / small_peak as f64;
    assert!(work < 10.0, "allocations grew {work:.1} times");
    assert!(peak < 10.0, "peak memory grew {peak:.1} times");
    // Files are formatted as they are emitted, one item at a time, so what is held at the peak
    // is about the output (about 11 KiB per operation here) and one file's syntax tree, not the
    // tokens of the whole crate (which took about 500 KiB per operation).
    let per_operation = large_peak / 480 / 1024;
    assert!(per_operation < 256, "{per_operation} KiB held per operation");
}
