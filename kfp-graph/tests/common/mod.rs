//! Helpers shared by the tests.

pub mod check;
pub mod generate;
pub mod xml;
