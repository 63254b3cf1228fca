//! The rules-engine standard library (`primitives/endpoint_lib.rs`) against botocore:
//! `tests/endpoints/fixtures/stdlib.jsonl` holds botocore's results for a fixed set of inputs
//! (written by `tests/endpoints/botocore_endpoints.py`), and every one must agree.

use crate::primitives::endpoint_lib::{self, Partition, PartitionData};
use serde_json::{json, Value};

/// The partition table built from the same `partitions.json` the generator embeds (the
/// generated crates get it as Rust data; its emission is checked by the resolution fixtures).
fn partitions() -> &'static [PartitionData] {
    let data: Value = serde_json::from_str(include_str!("../../../data/partitions.json"))
        .expect("partitions.json");
    let leak = |s: &str| -> &'static str { Box::leak(s.to_owned().into_boxed_str()) };
    let mut out = Vec::new();
    for p in data["partitions"].as_array().expect("partitions") {
        let o = &p["outputs"];
        let outputs = Partition {
            name: leak(o["name"].as_str().expect("name")),
            dns_suffix: leak(o["dnsSuffix"].as_str().expect("dnsSuffix")),
            dual_stack_dns_suffix: leak(
                o["dualStackDnsSuffix"].as_str().expect("dualStackDnsSuffix"),
            ),
            supports_fips: o["supportsFIPS"].as_bool().expect("supportsFIPS"),
            supports_dual_stack: o["supportsDualStack"].as_bool().expect("supportsDualStack"),
            implicit_global_region: leak(
                o["implicitGlobalRegion"].as_str().expect("implicitGlobalRegion"),
            ),
        };
        let regions: Vec<&'static str> =
            p["regions"].as_object().expect("regions").keys().map(|r| leak(r)).collect();
        out.push(PartitionData {
            id: leak(p["id"].as_str().expect("id")),
            region_regex: leak(p["regionRegex"].as_str().expect("regionRegex")),
            regions: Box::leak(regions.into_boxed_slice()),
            region_overrides: &[],
            outputs,
        });
    }
    Box::leak(out.into_boxed_slice())
}

fn ours(table: &'static [PartitionData], f: &str, args: &[Value]) -> Value {
    let s = |i: usize| args[i].as_str().expect("string argument");
    let b = |i: usize| args[i].as_bool().expect("boolean argument");
    let n = |i: usize| args[i].as_u64().expect("integer argument") as usize;
    match f {
        "aws.partition" => match endpoint_lib::partition(table, s(0)) {
            Some(p) => json!({
                "name": p.name, "dnsSuffix": p.dns_suffix, "dualStackDnsSuffix": p.dual_stack_dns_suffix,
                "supportsFIPS": p.supports_fips, "supportsDualStack": p.supports_dual_stack,
                "implicitGlobalRegion": p.implicit_global_region,
            }),
            None => Value::Null,
        },
        "isValidHostLabel" => json!(endpoint_lib::is_valid_host_label(s(0), b(1))),
        "aws.isVirtualHostableS3Bucket" => {
            json!(endpoint_lib::is_virtual_hostable_s3_bucket(s(0), b(1)))
        }
        "parseURL" => match endpoint_lib::parse_url(s(0)) {
            Some(u) => json!({
                "scheme": u.scheme, "authority": u.authority, "path": u.path,
                "normalizedPath": u.normalized_path, "isIp": u.is_ip,
            }),
            None => Value::Null,
        },
        "aws.parseArn" => match endpoint_lib::parse_arn(s(0)) {
            Some(a) => json!({
                "partition": a.partition, "service": a.service, "region": a.region,
                "accountId": a.account_id, "resourceId": a.resource_id,
            }),
            None => Value::Null,
        },
        "substring" => json!(endpoint_lib::substring(s(0), n(1), n(2), b(3))),
        "uriEncode" => json!(endpoint_lib::uri_encode(s(0))),
        other => panic!("fixture names an unknown function {other}"),
    }
}

#[test]
fn standard_library_agrees_with_botocore() {
    let table = partitions();
    let fixtures = include_str!("../../../../tests/endpoints/fixtures/stdlib.jsonl");
    let mut count = 0;
    let mut by_fn = std::collections::BTreeMap::<String, usize>::new();
    let mut mismatches = Vec::new();
    for line in fixtures.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("fixture line");
        let f = case["fn"].as_str().expect("fn");
        let args = case["args"].as_array().expect("args");
        let got = ours(table, f, args);
        count += 1;
        *by_fn.entry(f.to_owned()).or_default() += 1;
        if got != case["result"] {
            mismatches.push(format!("{f}{args:?}: botocore {}, ours {got}", case["result"]));
        }
    }
    eprintln!("{count} standard-library calls compared with botocore: {by_fn:?}");
    assert!(by_fn.len() == 7 && count > 500, "the fixture covers every function: {by_fn:?}");
    assert!(
        mismatches.is_empty(),
        "{} disagreements with botocore:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

/// No function panics, whatever the input (the inputs are byte soups around the fixtures').
#[test]
fn standard_library_never_panics() {
    let table = partitions();
    let pieces = [
        "",
        "a",
        "-",
        ".",
        ":",
        "/",
        "[",
        "]",
        "::1",
        "arn",
        "https://",
        "?",
        "#",
        "ü",
        "9",
        "%",
        "@",
        " ",
        "aws",
        "us-east-1",
    ];
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for _ in 0..20_000 {
        let mut s = String::new();
        for _ in 0..(state % 8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            s.push_str(pieces[(state % pieces.len() as u64) as usize]);
        }
        let _ = endpoint_lib::partition(table, &s);
        let _ = endpoint_lib::parse_url(&s);
        let _ = endpoint_lib::parse_arn(&s);
        let _ = endpoint_lib::uri_encode(&s);
        let _ = endpoint_lib::is_valid_host_label(&s, state & 1 == 0);
        let _ = endpoint_lib::is_virtual_hostable_s3_bucket(&s, state & 2 == 0);
        let _ = endpoint_lib::substring(
            &s,
            (state % 7) as usize,
            (state % 11) as usize,
            state & 4 == 0,
        );
        let _ = endpoint_lib::element(&[s.clone()], (state % 3) as usize);
    }
}
