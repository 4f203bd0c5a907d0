//! What the rules know about the world: status codes, who answers with which signature,
//! how clients name their failures, JWTs, time and URL formats. Data and small helpers,
//! no rules.

pub mod frameworks;
pub mod jwt;
pub mod responders;
pub mod secrets;
pub mod stack;
pub mod status;
pub mod text;
pub mod time;
pub mod transport;
pub mod url;
