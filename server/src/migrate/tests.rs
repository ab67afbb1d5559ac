use super::*;

#[test]
#[ignore]
fn scratch() {
    let path = std::env::var("MIGRATE_FILE").unwrap();
    let seed: u64 = std::env::var("MIGRATE_SEED").unwrap().parse().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let m = migrate(&text, &MigrateOptions { flow_name: flow_name_from_path(std::path::Path::new(&path)) })
        .unwrap();
    let st = SourceText::new(&text);
    let tr = SyntaxTree::parse(&st);
    let mut legacy = crate::dryrun::lower(&st, &tr, crate::syntax::PositionEncoding::Utf16).unwrap();
    let mt = SourceText::new(&m.text);
    let mtr = SyntaxTree::parse(&mt);
    let migrated = crate::dryrun::lower(&mt, &mtr, crate::syntax::PositionEncoding::Utf16).unwrap();
    verify::reference(&mut legacy, &m);
    let case = verify::generate(&legacy, seed);
    let options = crate::dryrun::Options {
        limits: crate::dryrun::Limits { max_steps: 800, ..Default::default() },
        ..Default::default()
    };
    let c = verify::compare(&legacy, &migrated, &m, &case, &options, &crate::dryrun::NoLoader);
    let style = crate::dryrun::render::Style { max_value: 400, color: false };
    println!("{}", crate::dryrun::render::human(&c.legacy, style));
    println!("{}", crate::dryrun::render::human(&c.migrated, style));
    println!("{:?}", c.difference);
}
