//! The ingest stage: every source of a run, read side by side into members, records,
//! per-source reports and quarantined rows.

use std::collections::BTreeMap;

use hedui_core::record::{AssetRecord, Member};
use hedui_ingest::{CellStore, Reject, SourceData, SourceReport, read_source_keeping};
use hedui_policy::kin::ReadRecords;

use crate::config::{RawCells, RunConfig};
use crate::error::EngineError;

/// Everything ingest produced for a run.
#[derive(Debug)]
pub struct Ingested {
    pub members: Vec<Member>,
    /// The records matching links: every accepted department row a rule can read.
    pub assets: Vec<AssetRecord>,
    pub reports: Vec<SourceReport>,
    pub rejects: Vec<Reject>,
    /// Accepted rows no rule reads ([`ReadRecords`]: registration rows outside the staff
    /// members' households). Kept apart from `assets` so that the run's list is never sized
    /// for them: the contract counts them, then [`Ingested::drop_unread`] frees them before
    /// matching.
    pub unread: Vec<AssetRecord>,
    /// `unread`'s rows by department, for the manifest; they stay counted once freed.
    pub not_matched: BTreeMap<String, u64>,
    /// Identity numbers and addresses of the `unread` rows: not linked, but still read for
    /// what they say about addresses. Matching takes them (the list is empty afterwards).
    pub dwellings_not_matched: Vec<(
        hedui_core::ResidentId,
        hedui_core::Shared<hedui_core::Address>,
    )>,
    /// Where the rows' raw cells were written, when the run keeps them on disk.
    pub cells: Option<CellStore>,
}

impl Ingested {
    /// Every accepted department row: those matched, then those no rule reads.
    pub fn records(&self) -> impl Iterator<Item = &AssetRecord> + Clone {
        self.assets.iter().chain(&self.unread)
    }

    /// Frees the rows no rule reads; they remain in `not_matched` and, by their owners'
    /// numbers and addresses, in `dwellings_not_matched`.
    pub fn drop_unread(&mut self) {
        if self.unread.is_empty() {
            return;
        }
        drop(std::mem::take(&mut self.unread));
        // Millions of rows' names, numbers and keys were just freed; hand them back before
        // matching builds its working sets.
        hedui_alloc::release_freed_memory();
    }

    /// A row's raw cells, read back from the store when they were written to one.
    pub fn raw_cells<'a>(
        &self,
        raw: &'a hedui_core::record::RawRow,
    ) -> Result<std::borrow::Cow<'a, hedui_core::record::RawRow>, EngineError> {
        match &self.cells {
            None => Ok(std::borrow::Cow::Borrowed(raw)),
            Some(cells) => Ok(cells.load(raw)?),
        }
    }
}

/// Reads every source of the run. Sources are read concurrently, one thread each, since
/// one may be waiting on disk while another decodes; results keep configuration order.
/// Plain threads, not an async runtime: the caller may itself be async (the nightly
/// service), and nesting a runtime there would panic.
pub fn ingest_all(config: &RunConfig) -> Result<Ingested, EngineError> {
    let jobs: Vec<_> = config
        .all_sources()
        .map(|spec| Ok((spec, config.aliases_for(spec)?)))
        .collect::<Result<_, EngineError>>()?;
    let base = &config.base;
    let cells = match config.raw_cells {
        RawCells::Memory => None,
        RawCells::Disk => Some(CellStore::new()?),
    };
    let store = cells.as_ref();
    let results: Vec<(Result<SourceData, EngineError>, f64)> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .into_iter()
            .map(|(spec, aliases)| {
                scope.spawn(move || {
                    let span = tracing::info_span!("ingest", source = %spec.display_name());
                    let _guard = span.enter();
                    let started = std::time::Instant::now();
                    let data =
                        read_source_keeping(spec, base, &aliases, store).map_err(EngineError::from);
                    (data, started.elapsed().as_secs_f64())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle.join().unwrap_or_else(|_| {
                    let panicked = EngineError::Internal("a source's reader panicked".into());
                    (Err(panicked), 0.0)
                })
            })
            .collect()
    });
    let joined = std::time::Instant::now();
    // After the readers, one step at a time: what runs here is not spread over the sources'
    // threads, so `RUST_LOG=hedui_engine=debug` times each step.
    let lap = |step: &str| {
        tracing::debug!(
            step,
            seconds = joined.elapsed().as_secs_f64(),
            "ingest: after reading"
        );
    };
    // Only reading consults the memos; a one-run process frees them for the later stages.
    hedui_ingest::reading_done();
    lap("memos freed");
    let mut sources = Vec::with_capacity(results.len());
    for (result, seconds) in results {
        let data = result?;
        // Sources are read side by side, so the slowest one sets the stage's time.
        tracing::info!(
            source = %data.report.name,
            read = data.report.rows_read,
            accepted = data.report.accepted,
            rejected = data.report.rejected,
            seconds,
            "source read"
        );
        sources.push(data);
    }
    let unread = set_aside_unread(&mut sources);
    lap("unread rows set aside");
    let total = |of: fn(&SourceData) -> usize| sources.iter().map(of).sum::<usize>();
    let totals = (
        total(|d| d.members.len()),
        total(|d| d.assets.len()),
        total(|d| d.rejects.len()),
    );
    let mut ingested = Ingested {
        members: Vec::new(),
        assets: Vec::new(),
        reports: Vec::new(),
        rejects: Vec::new(),
        not_matched: count_by_department(&unread),
        dwellings_not_matched: dwellings_of(&unread),
        unread,
        cells,
    };
    lap("unread rows counted");
    for data in sources {
        let moved = gather(&mut ingested.members, totals.0, data.members)
            | gather(&mut ingested.assets, totals.1, data.assets)
            | gather(&mut ingested.rejects, totals.2, data.rejects);
        ingested.reports.push(data.report);
        if moved {
            // The source's list went back page by page as it was moved; this hands back
            // what its reading freed and the allocator still keeps, before the next move.
            hedui_alloc::release_freed_memory();
        }
    }
    lap("sources gathered");
    for (department, rows) in &ingested.not_matched {
        tracing::info!(department, rows, "not matched: no rule reads these rows");
    }
    Ok(ingested)
}

