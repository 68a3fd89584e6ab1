use super::*;

fn case(id: &str, hash: &str) -> CaseVersion {
    CaseVersion {
        candidate_id: id.to_owned(),
        household_id: format!("532530-{id}"),
        rule: "vehicle".to_owned(),
        department: "vehicle".to_owned(),
        record_key: format!("云G{id}"),
        member_id: "532530199001011234".to_owned(),
        county: "金平苗族瑶族傣族自治县".to_owned(),
        band: "candidate".to_owned(),
        evidence_hash: hash.to_owned(),
    }
}

fn run(store: &mut Store, night: u32, cases: &[CaseVersion]) -> Vec<CaseStatus> {
    let at = format!("2026-12-0{night}T02:00:00");
    let seq = store.begin_run("R1", "out", &at).unwrap();
    let keys: Vec<(&str, &str)> = cases
        .iter()
        .map(|c| (c.candidate_id.as_str(), c.evidence_hash.as_str()))
        .collect();
    let statuses = store.statuses(&keys).unwrap();
    store.finish_run(seq, &at, "{}", cases).unwrap();
    statuses
}

#[test]
fn a_case_moves_from_new_to_open_to_suppressed_to_changed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("hedui.db")).unwrap();
    assert_eq!(
        run(&mut store, 1, &[case("C1", "h1"), case("C2", "h1")]),
        [CaseStatus::New, CaseStatus::New]
    );
    assert_eq!(
        run(&mut store, 2, &[case("C1", "h1"), case("C2", "h1")]),
        [CaseStatus::Open, CaseStatus::Open]
    );
    store
        .decide(
            "C1",
            Decision::Dismissed,
            "王某",
            "车辆已过户",
            "2026-12-02T10:00:00",
        )
        .unwrap();
    store
        .decide(
            "C2",
            Decision::NeedsVisit,
            "李某",
            "需入户",
            "2026-12-02T10:05:00",
        )
        .unwrap();
    assert_eq!(
        run(&mut store, 3, &[case("C1", "h1"), case("C2", "h1")]),
        [CaseStatus::Suppressed, CaseStatus::NeedsVisit]
    );
    // The source row of C1 changed: a person must look again.
    assert_eq!(
        run(&mut store, 4, &[case("C1", "h2"), case("C2", "h1")]),
        [CaseStatus::Changed, CaseStatus::NeedsVisit]
    );
    let history = store.history("C1").unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].evidence_hash, "h1");
    let listed = store.cases(Some(CaseStatus::Changed), None).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].case.candidate_id, "C1");
    assert_eq!((listed[0].first_run, listed[0].last_run), (1, 4));
}

#[test]
fn decisions_are_append_only_and_need_a_reviewer_a_reason_and_a_known_case() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("hedui.db")).unwrap();
    run(&mut store, 1, &[case("C1", "h1")]);
    let err = store
        .decide("C9", Decision::Confirmed, "王某", "x", "t")
        .unwrap_err();
    assert!(matches!(err, StoreError::UnknownCase(_)), "{err}");
    for (reviewer, reason) in [(" ", "x"), ("王某", "")] {
        assert!(
            store
                .decide("C1", Decision::Confirmed, reviewer, reason, "t")
                .is_err()
        );
    }
    store
        .decide("C1", Decision::Confirmed, "王某", "属实", "t")
        .unwrap();
    let err = store
        .conn
        .execute("UPDATE decisions SET reason = 'edited'", [])
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    assert!(store.conn.execute("DELETE FROM decisions", []).is_err());
    assert_eq!(store.decisions().unwrap().len(), 1);
}

#[test]
fn an_unfinished_run_is_marked_interrupted_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("hedui.db")).unwrap();
    let killed = store.begin_run("R1", "out", "2026-12-01T02:00:00").unwrap();
    let seq = store.begin_run("R2", "out", "2026-12-02T02:00:00").unwrap();
    store
        .finish_run(seq, "2026-12-02T02:05:00", "{}", &[])
        .unwrap();
    let runs = store.runs().unwrap();
    assert_eq!(runs[0].seq, killed);
    assert_eq!(runs[0].outcome, RunOutcome::Interrupted);
    assert_eq!(runs[1].outcome, RunOutcome::Ok);
    // A run marked interrupted cannot be finished afterwards.
    assert!(store.finish_run(killed, "t", "{}", &[]).is_err());
}

#[test]
fn a_store_from_a_newer_hedui_is_refused_and_a_new_one_is_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hedui.db");
    drop(Store::open(&path).unwrap());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    let err = Store::open(&path).unwrap_err().to_string();
    assert!(err.contains("newer hedui"), "{err}");
    // Opening twice migrates nothing twice.
    let again = dir.path().join("again.db");
    drop(Store::open(&again).unwrap());
    drop(Store::open(&again).unwrap());
}

#[test]
fn an_import_is_all_or_nothing_and_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("hedui.db")).unwrap();
    run(&mut store, 1, &[case("C1", "h1"), case("C2", "h1")]);
    let decision = |id: &str, hash: Option<&str>| NewDecision {
        candidate_id: id.to_owned(),
        decision: Decision::Dismissed,
        reviewer: "王某".to_owned(),
        reason: "不属实".to_owned(),
        decided_at: "2026-12-02".to_owned(),
        evidence_hash: hash.map(str::to_owned),
    };
    assert!(store.knows("C1", Some("h1")).unwrap());
    assert!(!store.knows("C1", Some("h9")).unwrap());
    assert!(!store.knows("C9", None).unwrap());
    let bad = [decision("C1", Some("h1")), decision("C9", None)];
    assert!(store.import(&bad).is_err());
    assert!(
        store.decisions().unwrap().is_empty(),
        "a failed import wrote something"
    );
    let good = [decision("C1", Some("h1")), decision("C2", None)];
    assert_eq!(store.import(&good).unwrap(), 2);
    assert_eq!(store.import(&good).unwrap(), 0);
    assert_eq!(store.decisions().unwrap().len(), 2);
}
