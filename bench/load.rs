//! The web intake under load: many clients send reports through the API at once while a
//! coordinator runs `motions report` and `motions log` from the command line on the same
//! database. Prints throughput, latency percentiles and the server's peak memory, checks that
//! nothing was lost and nothing counted twice, and times the same reports sent as one
//! `motions log` process each (a sample, extrapolated).
//!
//! Run it through `bench/load.sh` (which builds the release binary first), or:
//!   cargo run --release --example load -- [--clients 64] [--reports 20000] [--work DIR]
//! Every request goes to 127.0.0.1; every loop is bounded.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

struct Settings {
    clients: usize,
    reports: usize,
    log_sample: usize,
    work: PathBuf,
    motions: PathBuf,
}

fn settings() -> Settings {
    let mut settings = Settings {
        clients: 64,
        reports: 20_000,
        log_sample: 300,
        work: std::env::temp_dir().join("motions-load"),
        motions: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/motions"),
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value = pair.get(1).cloned().unwrap_or_default();
        match pair[0].as_str() {
            "--clients" => settings.clients = value.parse().expect("--clients N"),
            "--reports" => settings.reports = value.parse().expect("--reports N"),
            "--log-sample" => settings.log_sample = value.parse().expect("--log-sample N"),
            "--work" => settings.work = PathBuf::from(value),
            "--motions" => settings.motions = PathBuf::from(value),
            other => panic!("unknown option {other}; see the top of bench/load.rs"),
        }
    }
    settings
}

