//! The report form in a real browser: the installed Chromium, headless, at a 320 px phone's
//! width and a desktop's. It fills the form in, sends it and sees what was recorded; sends a
//! bad value and sees the problem beside its field, with what was typed kept.
//!
//! Chromium comes from the system's packages (`.ci/run` installs it when missing); nothing is
//! downloaded. Its profile, cache and home live in the test's temporary folder.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::Path;
use std::time::Duration;

use headless_chrome::protocol::cdp::Emulation::SetDeviceMetricsOverride;
use headless_chrome::{Browser, LaunchOptions, Tab};

use crate::serve::{Server, dump_all, link};
use crate::util::{Scratch, csv_rows};

/// The installed Chromium.
fn chromium() -> std::path::PathBuf {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(Path::new)
        .find(|path| path.exists())
        .unwrap_or_else(|| {
            panic!("Chromium is not installed: apt-get install chromium (.ci/run does it)")
        })
        .to_path_buf()
}

/// A headless Chromium with a window `width` px wide, kept entirely inside `home`.
fn browser(home: &Path, width: u32) -> Browser {
    let envs: HashMap<String, String> = [
        ("HOME", home.to_path_buf()),
        ("XDG_CONFIG_HOME", home.join("config")),
        ("XDG_CACHE_HOME", home.join("cache")),
        ("XDG_DATA_HOME", home.join("data")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.display().to_string()))
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(chromium()))
        .headless(true)
        // Tests run as root in CI, where Chromium's sandbox cannot start.
        .sandbox(false)
        .window_size(Some((width, 900)))
        .user_data_dir(Some(home.join("profile")))
        .process_envs(Some(envs))
        .args(vec![OsStr::new("--no-proxy-server")])
        .idle_browser_timeout(Duration::from_secs(120))
        .build()
        .unwrap();
    Browser::new(options).unwrap()
}

fn eval(tab: &Tab, expression: &str) -> serde_json::Value {
    tab.evaluate(expression, false)
        .unwrap()
        .value
        .unwrap_or(serde_json::Value::Null)
}

/// True when the page is no wider than the window: nothing to scroll sideways.
fn fits(tab: &Tab) -> bool {
    eval(
        tab,
        "document.documentElement.scrollWidth <= window.innerWidth",
    ) == serde_json::Value::Bool(true)
}

/// Types into the field with this id (as a keyboard's text input does), replacing what it held.
fn fill(tab: &Tab, id: &str, text: &str) {
    tab.wait_for_element(&format!("#{id}"))
        .unwrap()
        .focus()
        .unwrap();
    eval(tab, &format!("document.getElementById('{id}').value = ''"));
    tab.send_character(text).unwrap();
}

fn send(tab: &Tab) {
    tab.find_element("button[type=submit]")
        .unwrap()
        .click()
        .unwrap();
    tab.wait_until_navigated().unwrap();
}

fn the_form_works_at(width: u32) {
    let s = Scratch::demo();
    let token = link(&s, &["Sam Sample"]);
    let server = Server::start(&s, &[]);
    let home = tempfile::tempdir().unwrap();
    let browser = browser(home.path(), width);
    let tab = browser.new_tab().unwrap();
    tab.set_default_timeout(Duration::from_secs(30));
    if width < 500 {
        // A desktop window is never narrower than 500 px: a phone's screen is emulated.
        let phone: SetDeviceMetricsOverride = serde_json::from_value(serde_json::json!({
            "width": width, "height": 800, "deviceScaleFactor": 2, "mobile": true
        }))
        .unwrap();
        tab.call_method(phone).unwrap();
    }
    let form = server.url(&format!("/r/{token}"));

    let before = dump_all(&s.db);
    tab.navigate_to(&form)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    assert_eq!(
        eval(&tab, "window.innerWidth"),
        serde_json::json!(width),
        "the window is {width} px wide"
    );
    assert!(fits(&tab), "the form scrolls sideways at {width} px");
    assert_eq!(dump_all(&s.db), before, "opening the link wrote something");

    // A bad value comes back beside its field, with what was typed kept.
    fill(&tab, "organisation", "Ashby CLP");
    tab.find_element("#status-passed").unwrap().click().unwrap();
    fill(&tab, "votes_for", "-3");
    send(&tab);
    let problem = tab
        .wait_for_element("#votes_for-error")
        .unwrap()
        .get_inner_text()
        .unwrap();
    assert!(
        problem.contains("-3: a number of votes cannot be negative"),
        "{problem}"
    );
    let summary = tab
        .find_element(".summary")
        .unwrap()
        .get_inner_text()
        .unwrap();
    assert!(summary.contains("There is a problem"), "{summary}");
    assert_eq!(
        eval(&tab, "document.getElementById('votes_for').value"),
        "-3"
    );
    assert_eq!(
        eval(&tab, "document.getElementById('organisation').value"),
        "Ashby CLP"
    );
    assert_eq!(
        eval(&tab, "document.getElementById('status-passed').checked"),
        true
    );
    assert!(fits(&tab), "the problems scroll sideways at {width} px");
    assert_eq!(dump_all(&s.db), before, "a refused report wrote something");

    // Corrected, it is taken, and the page says what was recorded.
    fill(&tab, "votes_for", "21");
    fill(&tab, "votes_against", "4");
    fill(&tab, "source", "minutes of the March meeting, item 6");
    eval(
        &tab,
        "document.getElementById('meeting_date').value = '2019-03-20'",
    );
    send(&tab);
    let done = tab
        .wait_for_element(".done")
        .unwrap()
        .get_inner_text()
        .unwrap();
    assert!(done.contains("Sent: thank you"), "{done}");
    let page = tab.get_content().unwrap();
    assert!(
        page.contains("Ashby CLP") && page.contains("20 March 2019"),
        "{page}"
    );
    assert!(fits(&tab), "the answer scrolls sideways at {width} px");
    let rows = csv_rows(&s.stdout(&["review", "list", "--format", "csv"]));
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][4], "Ashby CLP");
    assert_eq!(rows[1][5], "passed");
    assert_eq!(rows[1][6], "2019-03-20");
    assert_eq!(rows[1][7], "21");

    // "Report another" opens the form again.
    tab.find_element("a[href^='/r/']").unwrap().click().unwrap();
    tab.wait_until_navigated().unwrap();
    tab.wait_for_element("form[method=post]").unwrap();
}

#[test]
fn the_report_form_works_in_chromium_on_a_phone() {
    the_form_works_at(320);
}

#[test]
fn the_report_form_works_in_chromium_on_a_desktop() {
    the_form_works_at(1280);
}
