//! Flags more than one command takes, and the domain's words and dates as clap reads them: each
//! flag is parsed into its type once, at the edge, and a bad value is refused by clap with the
//! model's own message (exit 1, as for any bad input; see `Cli::parse_args`).

use anyhow::Result;
use chrono::NaiveDate;

use crate::db::Store;
use crate::model::{AsOf, BadDate, Kind, OrgFilter, Status, parse_date_arg};
use crate::ops::registry::OrgRequest;

pub(crate) fn status(text: &str) -> Result<Status, String> {
    text.parse::<Status>().map_err(|err| err.to_string())
}

pub(crate) fn kind(text: &str) -> Result<Kind, String> {
    text.parse::<Kind>().map_err(|err| err.to_string())
}

/// A date as typed on the command line: the contract's forms, `today` or `yesterday`.
pub(crate) fn date(text: &str) -> Result<NaiveDate, String> {
    parse_date_arg(text).map_err(|err: BadDate| err.to_string())
}

/// `--as-of`: a date in the contract's forms, or `deadline` for the motion's deadline.
pub(crate) fn as_of(text: &str) -> Result<AsOf, String> {
    AsOf::parse(text).map_err(|err| err.to_string())
}

/// What `org add`, and `log` when it registers a new organisation, ask about it.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct OrgDetails {
    /// What sort of body it is: clp, labour-branch, momentum-group, union-branch,
    /// trades-council or other
    #[arg(long, value_name = "KIND", value_parser = kind)]
    pub(crate) kind: Option<Kind>,

    /// The region, as your campaign names them (e.g. "London", "Wales")
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) region: Option<String>,

    /// The union, for union branches (e.g. Unite, UNISON)
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) union: Option<String>,
}

impl OrgDetails {
    /// The details of an organisation to register, with its code and parent.
    pub(crate) fn request(&self, code: Option<String>, parent: Option<String>) -> OrgRequest {
        OrgRequest {
            kind: self.kind,
            region: self.region.clone(),
            union: self.union.clone(),
            code,
            parent,
        }
    }
}

/// The registry filters `org list`, `status` and `tally` share.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct FilterArgs {
    /// Only organisations of this kind
    #[arg(long, value_name = "KIND", value_parser = kind)]
    kind: Option<Kind>,

    /// Only organisations in this region
    #[arg(long)]
    region: Option<String>,

    /// Only branches of this union
    #[arg(long)]
    union: Option<String>,
}

impl FilterArgs {
    /// The filter, with a region or union that no organisation has refused (it would only
    /// give zeros) and the known ones listed.
    pub(crate) fn parse(&self, store: &mut Store) -> Result<OrgFilter> {
        crate::ops::resolve::filter(
            store,
            self.kind,
            self.region.as_deref(),
            self.union.as_deref(),
        )
    }
}
