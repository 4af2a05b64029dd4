//! `cargo xtask codegen [--check]`: generates `src/request/generated.rs` from the Connect service
//! model (API 2017-08-08) of the pinned botocore: the operations that create a contact, and every
//! shape their inputs and outputs reach. `--check` regenerates it and fails if the checked-in file
//! differs (CI runs it). `cargo xtask botocore` prints the folder of the pinned botocore, installing
//! it there with pip first when it is missing.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use serde_json::Value;

mod sdk;

/// The botocore release whose model is the source of truth: a model update is a deliberate
/// change of this line, then `cargo xtask codegen`.
const BOTOCORE_VERSION: &str = "1.44.8";
const MODEL: &str = "botocore/data/connect/2017-08-08/service-2.json.gz";
const OUTPUT: &str = "src/request/generated.rs";
/// The mapping of checked requests onto the SDK's inputs, and of its outputs and errors back.
const SDK_OUTPUT: &str = "src/connect/generated.rs";

/// The operations that create a contact.
const OPERATIONS: &[&str] = &[
    "CreateContact",
    "StartTaskContact",
    "StartOutboundVoiceContact",
    "StartOutboundChatContact",
    "StartEmailContact",
    "StartOutboundEmailContact",
    "StartChatContact",
    "StartWebRTCContact",
];

type Result<T, E = String> = std::result::Result<T, E>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let outcome = match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["botocore"] => botocore_dir().map(|dir| println!("{}", dir.display())),
        _ => Err("usage: cargo xtask codegen [--check] | cargo xtask botocore".to_owned()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// `BOTOCORE_DIR`, else a cache folder of the pinned version, installed there if missing (with
/// no dependencies: only the data files are read).
fn botocore_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("BOTOCORE_DIR") {
        return Ok(PathBuf::from(dir));
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .ok_or("neither XDG_CACHE_HOME nor HOME is set")?;
    let dir = cache.join(format!("contact-bridge-botocore-{BOTOCORE_VERSION}"));
    if !dir.join(MODEL).is_file() {
        let status = Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "--no-deps", "--target"])
            .arg(&dir)
            .arg(format!("botocore=={BOTOCORE_VERSION}"))
            .status()
            .map_err(|e| format!("cannot run python3 -m pip: {e}"))?;
        if !status.success() {
            return Err(format!("pip could not install botocore {BOTOCORE_VERSION}"));
        }
    }
    Ok(dir)
}

fn codegen(check: bool) -> Result<()> {
    let path = botocore_dir()?.join(MODEL);
    let file = std::fs::File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let model: Value = serde_json::from_str(&text).map_err(|e| format!("the model: {e}"))?;
    for (file, source) in [
        (OUTPUT, generate(&model)?),
        (SDK_OUTPUT, sdk::generate(&model, OPERATIONS)?),
    ] {
        let generated = rustfmt(&source)?;
        let output = repository().join(file);
        if check {
            let current = std::fs::read_to_string(&output).unwrap_or_default();
            if current != generated {
                return Err(format!(
                    "{file} is not what the model of botocore {BOTOCORE_VERSION} generates: run \
                     `cargo xtask codegen` and commit the result (never edit it by hand)"
                ));
            }
            println!("{file} is up to date with botocore {BOTOCORE_VERSION}");
        } else {
            std::fs::write(&output, generated).map_err(|e| format!("{file}: {e}"))?;
            println!("wrote {file} from botocore {BOTOCORE_VERSION}");
        }
    }
    Ok(())
}

/// Formats the generated source as `cargo fmt` would, so that CI's format check holds for it.
fn rustfmt(source: &str) -> Result<String> {
    use std::io::Write as _;
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run rustfmt: {e}"))?;
    child
        .stdin
        .take()
        .ok_or("rustfmt has no stdin")?
        .write_all(source.as_bytes())
        .map_err(|e| format!("rustfmt: {e}"))?;
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt: {e}"))
}

/// The shapes reachable from `name`, each once, by name.
pub(crate) fn reach(shapes: &Value, name: &str, out: &mut BTreeMap<String, Value>) -> Result<()> {
    if out.contains_key(name) {
        return Ok(());
    }
    let shape = shapes
        .get(name)
        .ok_or_else(|| format!("the model has no shape {name}"))?;
    out.insert(name.to_owned(), shape.clone());
    let mut targets: Vec<&str> = Vec::new();
    if let Some(members) = shape["members"].as_object() {
        targets.extend(members.values().filter_map(|m| m["shape"].as_str()));
    }
    for part in ["member", "key", "value"] {
        targets.extend(shape[part]["shape"].as_str());
    }
    for target in targets {
        reach(shapes, target, out)?;
    }
    Ok(())
}

/// The static's name of a shape: `CreateContactRequest` -> `CREATE_CONTACT_REQUEST`.
pub(crate) fn static_name(shape: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = shape.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
        let prev_lower = i > 0 && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
        if i > 0 && c.is_uppercase() && (prev_lower || next_lower && chars[i - 1].is_uppercase()) {
            out.push('_');
        }
        out.extend(c.to_uppercase());
    }
    out
}

fn option(value: &Value) -> String {
    match value.as_i64() {
        Some(n) => format!("Some({n})"),
        None => "None".to_owned(),
    }
}

