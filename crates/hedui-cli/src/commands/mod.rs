//! One module per subcommand.

pub(crate) mod link;
pub(crate) mod synth;
pub(crate) mod validate;
