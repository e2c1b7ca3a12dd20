//! The sample campaign `motions demo` loads: one motion, invented organisations and a few
//! weeks of outcomes, recorded through the same operations as real ones.

use anyhow::Result;
use chrono::NaiveDate;

use super::motions::{self, MotionRequest};
use super::record::{self, LogRequest};
use super::registry::{self, OrgRequest};
use crate::db::Store;
use crate::model::{Kind, Motion, Status};

pub(crate) const SLUG: &str = "venezuela-coup";

/// (name, kind, region, union, parent)
const ORGS: &[(&str, Kind, &str, &str, &str)] = &[
    ("Ashby CLP", Kind::Clp, "East Midlands", "", ""),
    ("Walford CLP", Kind::Clp, "London", "", ""),
    ("Weatherfield CLP", Kind::Clp, "North West", "", ""),
    ("Hotten CLP", Kind::Clp, "Yorkshire and the Humber", "", ""),
    ("Borchester CLP", Kind::Clp, "West Midlands", "", ""),
    ("Pontypandy CLP", Kind::Clp, "Wales", "", ""),
    ("Trumpton CLP", Kind::Clp, "South East", "", ""),
    ("Holby CLP", Kind::Clp, "South West", "", ""),
    ("Skelbeck CLP", Kind::Clp, "Northern", "", ""),
    ("Fenmarsh CLP", Kind::Clp, "Eastern", "", ""),
    (
        "Ashby North Ward Branch",
        Kind::LabourBranch,
        "East Midlands",
        "",
        "Ashby CLP",
    ),
    (
        "Ashby South Ward Branch",
        Kind::LabourBranch,
        "East Midlands",
        "",
        "Ashby CLP",
    ),
    (
        "Walford Central Ward Branch",
        Kind::LabourBranch,
        "London",
        "",
        "Walford CLP",
    ),
    (
        "Walford East Ward Branch",
        Kind::LabourBranch,
        "London",
        "",
        "Walford CLP",
    ),
    (
        "Weatherfield North Ward Branch",
        Kind::LabourBranch,
        "North West",
        "",
        "Weatherfield CLP",
    ),
    (
        "Emmerdale Ward Branch",
        Kind::LabourBranch,
        "Yorkshire and the Humber",
        "",
        "Hotten CLP",
    ),
    (
        "Beckindale Ward Branch",
        Kind::LabourBranch,
        "Yorkshire and the Humber",
        "",
        "Hotten CLP",
    ),
    (
        "Ambridge Ward Branch",
        Kind::LabourBranch,
        "West Midlands",
        "",
        "Borchester CLP",
    ),
    (
        "Loxley Barrett Ward Branch",
        Kind::LabourBranch,
        "West Midlands",
        "",
        "Borchester CLP",
    ),
    (
        "Llareggub Ward Branch",
        Kind::LabourBranch,
        "Wales",
        "",
        "Pontypandy CLP",
    ),
    (
        "Camberwick Green Ward Branch",
        Kind::LabourBranch,
        "South East",
        "",
        "Trumpton CLP",
    ),
    (
        "Chigley Ward Branch",
        Kind::LabourBranch,
        "South East",
        "",
        "Trumpton CLP",
    ),
    ("Walford Momentum", Kind::MomentumGroup, "London", "", ""),
    (
        "Weatherfield Momentum",
        Kind::MomentumGroup,
        "North West",
        "",
        "",
    ),
    (
        "Borchester Momentum",
        Kind::MomentumGroup,
        "West Midlands",
        "",
        "",
    ),
    (
        "Hotten Momentum",
        Kind::MomentumGroup,
        "Yorkshire and the Humber",
        "",
        "",
    ),
    ("Pontypandy Momentum", Kind::MomentumGroup, "Wales", "", ""),
    (
        "Unite LE/999 Sample Branch",
        Kind::UnionBranch,
        "East Midlands",
        "Unite",
        "",
    ),
    (
        "Unite NW/998 Sample Branch",
        Kind::UnionBranch,
        "North West",
        "Unite",
        "",
    ),
    (
        "UNISON Walford Sample Branch",
        Kind::UnionBranch,
        "London",
        "UNISON",
        "",
    ),
    (
        "UNISON Hotten Sample Branch",
        Kind::UnionBranch,
        "Yorkshire and the Humber",
        "UNISON",
        "",
    ),
    (
        "GMB Weatherfield Sample Branch",
        Kind::UnionBranch,
        "North West",
        "GMB",
        "",
    ),
    (
        "CWU Borchester Sample Branch",
        Kind::UnionBranch,
        "West Midlands",
        "CWU",
        "",
    ),
    (
        "NEU Trumpton Sample Branch",
        Kind::UnionBranch,
        "South East",
        "NEU",
        "",
    ),
    (
        "RMT Holby Sample Branch",
        Kind::UnionBranch,
        "South West",
        "RMT",
        "",
    ),
    (
        "Walford Trades Council",
        Kind::TradesCouncil,
        "London",
        "",
        "",
    ),
    (
        "Borchester Trades Union Council",
        Kind::TradesCouncil,
        "West Midlands",
        "",
        "",
    ),
    (
        "Hotten Trades Council",
        Kind::TradesCouncil,
        "Yorkshire and the Humber",
        "",
        "",
    ),
    (
        "Ambridge Co-operative Party",
        Kind::Other,
        "West Midlands",
        "",
        "",
    ),
    ("Walford Young Labour", Kind::Other, "London", "", ""),
];

