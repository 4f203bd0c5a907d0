//! What the rules know about the world: status codes, who answers with which signature,
//! how clients name their failures, JWTs, time and URL formats. Data and small helpers,
//! no rules.

pub(crate) mod frameworks;
pub(crate) mod jwt;
pub(crate) mod memo;
pub(crate) mod number;
pub(crate) mod responders;
pub(crate) mod secrets;
pub(crate) mod stack;
pub(crate) mod status;
pub(crate) mod text;
pub(crate) mod time;
pub(crate) mod transport;
pub(crate) mod url;
