//! View-models for every screen, computed in Rust; shells only render them.
