//! "Migrate to CloudFlow" on a legacy flow: the migrated text and where it goes. The editor
//! offers it twice and the user picks: as a new file next to the legacy one (`x.flow.yaml`
//! → `x.fdl.yaml`), which is then opened, or in place of the document's text.

use std::sync::Arc;

use fdl_schema::Dialect;

use super::Document;
use crate::migrate::{self, MigrateOptions, Migration};

/// The command the editor runs after creating the migrated file: opens it (its argument is
/// the new file's URI).
pub const OPEN_MIGRATED_COMMAND: &str = "fdl.openMigrated";

/// The migration offered for a document.
#[derive(Clone, Debug)]
pub struct MigrationOffer {
    pub migration: Migration,
    /// The file name for the new file (`orders.fdl.yaml`), when the document has a name.
    pub new_file: Option<String>,
}

/// The migration of `doc` when it is a legacy flow without YAML errors (not a deployment
/// file, where the flow is text inside a template). `file_name`: the document's file name
/// (the same for every snapshot of a document), which names the flow when it has no `name`
/// and the new file. Made once per snapshot.
pub fn migration_offer(doc: &Document, file_name: Option<&str>) -> Option<Arc<MigrationOffer>> {
    doc.migration.get_or_init(|| offer(doc, file_name).map(Arc::new)).clone()
}

fn offer(doc: &Document, file_name: Option<&str>) -> Option<MigrationOffer> {
    // A legacy flow says so at the top level; anything else costs nothing more here.
    let legacy = crate::analysis::model::Flow::new(&doc.tree).is_some_and(|f| f.dialect() == Dialect::Legacy);
    if !legacy || doc.host().is_some() || !doc.tree.errors().is_empty() {
        return None;
    }
    let path = file_name.map(std::path::Path::new);
    let options = MigrateOptions { flow_name: path.and_then(migrate::flow_name_from_path) };
    let migration = migrate::migrate(&doc.text.to_string_lossless(), &options).ok()?;
    let new_file =
        path.and_then(|p| migrate::migrated_path(p).file_name().map(|n| n.to_string_lossy().into_owned()));
    Some(MigrationOffer { migration, new_file })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offered_for_legacy_flows_only() {
        let legacy = Document::new("version: v1\ntype: flow\nsteps:\n  - type: pass\n    name: hello\n");
        let offer = migration_offer(&legacy, Some("orders.flow.yaml")).expect("a legacy flow");
        assert_eq!(offer.new_file.as_deref(), Some("orders.fdl.yaml"));
        assert!(offer.migration.text.contains("Name: orders\n"), "{}", offer.migration.text);
        let cloudflow = Document::new("Type: StateMachine\nSpecVersion: v1\nStartAt: A\nStates: []\n");
        assert!(migration_offer(&cloudflow, None).is_none());
        let broken = Document::new("version: v1\ntype: flow\nsteps:\n  - type: [pass\n");
        assert!(migration_offer(&broken, None).is_none());
        let template = Document::new(
            "ROSTemplateFormatVersion: '2015-09-01'\nResources:\n  F:\n    Type: ALIYUN::FNF::Flow\n    Properties:\n      Definition: |\n        version: v1\n        type: flow\n        steps:\n          - type: pass\n            name: a\n",
        );
        assert!(migration_offer(&template, None).is_none());
    }
}
