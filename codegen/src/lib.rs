//! Generator (work in progress).
