"""Background saves on the Add page: start one, follow its progress, hand back its outcome.

A save of ``BACKGROUND_MIN`` articles or more (a batch upload of hundreds) runs as a job
(``analysis.jobs``) while a fragment redraws its progress every second; the page stays usable,
and the analyst may leave and come back. When the job ends the whole page reruns once and shows
its outcome like any other save.
"""

from __future__ import annotations

import streamlit as st

from analysis.jobs import BACKGROUND_MIN, JobStatus, start_ingest_job, status
from analysis.pipeline import ArticleInput, Failure
from pages._shared import current_store

__all__ = ["BACKGROUND_MIN", "finished_save", "start_background_save"]

SS_JOB = "add_job"  # the id of this session's running save
SS_JOB_DONE = "add_job_done"  # its final status, read once by the page


def start_background_save(items: list[ArticleInput | Failure]) -> None:
    st.session_state[SS_JOB] = start_ingest_job(current_store(), items)


def finished_save() -> JobStatus | None:
    """The save that has just finished (once), else None; while one runs, its progress bar."""
    done = st.session_state.pop(SS_JOB_DONE, None)
    if done is None and SS_JOB in st.session_state:
        _progress()
    return done


@st.fragment(run_every=1.0)
def _progress() -> None:
    job_id = st.session_state.get(SS_JOB)
    job = status(job_id) if job_id else None
    if job is None:  # this app process restarted: what the job had written is stored
        st.session_state.pop(SS_JOB, None)
        st.warning(
            "The background save was interrupted (the app restarted); the articles it had saved "
            "are stored. Upload the batch again to save the rest: stored articles are skipped.",
            icon=":material/warning:",
        )
        return
    if job.running:
        st.progress(
            job.done / max(job.total, 1),
            text=f"Saving in the background: {job.done} of {job.total} analysed. "
            "You can keep using the dashboard; the result shows here when it is done.",
        )
        return
    st.session_state.pop(SS_JOB, None)
    st.session_state[SS_JOB_DONE] = job
    st.rerun()
