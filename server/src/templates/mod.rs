//! What deployment tools do to flows before the service sees them. Knows YAML and the
//! tools (Serverless Devs, ROS, Terraform, Funcraft), nothing of FDL rules or LSP.
//!
//! - [`placeholder`]: values substituted at deployment (`${vars.name}`, `{{ name }}`,
//!   `!Ref x`), found by shape and attributed to the tool that substitutes them.

pub mod placeholder;

pub use placeholder::{Placeholder, Syntaxes, Tool};
