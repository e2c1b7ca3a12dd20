//! A newcomer's first minutes: the commands the demo suggests work as printed once `motions` is
//! installed, and usage lines do not present a flag set from the environment as required.

use crate::util::{Scratch, motions};

#[test]
fn with_motions_db_set_usage_lines_do_not_ask_for_db() {
    let s = Scratch::new();
    let out = motions()
        .env("MOTIONS_DB", &s.db)
        .args(["org", "add"])
        .assert()
        .code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("Usage: motions org add <NAME>"), "{err}");
    assert!(!err.contains("--db <PATH>"), "{err}");
}

#[test]
fn the_readme_installs_the_tool_before_the_demo_suggests_commands() {
    let readme = include_str!("../README.md");
    let install = readme
        .split("## Install and try it")
        .nth(1)
        .and_then(|rest| rest.split("```sh").nth(1))
        .and_then(|block| block.split("```").next())
        .unwrap_or_default();
    let first = install.lines().map(str::trim).find(|l| !l.is_empty());
    assert_eq!(
        first,
        Some("cargo install --locked --path . && motions demo"),
        "the first command installs motions, so the demo's \"try next\" commands work as printed"
    );
}
