//! Documentation that runs: the README's quick start and the walk-throughs in examples/ are
//! trycmd transcripts, each against a fresh database named by MOTIONS_DB, on the fixed day
//! `util::TODAY` (MOTIONS_TODAY), so no transcript depends on the real date.

fn run_transcript(path: &str) {
    let dir = tempfile::tempdir().unwrap();
    trycmd::TestCases::new()
        .env(
            "MOTIONS_DB",
            dir.path().join("motions.db").display().to_string(),
        )
        .env("MOTIONS_TODAY", crate::util::TODAY)
        .case(path);
}

#[test]
fn readme() {
    run_transcript("README.md");
}

#[test]
fn form_export() {
    run_transcript("examples/form-export.md");
}

#[test]
fn reports() {
    run_transcript("examples/reports.md");
}

#[test]
fn demo_walkthrough() {
    run_transcript("examples/demo.md");
}