/// (org, status, meeting date, votes for/against/abstain, note), in the order reported.
type Event = (
    &'static str,
    Status,
    &'static str,
    Option<[u32; 3]>,
    &'static str,
);

const OUTCOMES: &[Event] = &[
    ("Walford Momentum", Status::Passed, "2019-01-27", None, ""),
    (
        "Ashby CLP",
        Status::Deferred,
        "2019-01-28",
        None,
        "not reached; carried over to February",
    ),
    (
        "Walford Central Ward Branch",
        Status::Passed,
        "2019-01-29",
        Some([21, 2, 1]),
        "",
    ),
    (
        "Borchester Momentum",
        Status::Passed,
        "2019-01-29",
        None,
        "",
    ),
    (
        "Ashby North Ward Branch",
        Status::Passed,
        "2019-01-30",
        Some([18, 0, 2]),
        "",
    ),
    (
        "Weatherfield Momentum",
        Status::Passed,
        "2019-01-31",
        None,
        "",
    ),
    (
        "Ambridge Ward Branch",
        Status::Passed,
        "2019-01-31",
        Some([14, 1, 0]),
        "",
    ),
    (
        "Walford CLP",
        Status::Planned,
        "2019-02-13",
        None,
        "notice given for the February GC",
    ),
    (
        "Emmerdale Ward Branch",
        Status::PassedAmended,
        "2019-02-01",
        Some([16, 3, 2]),
        "amended to add a call on the PLP",
    ),
    (
        "Walford Young Labour",
        Status::Passed,
        "2019-02-02",
        None,
        "",
    ),
    ("Hotten Momentum", Status::Passed, "2019-02-03", None, ""),
    (
        "Weatherfield North Ward Branch",
        Status::Passed,
        "2019-02-04",
        Some([25, 4, 0]),
        "",
    ),
    (
        "Borchester CLP",
        Status::Deferred,
        "2019-02-04",
        None,
        "adjourned: meeting ran out of time",
    ),
    (
        "Walford East Ward Branch",
        Status::Rejected,
        "2019-02-05",
        Some([7, 11, 2]),
        "",
    ),
    (
        "Llareggub Ward Branch",
        Status::Passed,
        "2019-02-05",
        Some([9, 0, 0]),
        "",
    ),
    (
        "Ashby South Ward Branch",
        Status::PassedAmended,
        "2019-02-06",
        Some([12, 4, 0]),
        "amended to add a call on the PLP",
    ),
    (
        "Camberwick Green Ward Branch",
        Status::Rejected,
        "2019-02-06",
        Some([5, 8, 1]),
        "",
    ),
    (
        "Weatherfield CLP",
        Status::Moved,
        "2019-02-07",
        None,
        "debate to continue at the next meeting",
    ),
    (
        "Chigley Ward Branch",
        Status::Passed,
        "2019-02-07",
        Some([11, 2, 0]),
        "",
    ),
    (
        "Beckindale Ward Branch",
        Status::RuledOut,
        "2019-02-08",
        None,
        "ruled out of order by the chair",
    ),
    (
        "Unite LE/999 Sample Branch",
        Status::Passed,
        "2019-02-09",
        None,
        "",
    ),
    (
        "Hotten CLP",
        Status::Rejected,
        "2019-02-11",
        Some([22, 30, 5]),
        "",
    ),
    (
        "RMT Holby Sample Branch",
        Status::Passed,
        "2019-02-11",
        None,
        "",
    ),
    (
        "UNISON Walford Sample Branch",
        Status::Referred,
        "2019-02-12",
        None,
        "referred to the branch executive",
    ),
    (
        "Loxley Barrett Ward Branch",
        Status::Planned,
        "2019-03-06",
        None,
        "",
    ),
    (
        "Walford CLP",
        Status::PassedAmended,
        "2019-02-13",
        Some([61, 9, 4]),
        "amended to add a call on the PLP",
    ),
    (
        "Unite NW/998 Sample Branch",
        Status::Passed,
        "2019-02-14",
        None,
        "",
    ),
    (
        "Pontypandy CLP",
        Status::PassedAmended,
        "2019-02-14",
        Some([27, 2, 0]),
        "Welsh translation added",
    ),
    (
        "CWU Borchester Sample Branch",
        Status::Passed,
        "2019-02-15",
        None,
        "",
    ),
    (
        "Borchester CLP",
        Status::Deferred,
        "2019-02-18",
        None,
        "not reached",
    ),
    (
        "Hotten Trades Council",
        Status::Moved,
        "2019-02-18",
        None,
        "",
    ),
    (
        "GMB Weatherfield Sample Branch",
        Status::Withdrawn,
        "2019-02-19",
        None,
        "withdrawn by the mover",
    ),
    (
        "Walford Trades Council",
        Status::Passed,
        "2019-02-20",
        None,
        "",
    ),
    (
        "Trumpton CLP",
        Status::Planned,
        "2019-03-14",
        None,
        "notice given for the March GC",
    ),
    (
        "NEU Trumpton Sample Branch",
        Status::Passed,
        "2019-02-21",
        None,
        "",
    ),
    (
        "Weatherfield CLP",
        Status::Deferred,
        "2019-02-21",
        None,
        "adjourned",
    ),
    (
        "Ashby CLP",
        Status::Passed,
        "2019-02-25",
        Some([34, 3, 1]),
        "",
    ),
    (
        "Borchester Trades Union Council",
        Status::PassedAmended,
        "2019-02-26",
        None,
        "",
    ),
    (
        "Borchester CLP",
        Status::Passed,
        "2019-02-27",
        Some([40, 12, 3]),
        "",
    ),
    (
        "Fenmarsh CLP",
        Status::Deferred,
        "2019-02-28",
        None,
        "not reached",
    ),
];

