//! The agents' desk: tickets' topics and cards, the buttons and commands agents use, decisions,
//! relaying between student and agent, the private desk, figures and saved replies.

pub mod after_close;
pub mod agents;
pub mod card_fold;
pub mod card_words;
pub mod commands;
pub mod decide;
pub mod faq_reply;
pub mod group_desk;
pub mod inbox;
pub mod members;
pub mod opening;
pub mod private_desk;
pub mod relay;
pub mod relay_edits;
pub mod relay_merge;
pub mod review_once;
pub mod spread;
pub mod stats;
pub mod topic_commands;
pub mod topics;
pub mod waiting;
