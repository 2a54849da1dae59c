//! Typed clients generated from `specs/` (work in progress).
