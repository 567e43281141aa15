//! Small reusable drawing pieces.

pub mod slider;
