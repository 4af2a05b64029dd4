//! The member tables of docs/requests.md are the operations' description
//! (`request::rules_table`), not a copy kept by hand. `UPDATE_README=1 cargo test --test readme`
//! rewrites them.

use contact_bridge::request::{OperationName, rules_table};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/requests.md");
const END: &str = "<!-- /rules -->";

/// docs/requests.md with each operation's table put between its markers.
fn with_tables(readme: &str) -> String {
    let mut out = readme.to_owned();
    for &operation in OperationName::ALL {
        let start_marker = format!("<!-- rules: {operation} -->\n");
        let start = out
            .find(&start_marker)
            .unwrap_or_else(|| panic!("docs/requests.md has no {start_marker:?}"))
            + start_marker.len();
        let end = start
            + out[start..]
                .find(END)
                .unwrap_or_else(|| panic!("docs/requests.md's {operation} table has no {END:?}"));
        out.replace_range(start..end, &rules_table(operation));
    }
    out
}

#[test]
fn the_rules_tables_are_the_description() {
    let readme = std::fs::read_to_string(PATH).unwrap();
    let expected = with_tables(&readme);
    if std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(PATH, &expected).unwrap();
        return;
    }
    assert!(
        readme == expected,
        "docs/requests.md's rules tables are out of date: run `UPDATE_README=1 cargo test --test readme`"
    );
}

#[test]
fn each_table_lists_every_member_of_its_operation() {
    for &operation in OperationName::ALL {
        let table = rules_table(operation);
        for member in operation.spec().member_names {
            assert!(
                table.contains(&format!("| `{member}` |")),
                "{operation}: {member}"
            );
        }
    }
}
