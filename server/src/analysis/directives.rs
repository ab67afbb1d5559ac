//! `# fdl:` comments: settings written in the file itself, for what the YAML cannot say.
//!
//! ```yaml
//! # fdl: mode=express placeholders=-terraform
//! ```
//!
//! `mode=standard|express` is the workflow mode (a property of the flow resource, not of
//! the definition); `placeholders=…` edits the set of deployment tools whose placeholders
//! are recognised (see [`Syntaxes::edit`]). Only the first 200 lines are read.

use fdl_schema::integrations::WorkflowMode;

use crate::syntax::SourceText;
use crate::templates::Syntaxes;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Directives {
    pub mode: Option<WorkflowMode>,
    /// The `placeholders=` value as written, applied on top of the setting.
    pub placeholders: Option<String>,
}

impl Directives {
    pub fn read(text: &SourceText) -> Directives {
        let mut out = Directives::default();
        for line in text.rope().lines().take(200) {
            let line = line.to_string();
            let Some(comment) = line.trim_start().strip_prefix('#') else { continue };
            let Some(rest) = comment.trim_start().strip_prefix("fdl:") else { continue };
            // `key=value` pairs separated by spaces or semicolons; a value may hold commas.
            for part in rest.split([' ', ';']) {
                let Some((key, value)) = part.trim().split_once('=') else { continue };
                match key {
                    "mode" => match value.to_ascii_lowercase().as_str() {
                        "express" => out.mode = out.mode.or(Some(WorkflowMode::Express)),
                        "standard" => out.mode = out.mode.or(Some(WorkflowMode::Standard)),
                        _ => {}
                    },
                    "placeholders" if out.placeholders.is_none() => {
                        out.placeholders = Some(value.to_string());
                    }
                    _ => {}
                }
            }
        }
        out
    }

    /// The placeholder syntaxes of the file: the setting, edited by the comment. A comment
    /// naming an unknown tool is ignored as a whole.
    pub fn placeholders(&self, setting: &Syntaxes) -> Syntaxes {
        match &self.placeholders {
            Some(spec) => setting.edit(spec).unwrap_or_else(|_| setting.clone()),
            None => setting.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::Tool;

    #[test]
    fn mode_and_placeholders_from_comments() {
        let text = SourceText::new(
            "# fdl: mode=express placeholders=-terraform,-ros\n# fdl: mode=standard\nType: StateMachine\n",
        );
        let d = Directives::read(&text);
        assert_eq!(d.mode, Some(WorkflowMode::Express));
        let set = d.placeholders(&Syntaxes::ALL);
        assert!(
            set.contains(Tool::ServerlessDevs) && !set.contains(Tool::Terraform) && !set.contains(Tool::Ros)
        );
        let none = Directives::read(&SourceText::new("#fdl:placeholders=nope\n"));
        assert_eq!(none.placeholders(&Syntaxes::ALL), Syntaxes::ALL);
        assert_eq!(Directives::read(&SourceText::new("Type: x # fdl: mode=express\n")).mode, None);
    }
}