const TEXT: &str = "This branch notes the attempt to install an unelected president in \
Venezuela and opposes any foreign intervention in the country. It calls on the Labour Party \
to oppose the attempted coup and to support dialogue. (Sample wording for the motions demo.)";

fn date(text: &str) -> Result<NaiveDate> {
    Ok(NaiveDate::parse_from_str(text, "%Y-%m-%d")?)
}

/// What loading the sample campaign made.
#[derive(Debug, Clone)]
pub(crate) struct Loaded {
    pub(crate) motion: Motion,
    pub(crate) orgs: usize,
    pub(crate) outcomes: usize,
}

/// Loads the sample campaign through the same checks as any record.
pub(crate) fn load(store: &mut Store) -> Result<Loaded> {
    let motion = motions::add(
        store,
        &MotionRequest {
            slug: SLUG.to_string(),
            title: "Oppose the attempted coup in Venezuela".to_string(),
            text: Some(TEXT.to_string()),
            issued_by: Some("Sample Solidarity Campaign".to_string()),
            issued_on: Some(date("2019-01-24")?),
            deadline: Some(date("2019-03-31")?),
        },
    )?;
    let blank = |s: &str| (!s.is_empty()).then(|| s.to_string());
    for &(name, kind, region, union, parent) in ORGS {
        let request = OrgRequest {
            kind: Some(kind),
            region: blank(region),
            union: blank(union),
            code: None,
            parent: blank(parent),
            ..OrgRequest::default()
        };
        registry::register(store, name, &request)?;
    }
    // The last day of the sample campaign stands for today, so every date in it is past.
    let today = date("2019-03-31")?;
    for &(org, status, meeting_date, votes, notes) in OUTCOMES {
        let [votes_for, votes_against, votes_abstain] =
            votes.map_or([None; 3], |v| v.map(|n| Some(i64::from(n))));
        let request = LogRequest {
            motion: Some(SLUG.to_string()),
            org: org.to_string(),
            status: Some(status),
            meeting_date: Some(date(meeting_date)?),
            votes_for,
            votes_against,
            votes_abstain,
            reported_by: Some(format!("{org} secretary")),
            source: None,
            notes: blank(notes),
            register: None,
            how_to_register: String::new(),
        };
        record::record(store, &request, today)?;
    }
    Ok(Loaded {
        motion,
        orgs: ORGS.len(),
        outcomes: OUTCOMES.len(),
    })
}