fn generate(model: &Value) -> Result<String> {
    let shapes = &model["shapes"];
    let mut reached = BTreeMap::new();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "//! @generated by `cargo xtask codegen` from botocore {BOTOCORE_VERSION}'s Connect service\n\
         //! model (API {}). Do not edit: change the generator or the pinned model, then regenerate.\n",
        model["metadata"]["apiVersion"].as_str().unwrap_or("?")
    );
    let _ = writeln!(out, "use super::service_model::*;\n");
    let _ = writeln!(
        out,
        "/// The botocore release the shapes below were generated from.\npub const BOTOCORE_VERSION: &str = {BOTOCORE_VERSION:?};\n"
    );
    let _ = writeln!(
        out,
        "/// The operations that create a contact, in the generator's order.\npub static OPERATIONS: &[&ModelOperation] = &["
    );
    for op in OPERATIONS {
        let _ = writeln!(out, "&{},", static_name(op));
    }
    let _ = writeln!(out, "];\n");
    let _ = writeln!(
        out,
        "/// The operation named `name`, among [`OPERATIONS`].\npub fn operation(name: &str) -> Option<&'static ModelOperation> {{ OPERATIONS.iter().copied().find(|op| op.name == name) }}\n"
    );
    for op in OPERATIONS {
        let operation = &model["operations"][op];
        let input = operation["input"]["shape"]
            .as_str()
            .ok_or_else(|| format!("{op} has no input"))?;
        let output = operation["output"]["shape"]
            .as_str()
            .ok_or_else(|| format!("{op} has no output"))?;
        reach(shapes, input, &mut reached)?;
        reach(shapes, output, &mut reached)?;
        let errors: Vec<String> = operation["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e["shape"].as_str().map(|s| format!("{s:?}")))
                    .collect()
            })
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "pub static {}: ModelOperation = ModelOperation {{ name: {op:?}, method: {:?}, uri: {:?}, input: &{}, output: &{}, errors: &[{}] }};\n",
            static_name(op),
            operation["http"]["method"].as_str().unwrap_or("POST"),
            operation["http"]["requestUri"].as_str().unwrap_or("/"),
            static_name(input),
            static_name(output),
            errors.join(", "),
        );
    }
    let mut names = BTreeMap::new();
    for name in reached.keys() {
        if let Some(other) = names.insert(static_name(name), name) {
            return Err(format!(
                "shapes {other} and {name} have the same static name"
            ));
        }
    }
    for (name, shape) in &reached {
        let kind = match shape["type"].as_str().unwrap_or_default() {
            "structure" => {
                let members: Vec<String> = shape["members"]
                    .as_object()
                    .map(|members| {
                        members
                            .iter()
                            .map(|(member, m)| {
                                format!(
                                    "ModelMember {{ name: {member:?}, shape: &{}, idempotency_token: {} }}",
                                    static_name(m["shape"].as_str().unwrap_or_default()),
                                    m["idempotencyToken"].as_bool().unwrap_or(false)
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let required: Vec<String> = shape["required"]
                    .as_array()
                    .map(|r| r.iter().map(|n| format!("{n}")).collect())
                    .unwrap_or_default();
                let names: Vec<String> = shape["members"]
                    .as_object()
                    .map(|m| m.keys().map(|k| format!("{k:?}")).collect())
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "/// The members of `{name}`, in the model's order.\npub const {}_MEMBERS: &[&str] = &[{}];\n",
                    static_name(name),
                    names.join(", ")
                );
                format!(
                    "ModelKind::Structure {{ members: &[{}], member_names: {}_MEMBERS, required: &[{}] }}",
                    members.join(", "),
                    static_name(name),
                    required.join(", ")
                )
            }
            "string" => {
                let values = match shape["enum"].as_array() {
                    Some(values) => format!(
                        "Some(&[{}])",
                        values
                            .iter()
                            .map(|v| format!("{v}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    None => "None".to_owned(),
                };
                let pattern = match shape["pattern"].as_str() {
                    Some(p) => format!("Some({p:?})"),
                    None => "None".to_owned(),
                };
                format!(
                    "ModelKind::String {{ min: {}, max: {}, pattern: {pattern}, values: {values} }}",
                    option(&shape["min"]),
                    option(&shape["max"])
                )
            }
            "integer" | "long" => format!(
                "ModelKind::Integer {{ min: {}, max: {} }}",
                option(&shape["min"]),
                option(&shape["max"])
            ),
            "boolean" => "ModelKind::Boolean".to_owned(),
            "timestamp" => "ModelKind::Timestamp".to_owned(),
            "list" => format!(
                "ModelKind::List {{ member: &{}, min: {}, max: {} }}",
                static_name(shape["member"]["shape"].as_str().unwrap_or_default()),
                option(&shape["min"]),
                option(&shape["max"])
            ),
            "map" => format!(
                "ModelKind::Map {{ key: &{}, value: &{}, min: {}, max: {} }}",
                static_name(shape["key"]["shape"].as_str().unwrap_or_default()),
                static_name(shape["value"]["shape"].as_str().unwrap_or_default()),
                option(&shape["min"]),
                option(&shape["max"])
            ),
            other => return Err(format!("shape {name}: type {other} is not generated yet")),
        };
        let _ = writeln!(
            out,
            "pub static {}: ModelShape = ModelShape {{ name: {name:?}, kind: {kind}, sensitive: {} }};\n",
            static_name(name),
            shape["sensitive"].as_bool().unwrap_or(false)
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn static_names_are_screaming_snake_case() {
        for (shape, name) in [
            ("CreateContactRequest", "CREATE_CONTACT_REQUEST"),
            ("StartWebRTCContactRequest", "START_WEB_RTC_CONTACT_REQUEST"),
            ("InstanceIdOrArn", "INSTANCE_ID_OR_ARN"),
            ("ARN", "ARN"),
            ("Attachment2", "ATTACHMENT2"),
            ("S3Url", "S3_URL"),
        ] {
            assert_eq!(super::static_name(shape), name);
        }
    }
}
