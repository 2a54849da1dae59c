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
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct Error {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong, in one sentence without a trailing period.
    pub message: String,
}

impl Error {
    /// An error at a JSON pointer.
    pub fn at(file: &str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            location: Location::pointer(file, pointer),
            message: message.into(),
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
        }
    }
}

/// Something the generator worked around: the output is usable but less typed
/// than the spec intended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Where the construct is.
    pub location: Location,
    /// What was done about it.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}: {}", self.location, self.message)
    }
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
