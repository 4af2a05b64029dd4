//! What the Connect service model (API 2017-08-08, as botocore ships it) states about the
//! operations that create a contact: each operation's route, input, output and modeled errors,
//! and every shape they reach, with its bounds, pattern, values and `sensitive` flag. These are
//! the types; the shapes themselves, and `generated::operation` that finds one by name, are
//! generated into `generated.rs` by `cargo xtask codegen` and checked in. CI regenerates them and
//! fails on any difference (docs/contributing.md).

/// One operation of the model.
#[derive(Debug)]
pub struct ModelOperation {
    pub name: &'static str,
    /// The HTTP method and path Connect's REST API routes it by.
    pub method: &'static str,
    pub uri: &'static str,
    pub input: &'static ModelShape,
    pub output: &'static ModelShape,
    /// The modeled errors, in the model's order.
    pub errors: &'static [&'static str],
}

/// A shape of the model, by its name.
#[derive(Debug)]
pub struct ModelShape {
    pub name: &'static str,
    pub kind: ModelKind,
    /// The model's `sensitive` trait: the value is never logged nor shown.
    pub sensitive: bool,
}

#[derive(Debug)]
pub enum ModelKind {
    Structure {
        members: &'static [ModelMember],
        /// The members' names, in the model's order (as messages list them).
        member_names: &'static [&'static str],
        required: &'static [&'static str],
    },
    /// A string: its length in characters, its pattern as the model spells it, or its values.
    String {
        min: Option<i64>,
        max: Option<i64>,
        pattern: Option<&'static str>,
        values: Option<&'static [&'static str]>,
    },
    Integer {
        min: Option<i64>,
        max: Option<i64>,
    },
    Boolean,
    Timestamp,
    List {
        member: &'static ModelShape,
        min: Option<i64>,
        max: Option<i64>,
    },
    Map {
        key: &'static ModelShape,
        value: &'static ModelShape,
        min: Option<i64>,
        max: Option<i64>,
    },
}

/// A member of a structure.
#[derive(Debug)]
pub struct ModelMember {
    pub name: &'static str,
    pub shape: &'static ModelShape,
    /// The model's `idempotencyToken` trait (ClientToken).
    pub idempotency_token: bool,
}

impl ModelShape {
    /// The members of a structure (none for other shapes).
    pub fn members(&self) -> &'static [ModelMember] {
        match self.kind {
            ModelKind::Structure { members, .. } => members,
            _ => &[],
        }
    }

    /// The member named `name`, when this is a structure that has it.
    pub fn member(&self, name: &str) -> Option<&'static ModelMember> {
        self.members().iter().find(|m| m.name == name)
    }

    /// `f` of this shape and of every shape it reaches, each once (some shapes are recursive).
    pub fn each_reachable(&'static self, f: &mut impl FnMut(&'static ModelShape)) {
        fn visit(
            shape: &'static ModelShape,
            seen: &mut Vec<&'static str>,
            f: &mut impl FnMut(&'static ModelShape),
        ) {
            if seen.contains(&shape.name) {
                return;
            }
            seen.push(shape.name);
            f(shape);
            match &shape.kind {
                ModelKind::Structure { members, .. } => {
                    for member in members.iter() {
                        visit(member.shape, seen, f);
                    }
                }
                ModelKind::List { member, .. } => visit(member, seen, f),
                ModelKind::Map { key, value, .. } => {
                    visit(key, seen, f);
                    visit(value, seen, f);
                }
                _ => {}
            }
        }
        visit(self, &mut Vec::new(), f);
    }

    /// Whether the structure requires member `name`.
    pub fn requires(&self, name: &str) -> bool {
        match self.kind {
            ModelKind::Structure { required, .. } => required.contains(&name),
            _ => false,
        }
    }
}
