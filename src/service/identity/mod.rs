//! An ID number registered to someone else: the ID-scan review, peer assistance by a classmate,
//! the record questions, and claims the holder may object to.

pub mod assist;
pub mod claims;
pub mod duplicates;
pub mod quiz;
