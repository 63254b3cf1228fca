//! The runtime crate compiles its files with a generated crate's dependencies and features.
//! Its manifest is exactly that of a generated crate with event streams, the one that has the
//! most (`smithy-codegen`'s `emit::krate` tests hold the two equal); here it is checked against
//! `generated/Cargo.toml`, a crate without streaming: each of its dependencies is ours, the
//! same, and each of its features' lists is within ours (the runtime's `default` aside: all
//! features here, none there).

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
    let our_dependencies = section(&ours, "dependencies");
    for (name, spec) in section(&generated, "dependencies") {
        assert_eq!(our_dependencies.get(&name), Some(&spec), "dependency {name}");
    }
    let mut features = section(&ours, "features");
    let default = features.remove("default").expect("a default feature set");
    let generated_features = section(&generated, "features");
    assert_eq!(
        features.keys().collect::<Vec<_>>(),
        generated_features.keys().collect::<Vec<_>>(),
        "the same features"
    );
    for (name, list) in &generated_features {
        let ours = features[name].as_array().expect("a feature list");
        for item in list.as_array().expect("a feature list") {
            assert!(ours.contains(item), "feature {name} enables {item} in generated crates");
        }
    }
    // The default is every feature: each is in it, or enabled by one that is.
    let default: Vec<&str> = default.as_array().unwrap().iter().filter_map(Value::as_str).collect();
    for name in features.keys() {
        let enabled_by_default = default.iter().any(|d| {
            features[*d].as_array().unwrap().iter().any(|e| e.as_str() == Some(name.as_str()))
        });
        assert!(default.contains(&name.as_str()) || enabled_by_default, "{name}: not by default");
    }
    assert!(generated_features.get("default").is_none());
}
