//! The binary users deploy is built by `cargo lambda build --release` (directly, or through
//! `sam build`). For each of `strip`, `lto`, `codegen-units` and `panic` that `[profile.release]`
//! leaves unset, cargo-lambda adds its own (`panic = "abort"` among them). Setting all four keeps
//! the deployed binary the one that is tested and benchmarked. The aws-lc setting of
//! `.cargo/config.toml` reaches the same builds.

use toml_edit::DocumentMut;

fn release_profile() -> toml_edit::Table {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let manifest: DocumentMut = std::fs::read_to_string(path).unwrap().parse().unwrap();
    manifest["profile"]["release"]
        .as_table()
        .expect("Cargo.toml has [profile.release]")
        .clone()
}

#[test]
fn release_builds_unwind_on_panic() {
    // With "abort", a panic kills the process: the whole SQS batch is retried and a flow gets no
    // answer. With "unwind", the runtime reports it as that invocation's function error.
    let profile = release_profile();
    assert_eq!(profile["panic"].as_str(), Some("unwind"));
}

#[test]
fn every_setting_cargo_lambda_would_add_is_ours() {
    let profile = release_profile();
    for key in ["strip", "lto", "codegen-units", "panic"] {
        assert!(
            profile.contains_key(key),
            "[profile.release] must set {key}, or cargo lambda build sets its own"
        );
    }
}

#[test]
fn aws_lc_is_built_without_jitter_entropy() {
    // `.cargo/config.toml` sets AWS_LC_SYS_NO_JITTER_ENTROPY=1 for every cargo build in this
    // repository (docs/performance.md). The test build's binary is not stripped, so aws-lc's
    // jitter entropy functions would show by name if the setting did not reach its build.
    let binary = std::fs::read(env!("CARGO_BIN_EXE_contact-bridge")).unwrap();
    let needle = b"jent_entropy_init";
    assert!(
        !binary.windows(needle.len()).any(|w| w == needle),
        "aws-lc was built with its CPU-jitter entropy source"
    );
}
