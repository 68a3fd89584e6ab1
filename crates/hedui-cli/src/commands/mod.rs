//! One module per subcommand.

pub(crate) mod check;
pub(crate) mod explain;
pub(crate) mod link;
pub(crate) mod nightly;
pub(crate) mod review;
pub(crate) mod store;
pub(crate) mod synth;
pub(crate) mod validate;
