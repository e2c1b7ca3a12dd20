//! The campaign's motions: registering one, and changing its details.

use anyhow::Result;
use chrono::NaiveDate;

use super::resolve;
use crate::db::Store;
use crate::model::{Motion, MotionDraft, NewMotion};

/// A motion as a person gave it, not yet checked.
#[derive(Debug, Clone, Default)]
pub(crate) struct MotionRequest {
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) text: Option<String>,
    pub(crate) issued_by: Option<String>,
    pub(crate) issued_on: Option<NaiveDate>,
    pub(crate) deadline: Option<NaiveDate>,
}

/// Registers a motion.
pub(crate) fn add(store: &mut Store, request: &MotionRequest) -> Result<Motion> {
    let new = NewMotion::new(MotionDraft {
        slug: &request.slug,
        title: &request.title,
        text: request.text.as_deref(),
        issued_by: request.issued_by.as_deref(),
        issued_on: request.issued_on,
        deadline: request.deadline,
    })?;
    store.add_motion(&new)
}

/// New details for a motion: `None` keeps a value; for the optional ones, `Some(None)` clears
/// it.
#[derive(Debug, Clone, Default)]
pub(crate) struct MotionEdit {
    pub(crate) slug: Option<String>,
    pub(crate) title: Option<String>,
    pub(crate) text: Option<Option<String>>,
    pub(crate) issued_by: Option<Option<String>>,
    pub(crate) issued_on: Option<Option<NaiveDate>>,
    pub(crate) deadline: Option<Option<NaiveDate>>,
}

/// What editing a motion did.
#[derive(Debug, Clone)]
pub(crate) enum Edited {
    Changed(Motion),
    /// The details given are the ones it has.
    Unchanged(Motion),
}

/// Changes a motion's details under the same rules as registering it.
pub(crate) fn edit(store: &mut Store, slug: &str, edit: &MotionEdit) -> Result<Edited> {
    let motion = resolve::motion(store, Some(slug))?;
    let slug = edit.slug.clone().unwrap_or_else(|| motion.slug.clone());
    let title = edit.title.clone().unwrap_or_else(|| motion.title.clone());
    let text = edit.text.clone().unwrap_or_else(|| motion.text.clone());
    let issued_by = edit
        .issued_by
        .clone()
        .unwrap_or_else(|| motion.issued_by.clone());
    let new = NewMotion::new(MotionDraft {
        slug: &slug,
        title: &title,
        text: text.as_deref(),
        issued_by: issued_by.as_deref(),
        issued_on: edit.issued_on.unwrap_or(motion.issued_on),
        deadline: edit.deadline.unwrap_or(motion.deadline),
    })?;
    let same = new.slug() == motion.slug
        && new.title() == motion.title
        && new.text() == motion.text.as_deref()
        && new.issued_by() == motion.issued_by.as_deref()
        && new.issued_on() == motion.issued_on
        && new.deadline() == motion.deadline;
    if same {
        return Ok(Edited::Unchanged(motion));
    }
    Ok(Edited::Changed(store.edit_motion(motion.id, &new)?))
}