/// Runs `motions --db DB ARGS`, which must succeed; its stdout.
fn motions(s: &Settings, db: &Path, args: &[&str]) -> String {
    let output = Command::new(&s.motions)
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("MOTIONS_DB")
        .stdin(Stdio::null())
        .output()
        .expect("running motions");
    assert!(
        output.status.success(),
        "motions {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The resident memory of a process now and at its peak, in KB, from /proc.
fn memory(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let s = settings();
    assert!(
        s.motions.exists(),
        "{} is missing: build it with cargo build --release",
        s.motions.display()
    );
    let _ = std::fs::remove_dir_all(&s.work);
    std::fs::create_dir_all(&s.work).unwrap();
    let db = s.work.join("load.db");

    // A campaign with the CLPs of England and Wales, and a link per client: half trusted (their
    // reports count at once), half not (theirs wait for review).
    motions(&s, &db, &["demo"]);
    motions(&s, &db, &["import", "orgs", "--builtin", "uk-clps"]);
    let orgs: Vec<String> = csv_rows(&motions(
        &s,
        &db,
        &["org", "list", "--kind", "clp", "--format", "csv"],
    ))
    .into_iter()
    .map(|r| r[0].clone())
    .collect();
    let mut tokens = Vec::new();
    for client in 0..s.clients {
        let name = format!("Load Reporter {client}");
        let mut args = vec!["reporter", "add", name.as_str()];
        if client % 2 == 0 {
            args.push("--trusted");
        }
        let out = motions(&s, &db, &args);
        let token = out.lines().last().unwrap().rsplit_once("/r/").unwrap().1;
        tokens.push(token.to_string());
    }
    let events_before = csv_rows(&motions(&s, &db, &["history", "--format", "csv"])).len();

    // The server, on a free port of 127.0.0.1.
    let mut server = Command::new(&s.motions)
        .arg("--db")
        .arg(&db)
        .args(["serve", "--bind", "127.0.0.1:0", "--rate", "1000000"])
        .env_remove("MOTIONS_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(server.stderr.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let base = first
        .trim()
        .strip_prefix("Listening on ")
        .unwrap()
        .to_string();
    let pid = server.id();
    let url = format!("{base}/api/v1/reports");
    let (idle_rss, _) = memory(pid);

    let done = Arc::new(AtomicBool::new(false));
    // The server's memory, sampled while it works.
    let peak = Arc::new(Mutex::new(0u64));
    let sampler = {
        let (done, peak) = (Arc::clone(&done), Arc::clone(&peak));
        std::thread::spawn(move || {
            for _ in 0..60_000 {
                if done.load(Ordering::SeqCst) {
                    break;
                }
                let (rss, _) = memory(pid);
                let mut peak = peak.lock().unwrap();
                *peak = (*peak).max(rss);
                drop(peak);
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    // The coordinator at the command line meanwhile: a report, then a log, again and again.
    let coordinator = {
        let done = Arc::clone(&done);
        let (motions_bin, db, work) = (s.motions.clone(), db.clone(), s.work.clone());
        std::thread::spawn(move || {
            let mut times: Vec<(&str, Duration)> = Vec::new();
            for round in 0..500 {
                if done.load(Ordering::SeqCst) {
                    break;
                }
                let report = work.join("report.html");
                let date = format!("2019-09-{:02}", round % 28 + 1);
                let org = ["Ashby CLP", "Walford CLP", "Holby CLP"][round / 28 % 3].to_string();
                let runs: [(&str, Vec<String>); 2] = [
                    (
                        "report",
                        vec!["report".into(), "-o".into(), report.display().to_string()],
                    ),
                    (
                        "log",
                        vec!["log".into(), org, "deferred".into(), "--date".into(), date],
                    ),
                ];
                for (what, args) in runs {
                    let start = Instant::now();
                    let status = Command::new(&motions_bin)
                        .arg("--db")
                        .arg(&db)
                        .args(&args)
                        .env_remove("MOTIONS_DB")
                        .stdin(Stdio::null())
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .status()
                        .unwrap();
                    assert!(status.success(), "motions {args:?} failed under load");
                    times.push((what, start.elapsed()));
                }
            }
            times
        })
    };

    // The clients: each sends its share of the reports, one after another.
    let started = Instant::now();
    let per_client = s.reports.div_ceil(s.clients);
    let clients: Vec<_> = (0..s.clients)
        .map(|client| {
            let (url, token, orgs) = (url.clone(), tokens[client].clone(), orgs.clone());
            let count = per_client.min(s.reports.saturating_sub(client * per_client));
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(60)))
                    .build()
                    .into();
                let mut answers = Vec::with_capacity(count);
                for i in 0..count {
                    let org = &orgs[(client * 97 + i * 13) % orgs.len()];
                    let day = 1 + (i / 7 + client) % 28;
                    let month = 4 + (i / 196) % 4;
                    let report = json!({
                        "organisation": org,
                        "status": "moved",
                        "meeting_date": format!("2019-{month:02}-{day:02}"),
                        "source": "load test",
                    });
                    let start = Instant::now();
                    let response = agent
                        .post(&url)
                        .header("Authorization", &format!("Bearer {token}"))
                        .header("Content-Type", "application/json")
                        .send(report.to_string());
                    let took = start.elapsed();
                    let (status, body) = match response {
                        Ok(mut r) => (
                            r.status().as_u16(),
                            r.body_mut().read_to_string().unwrap_or_default(),
                        ),
                        Err(err) => (0, err.to_string()),
                    };
                    answers.push((took, status, body, report));
                }
                answers
            })
        })
        .collect();
    let answers: Vec<(Duration, u16, String, Value)> = clients
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    let wall = started.elapsed();
    done.store(true, Ordering::SeqCst);
    let cli_times = coordinator.join().unwrap();
    sampler.join().unwrap();
    let (_, hwm) = memory(pid);
    let sampled_peak = *peak.lock().unwrap();
    // SAFETY: kill has no memory preconditions; the pid is our own child's.
    unsafe {
        libc::kill(pid as libc::pid_t, libc::SIGTERM);
    }
    let stopped = server.wait().unwrap();

    // What came back, and what the database holds.
    let mut statuses: HashMap<u16, usize> = HashMap::new();
    let mut latencies: Vec<Duration> = Vec::new();
    let mut ids = HashSet::new();
    let mut trusted_outcomes = HashSet::new();
    let mut distinct_trusted = HashSet::new();
    for (took, status, body, report) in &answers {
        *statuses.entry(*status).or_default() += 1;
        latencies.push(*took);
        if *status == 201 {
            let body: Value = serde_json::from_str(body).unwrap();
            ids.insert(body["id"].as_i64().unwrap());
            if let Some(event) = body["outcome_id"].as_i64() {
                trusted_outcomes.insert(event);
                distinct_trusted.insert((
                    report["organisation"].as_str().unwrap().to_string(),
                    report["meeting_date"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    latencies.sort();
    let kept: Vec<Vec<String>> = csv_rows(&motions(
        &s,
        &db,
        &["review", "list", "--all", "--format", "csv"],
    ));
    let kept_ids: HashSet<i64> = kept.iter().map(|r| r[0].parse().unwrap()).collect();
    let history = csv_rows(&motions(&s, &db, &["history", "--format", "csv"]));
    let events: HashSet<i64> = history.iter().map(|r| r[0].parse().unwrap()).collect();
    let cli_logs = history
        .iter()
        .filter(|r| r[3] == "deferred" && r[4].starts_with("2019-09-"))
        .count();
    let lost = ids.difference(&kept_ids).count()
        + trusted_outcomes
            .iter()
            .filter(|e| !events.contains(e))
            .count();
    let new_events = history.len() - events_before;
    let counted_twice = new_events as i64 - (distinct_trusted.len() + cli_logs) as i64;
    let check = Command::new(&s.motions)
        .arg("--db")
        .arg(&db)
        .arg("check")
        .env_remove("MOTIONS_DB")
        .output()
        .unwrap();

    // The same reports as one `motions log` process each: a sample, on a copy.
    let copy = s.work.join("log-sample.db");
    motions(&s, &db, &["backup", copy.to_str().unwrap()]);
    let sample = s.log_sample.min(orgs.len() * 28);
    let start = Instant::now();
    for i in 0..sample {
        let org = &orgs[i % orgs.len()];
        let date = format!("2019-10-{:02}", 1 + i / orgs.len());
        motions(
            &s,
            &copy,
            &[
                "log",
                org,
                "moved",
                "--date",
                &date,
                "--source",
                "load test",
            ],
        );
    }
    let per_log = start.elapsed() / sample.max(1) as u32;

    let cli = |what: &str| {
        let mut times: Vec<Duration> = cli_times
            .iter()
            .filter(|(w, _)| *w == what)
            .map(|(_, t)| *t)
            .collect();
        times.sort();
        (
            times.len(),
            percentile(&times, 0.5),
            times.last().copied().unwrap_or_default(),
        )
    };
    let ok = statuses.get(&201).copied().unwrap_or(0);
    let throughput = ok as f64 / wall.as_secs_f64();
    println!("## motions serve under load\n");
    println!(
        "{} clients sent {} reports through POST /api/v1/reports ({} links trusted, {} not), \
         while the command line ran `report` and `log` on the same database.\n",
        s.clients,
        answers.len(),
        s.clients.div_ceil(2),
        s.clients / 2
    );
    println!("| measure | value | goal |");
    println!("|---|---|---|");
    println!("| answers | {statuses:?} | all 201 |");
    println!("| wall time | {:.2} s | |", wall.as_secs_f64());
    println!("| throughput | {throughput:.0} reports/s | ≥ 1,000 |");
    println!("| latency p50 | {} | |", ms(percentile(&latencies, 0.5)));
    println!(
        "| latency p99 | {} | < 50 ms |",
        ms(percentile(&latencies, 0.99))
    );
    println!(
        "| latency max | {} | |",
        ms(*latencies.last().unwrap_or(&Duration::ZERO))
    );
    println!(
        "| server RSS: idle, peak sampled, peak (VmHWM) | {} MB, {} MB, {} MB | < 60 MB |",
        idle_rss / 1024,
        sampled_peak / 1024,
        hwm / 1024
    );
    println!("| reports lost (answered 201, not in the database) | {lost} | 0 |");
    println!(
        "| outcomes counted twice (new events − distinct trusted reports − CLI logs) | {counted_twice} | 0 |"
    );
    println!(
        "| submissions kept / distinct ids answered | {} / {} | equal |",
        kept_ids.len(),
        ids.len()
    );
    let (n, p50, max) = cli("report");
    println!(
        "| `motions report` meanwhile | {n} runs, median {}, max {} | |",
        ms(p50),
        ms(max)
    );
    let (n, p50, max) = cli("log");
    println!(
        "| `motions log` meanwhile | {n} runs, median {}, max {} | |",
        ms(p50),
        ms(max)
    );
    println!(
        "| `motions check` afterwards | {} | passes |",
        if check.status.success() {
            "passes"
        } else {
            "FAILS"
        }
    );
    println!(
        "| server stopped on SIGTERM | {} | exit 0 |",
        stopped
            .code()
            .map_or("by a signal".to_string(), |c| format!("exit {c}"))
    );
    println!(
        "\nThe same {} reports as one `motions log` process each: {} a log (the mean of a \
         sample of {sample}, run one after another), so {:.1} s in all, {:.0} reports/s — \
         {:.1}× the server.",
        answers.len(),
        ms(per_log),
        per_log.as_secs_f64() * answers.len() as f64,
        1.0 / per_log.as_secs_f64(),
        throughput * per_log.as_secs_f64()
    );
    if lost > 0 || counted_twice != 0 || !check.status.success() || ok != answers.len() {
        std::process::exit(1);
    }
}
