//! The columns of each CSV file the contract defines, with the other names accepted for them.

/// One column of a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Field {
    pub(crate) name: &'static str,
    pub(crate) aliases: &'static [&'static str],
    pub(crate) required: bool,
}

const fn field(name: &'static str, required: bool) -> Field {
    Field {
        name,
        aliases: &[],
        required,
    }
}

/// The columns of one kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Schema {
    /// What the rows are, for messages ("outcomes").
    pub(crate) what: &'static str,
    pub(crate) fields: &'static [Field],
}

impl Schema {
    /// The field a header names, by its name or an alias, ignoring case and surrounding spaces,
    /// with a space or `-` read as `_` ("Meeting date" is `meeting_date`).
    pub(crate) fn field(&self, header: &str) -> Option<&'static Field> {
        let header: String = header
            .trim()
            .to_lowercase()
            .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("_");
        self.fields
            .iter()
            .find(|f| f.name == header || f.aliases.contains(&header.as_str()))
    }

    pub(crate) fn position(&self, name: &str) -> usize {
        self.fields
            .iter()
            .position(|f| f.name == name)
            .unwrap_or(usize::MAX)
    }

    pub(crate) fn names(&self) -> Vec<&'static str> {
        self.fields.iter().map(|f| f.name).collect()
    }

    /// The header an export writes: every field but those only an import reads.
    pub(crate) fn export_header(&self) -> Vec<&'static str> {
        self.fields
            .iter()
            .filter(|f| !IMPORT_ONLY.contains(&(self.what, f.name)))
            .map(|f| f.name)
            .collect()
    }
}

/// Columns an import accepts that exports do not write (an outcome file's details of orgs to
/// register with --create-orgs).
const IMPORT_ONLY: [(&str, &str); 3] = [
    ("outcomes", "kind"),
    ("outcomes", "region"),
    ("outcomes", "union"),
];

pub(crate) const MOTIONS: Schema = Schema {
    what: "motions",
    fields: &[
        field("slug", true),
        field("title", true),
        field("issued_by", false),
        field("issued_on", false),
        field("deadline", false),
        field("text", false),
    ],
};

pub(crate) const ORGS: Schema = Schema {
    what: "organisations",
    fields: &[
        Field {
            name: "name",
            aliases: &["organisation", "organization", "org"],
            required: true,
        },
        field("kind", true),
        field("region", false),
        field("union", false),
        field("parent", false),
        field("code", false),
    ],
};

pub(crate) const OUTCOMES: Schema = Schema {
    what: "outcomes",
    fields: &[
        field("motion", true),
        Field {
            name: "organisation",
            aliases: &["organization", "org"],
            required: true,
        },
        field("status", true),
        Field {
            name: "meeting_date",
            aliases: &["date"],
            required: true,
        },
        field("votes_for", false),
        field("votes_against", false),
        field("votes_abstain", false),
        field("reported_by", false),
        field("source", false),
        field("notes", false),
        field("kind", false),
        field("region", false),
        field("union", false),
    ],
};