/// Takes the rows no rule reads out of the sources' lists, before those are gathered into
/// the run's. A registration export is mostly such rows, so its list becomes the unread
/// one and the few rows read are moved out of it, not the other way round.
fn set_aside_unread(sources: &mut [SourceData]) -> Vec<AssetRecord> {
    // A source holds one department's rows, so its first says which; only two departments
    // teach the rule what it reads, and only one has rows it does not.
    let department = |d: &SourceData| d.assets.first().map(AssetRecord::department);
    let read = ReadRecords::learn(
        sources
            .iter()
            .filter(|d| department(d).is_some_and(ReadRecords::learns_from))
            .flat_map(|d| d.assets.iter()),
    );
    let mut unread: Vec<AssetRecord> = Vec::new();
    for data in sources.iter_mut() {
        if !department(data).is_some_and(ReadRecords::may_leave_out)
            || data.assets.iter().all(|r| read.reads(r))
        {
            continue;
        }
        let kept: Vec<AssetRecord> = data.assets.extract_if(.., |r| read.reads(r)).collect();
        let left = std::mem::replace(&mut data.assets, kept);
        if unread.is_empty() {
            unread = left;
        } else {
            unread.extend(left);
        }
    }
    unread
}

/// Counted by department first and named after: millions of rows, a handful of names.
fn count_by_department(records: &[AssetRecord]) -> BTreeMap<String, u64> {
    let mut counts: BTreeMap<hedui_core::Department, u64> = BTreeMap::new();
    for record in records {
        *counts.entry(record.department()).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(department, rows)| (department.as_str().to_owned(), rows))
        .collect()
}

/// The valid numbers of `records`' owners with the record's address: what group-number
/// learning reads of rows that are not matched (`hedui_match::group_names`).
fn dwellings_of(
    records: &[AssetRecord],
) -> Vec<(
    hedui_core::ResidentId,
    hedui_core::Shared<hedui_core::Address>,
)> {
    records
        .iter()
        .flat_map(|record| {
            record
                .owners
                .iter()
                .filter_map(|o| Some((*o.id.valid()?, record.address.clone())))
        })
        .collect()
}

/// Adds a source's `from` to the run's list `into`, which will hold `total` in all; true when
/// the items were moved one by one (and `from`'s block freed). A source that holds all of
/// them (the roster, usually) becomes the list as it is.
fn gather<T: Send + Sync>(into: &mut Vec<T>, total: usize, from: Vec<T>) -> bool {
    if from.is_empty() {
        return false;
    }
    if into.is_empty() && from.len() == total {
        *into = from;
        return false;
    }
    // Sized exactly before the first move: growing by doubling would hold the old and the
    // new buffer of millions of records at once.
    into.reserve_exact(total - into.len());
    // The source's pages go back as its items leave: moved whole, the largest source (the
    // vehicle export, 2 GB at province scale) was held twice at the run's peak. The move
    // runs in parallel, since the kernel zeroing the target's fresh pages is its cost.
    hedui_alloc::move_releasing(into, from);
    true
}

/// Drops `value` on a thread of its own. Freeing millions of records one allocation at a
/// time takes the better part of a second at prefecture scale, after the work is done; a
/// command that exits next does not wait for it, and a caller that goes on is not held up.
/// Where no thread can be started, `value` is dropped here.
pub(crate) fn free_in_background<T: Send + 'static>(value: T) {
    // A failed spawn returns the closure's error and drops the closure, and `value` in it.
    let _ = std::thread::Builder::new()
        .name("hedui-free".into())
        .spawn(move || drop(value));
}
