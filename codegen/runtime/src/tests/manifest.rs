//! The runtime crate compiles its files with a generated crate's dependencies and features:
//! its `Cargo.toml` says the same as `generated/Cargo.toml` in `[dependencies]` and
//! `[features]` (the runtime's `default` aside: all features here, none there).

use toml::{Table, Value};

fn manifest(text: &str) -> Table {
    text.parse::<Table>().expect("a TOML manifest")
}

fn section(manifest: &Table, name: &str) -> Table {
    manifest.get(name).and_then(Value::as_table).cloned().unwrap_or_default()
}

#[test]
fn dependencies_and_features_are_a_generated_crate_s() {
    let ours = manifest(include_str!("../../Cargo.toml"));
    let generated = manifest(include_str!("../../../../generated/Cargo.toml"));
    assert_eq!(section(&ours, "dependencies"), section(&generated, "dependencies"));

    let mut features = section(&ours, "features");
    let default = features.remove("default").expect("a default feature set");
    assert_eq!(features, section(&generated, "features"));
    // The default is every feature: each is in it, or enabled by one that is.
    let default: Vec<&str> = default.as_array().unwrap().iter().filter_map(Value::as_str).collect();
    for name in features.keys() {
        let enabled_by_default = default.iter().any(|d| {
            features[*d].as_array().unwrap().iter().any(|e| e.as_str() == Some(name.as_str()))
        });
        assert!(default.contains(&name.as_str()) || enabled_by_default, "{name}: not by default");
    }
    assert!(section(&generated, "features").get("default").is_none());
}
