//! Errors and warnings, each tied to a place in a spec.
//!
//! A user who gets an error must be able to find the offending node without
//! reading the generator: every error names the spec file and either a line and
//! column (the text did not parse) or a JSON pointer (the document parsed but a
//! node is unusable). Warnings use the same [`Location`] so that a construct the
//! generator falls back on can be found just as easily.

use std::fmt;

/// Where in which spec a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The spec as the user named it (usually a path).
    pub file: String,
    /// Where in that file.
    pub place: Place,
}

/// A position in a spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A JSON pointer (RFC 6901) into the document, without the leading `#`.
    Pointer(String),
    /// A line and column (both 1-based) in the text.
    LineColumn(usize, usize),
    /// The whole file.
    File,
}

impl Location {
    /// A location at a JSON pointer.
    pub fn pointer(file: &str, pointer: impl Into<String>) -> Self {
        Location {
            file: file.to_string(),
            place: Place::Pointer(pointer.into()),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Place::Pointer(p) => write!(f, "{}#{}", self.file, p),
            Place::LineColumn(line, column) => write!(f, "{}:{}:{}", self.file, line, column),
            Place::File => write!(f, "{}", self.file),
        }
    }
}

/// A spec (or overlay) that cannot be turned into a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong, in one sentence without a trailing period.
    pub message: String,
    /// Further problems of the same run (in strict mode every warning is one),
    /// each printed on a line of its own after the first.
    pub more: Vec<Warning>,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)?;
        for warning in &self.more {
            write!(f, "\n{warning}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl Error {
    /// An error at a JSON pointer.
    pub fn at(file: &str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            location: Location::pointer(file, pointer),
            message: message.into(),
            more: Vec::new(),
        }
    }

    /// An error at a line and column of the text.
    pub fn at_line(file: &str, line: usize, column: usize, message: impl Into<String>) -> Self {
        Error {
            location: Location {
                file: file.to_string(),
                place: Place::LineColumn(line, column),
            },
            message: message.into(),
            more: Vec::new(),
        }
    }

    /// An error about the file as a whole.
    pub fn in_file(file: &str, message: impl Into<String>) -> Self {
        Error {
            location: Location {
                file: file.to_string(),
                place: Place::File,
            },
            message: message.into(),
            more: Vec::new(),
        }
    }
}

/// Something the generator worked around: the output is usable but less typed
/// than the spec intended, or a part of the spec was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// What kind of defect or construct it is, for counting and for `--strict`.
    pub kind: WarningKind,
    /// Where the construct is.
    pub location: Location,
    /// What was done about it.
    pub message: String,
}

impl Warning {
    /// A warning of `kind` at `location`.
    pub fn new(kind: WarningKind, location: Location, message: impl Into<String>) -> Self {
        Warning {
            kind,
            location,
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = if self.kind.is_note() {
            "note"
        } else {
            "warning"
        };
        write!(
            f,
            "{severity}[{}]: {}: {}",
            self.kind.name(),
            self.location,
            self.message
        )
    }
}

/// The kinds of things the generator works around. Each has a stable name
/// (shown in messages and in the closing summary) and is either a warning (the
/// spec is wrong or says something the generator cannot type, so the output is
/// less than the spec meant; `--strict` makes these errors) or a note (a part
/// of the spec that a client does not need was skipped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WarningKind {
    /// A local `$ref` whose target does not exist.
    DanglingRef,
    /// A `$ref` into another file or URL.
    ExternalRef,
    /// A `$ref` that is not a string.
    NonStringRef,
    /// A `type` that is not a JSON Schema type (`bool`, `int`).
    InvalidType,
    /// A keyword whose value has the wrong JSON shape (`properties: []`).
    InvalidKeyword,
    /// `info`, `info.title` or `info.version` is missing.
    MissingInfo,
    /// A declared path parameter that the path template does not name.
    PathParamNotInPath,
    /// A path template variable that no parameter declares.
    UndeclaredPathParam,
    /// Two operations with the same `operationId`.
    DuplicateOperationId,
    /// A name that was already taken got a suffix.
    NameTaken,
    /// A schema construct the model has no shape for (`not`, alias cycles).
    NotModelled,
    /// A part of an operation that is left out (cookie parameters, a path
    /// item `$ref` that cannot be followed).
    Unsupported,
    /// An `x-migrate-*` declaration or overlay action that does not fit.
    Extension,
    /// Something a client does not need was skipped (`webhooks`, keywords
    /// that carry no type information here).
    Skipped,
}

impl WarningKind {
    /// Every kind, in the order summaries list them.
    pub const ALL: [WarningKind; 14] = [
        WarningKind::DanglingRef,
        WarningKind::ExternalRef,
        WarningKind::NonStringRef,
        WarningKind::InvalidType,
        WarningKind::InvalidKeyword,
        WarningKind::MissingInfo,
        WarningKind::PathParamNotInPath,
        WarningKind::UndeclaredPathParam,
        WarningKind::DuplicateOperationId,
        WarningKind::NameTaken,
        WarningKind::NotModelled,
        WarningKind::Unsupported,
        WarningKind::Extension,
        WarningKind::Skipped,
    ];

    /// The stable snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            WarningKind::DanglingRef => "dangling_ref",
            WarningKind::ExternalRef => "external_ref",
            WarningKind::NonStringRef => "non_string_ref",
            WarningKind::InvalidType => "invalid_type",
            WarningKind::InvalidKeyword => "invalid_keyword",
            WarningKind::MissingInfo => "missing_info",
            WarningKind::PathParamNotInPath => "path_param_not_in_path",
            WarningKind::UndeclaredPathParam => "undeclared_path_param",
            WarningKind::DuplicateOperationId => "duplicate_operation_id",
            WarningKind::NameTaken => "name_taken",
            WarningKind::NotModelled => "not_modelled",
            WarningKind::Unsupported => "unsupported",
            WarningKind::Extension => "extension",
            WarningKind::Skipped => "skipped",
        }
    }

    /// Whether this is only a note: nothing the spec meant for a client was
    /// lost, so `--strict` lets it pass.
    pub fn is_note(self) -> bool {
        matches!(self, WarningKind::Skipped)
    }
}

/// Counts of warnings by kind, in [`WarningKind::ALL`] order, leaving out
/// kinds that did not occur: `3 dangling_ref, 1 name_taken`.
pub fn summary(warnings: &[Warning]) -> String {
    WarningKind::ALL
        .iter()
        .filter_map(|kind| {
            let n = warnings.iter().filter(|w| w.kind == *kind).count();
            (n > 0).then(|| format!("{n} {}", kind.name()))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/`.
pub fn join_pointer(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_slashes_and_tildes() {
        assert_eq!(join_pointer("/paths", "/a/{id}"), "/paths/~1a~1{id}");
        assert_eq!(join_pointer("", "x~y"), "/x~0y");
    }

    #[test]
    fn errors_print_file_pointer_and_message() {
        let e = Error::at("specs/x.json", "/definitions/foo", "bad");
        assert_eq!(e.to_string(), "specs/x.json#/definitions/foo: bad");
    }
}
