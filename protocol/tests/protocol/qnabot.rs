//! Import of the QnABot sample export, run through the engine.

use homewatch_protocol::qnabot::{self, Imported};
use homewatch_protocol::{Effect, Protocol};

use crate::run;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/fixtures/seed/qnabot_covid_connect.json"
);

fn imported() -> Imported {
    let json = std::fs::read_to_string(FIXTURE).expect("the QnABot sample export is readable");
    qnabot::import(&json, "qnabot_covid_connect.json").expect("the sample imports")
}

fn load(imported: &Imported) -> Protocol {
    match Protocol::load(&imported.sources()) {
        Ok(protocol) => protocol,
        Err(errors) => panic!("the import does not load:\n{errors}\n{:#?}", imported.files),
    }
}

#[test]
fn dump() {
    let imported = imported();
    for (name, content) in &imported.files {
        println!("===== {name}\n{content}");
    }
    println!("{:#?}", imported.warnings);
    load(&imported);
}
