//! What deployment tools do to flows before the service sees them. Knows YAML and the
//! tools (Serverless Devs, ROS, Terraform, Funcraft), nothing of FDL rules or LSP.
//!
//! - [`placeholder`]: values substituted at deployment (`${vars.name}`, `{{ name }}`,
//!   `!Ref x`, `Fn::Replace` tokens), found by shape and attributed to the tool that
//!   substitutes them;
//! - [`embedded`]: flows written inside ROS and Funcraft templates and Serverless Devs
//!   `s.yaml`, and the flow files they name; [`terraform`]: the same in `.tf` files.

pub mod embedded;
pub mod placeholder;
pub mod terraform;

pub use embedded::{EmbeddedFlow, FlowFile, Host, HostFormat, yaml_host};
pub use placeholder::{Placeholder, Syntaxes, Tool};
pub use terraform::terraform_host;
