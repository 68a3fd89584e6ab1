#!/usr/bin/env python3
"""Scores a `hedui check` run against an independent world's truth (tools/indep-world/gen.py).

    python3 tools/indep-world/score.py --world DIR --run OUTDIR [--json]

Reads DIR/truth/{rows,members,expected_candidates,unreachable_candidates}.csv and
OUTDIR/{candidates,links,rejects}.csv. Rows are identified by (file name, sheet, line), the way
hedui names a row; members by household and identity number (normalised: NFKC, no spaces,
upper case, 15-digit numbers upgraded), or by name when the roster has no number.

When the world has DIR/truth/relatives.csv (staff roster, 备案 register and hukou export), the
staff rules (staff_recipient, undeclared_relative, case_worker_conflict) and register_stale are
scored apart from the asset rules, reading OUTDIR/evidence.jsonl for the evidence level of
undeclared_relative (fired_because ["evidence", "strong"|"medium"|"weak"]).
Standard library only.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import os
import sys
import unicodedata

csv.field_size_limit(1 << 30)

ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CK = "10X98765432"


def norm_id(raw: str) -> str:
    s = "".join(c for c in unicodedata.normalize("NFKC", raw or "") if not c.isspace()).upper()
    if s.startswith('="') and s.endswith('"'):
        s = s[2:-1]
    if len(s) == 15 and s.isdigit():
        s17 = s[:6] + "19" + s[6:]
        s = s17 + ID_CK[sum(int(c) * w for c, w in zip(s17, ID_W)) % 11]
    return s


def member_key(mid: str, name: str) -> str:
    n = norm_id(mid)
    if n:
        return n
    return "NAME:" + unicodedata.normalize("NFKC", name or "").strip()


def target_key(e) -> tuple:
    """The (household, member key) of the recipient an adversarial row imitates."""
    t = e["adv_target_member"]
    if t.startswith("NAME:"):
        return (e["adv_target_household"], member_key("", t[5:]))
    return (e["adv_target_household"], member_key(t, ""))


def row_key(file: str, sheet: str, line) -> tuple:
    return (os.path.basename(file or ""), sheet or "", int(line) if str(line or "").strip() else -1)


STAFF_RULES = ("staff_recipient", "undeclared_relative", "case_worker_conflict")
STALE_RULE = "register_stale"
REL_FILES = {"staff.csv", "relatives_register.csv", "hukou.csv"}


def ratio(a, b):
    return round(a / b, 4) if b else None


def load_truth(world):
    td = os.path.join(world, "truth")
    rows = collections.defaultdict(list)  # row -> [owner entries]
    with open(os.path.join(td, "rows.csv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            k = row_key(r["file"], r["sheet"], r["line"])
            r["tagset"] = set(t for t in r["tags"].split(";") if t)
            if r["owner_kind"] == "member":
                r["mkey"] = (r["household_id"], member_key(r["member_id"], r["member_name"]))
            rows[k].append(r)

    def read_exp(name):
        out = []
        p = os.path.join(td, name)
        if not os.path.exists(p):
            return out
        with open(p, encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                r["mkey"] = (r["household_id"], member_key(r["member_id"], r["member_name"]))
                r["rowset"] = set()
                for part in r["rows"].split(";"):
                    if part:
                        fi, sh, ln = part.split("|")
                        r["rowset"].add(row_key(fi, sh, ln))
                out.append(r)
        return out

    exp = read_exp("expected_candidates.csv")
    unreachable = read_exp("unreachable_candidates.csv")
    meta = {}
    p = os.path.join(td, "world.json")
    if os.path.exists(p):
        with open(p, encoding="utf-8") as f:
            meta = json.load(f)
    return rows, exp, unreachable, meta


def load_run(run):
    links = []
    with open(os.path.join(run, "links.csv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            r["row"] = row_key(r["file"], r["sheet"], r["line"])
            r["mkey"] = (r["household_id"], member_key(r["member_id"], r["member_name"]))
            links.append(r)
    cands = []
    with open(os.path.join(run, "candidates.csv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            r["row"] = row_key(r["file"], r["sheet"], r["line"])
            r["mkey"] = (r["household_id"], member_key(r["member_id"], r["member_name"]))
            cands.append(r)
    rejects = []
    p = os.path.join(run, "rejects.csv")
    if os.path.exists(p):
        with open(p, encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                r["row"] = row_key(r["file"], r["sheet"], r["line"])
                rejects.append(r)
    return links, cands, rejects


def describe_row(entries):
    """Who really holds a row, in a few words."""
    out = []
    for e in entries:
        kind = e["owner_kind"]
        if kind == "none":
            out.append(f"(no owner: {e['expect']})")
            continue
        who = {"member": f"member {e['member_name']}@{e['household_id']}", "nonrecipient": "non-recipient",
               "org": "company"}.get(kind, kind)
        tags = sorted(t for t in e["tagset"])
        out.append(f"pos{e['owner_pos']} {who} [{','.join(tags)}]")
    return "; ".join(out)


def score(world, run):
    rows, exp, unreachable, meta = load_truth(world)
    links, cands, rejects = load_run(run)
    # the staff rules are scored on their own (score_relatives); the asset figures see only theirs
    rel_exp = [e for e in exp if e["rule"] in STAFF_RULES]
    rel_cands = [c for c in cands if c["rule"] in STAFF_RULES or c["rule"] == STALE_RULE]
    rel_rejects = [r for r in rejects if r["row"][0] in REL_FILES]
    exp = [e for e in exp if e["rule"] not in STAFF_RULES]
    cands = [c for c in cands if c["rule"] not in STAFF_RULES and c["rule"] != STALE_RULE]
    links = [l for l in links if l["row"][0] not in REL_FILES]
    rejects = [r for r in rejects if r["row"][0] not in REL_FILES]
    res = {"world": world, "run": run, "world_meta": {k: meta.get(k) for k in
                                                       ("households", "seed", "adversarial_rate", "members",
                                                        "records", "expected_candidates", "expected_households")}}

    # ---------------------------------------------------------------- truth pairs
    correct = {}  # (row, mkey) -> entry, for any row (accepted or not)
    T = {}  # (row, mkey) -> tags, for rows hedui should accept
    for k, entries in rows.items():
        for e in entries:
            if e["owner_kind"] != "member":
                continue
            pair = (k, e["mkey"])
            correct[pair] = e
            if e["expect"] == "accept":
                T.setdefault(pair, set()).update(e["tagset"])
                has_id = "id_missing" not in e["tagset"]
                T[pair].add("_with_id" if has_id else "_without_id")

    # ---------------------------------------------------------------- links
    band = {}
    for l in links:
        pair = (l["row"], l["mkey"])
        if band.get(pair) != "link":
            band[pair] = l["band"]
    L = {p for p, b in band.items() if b == "link"}
    V = {p for p, b in band.items() if b == "review"}
    tp_link = sum(1 for p in L if p in correct)
    tp_review = sum(1 for p in V if p in correct)
    found_link = sum(1 for p in T if p in L)
    found_any = sum(1 for p in T if p in L or p in V)
    res["links"] = {
        "true_pairs": len(T),
        "link_band": len(L), "link_true": tp_link, "link_false": len(L) - tp_link,
        "link_precision": ratio(tp_link, len(L)),
        "link_recall": ratio(found_link, len(T)),
        "review_band": len(V), "review_true": tp_review,
        "recall_with_review": ratio(found_any, len(T)),
        "true_links_in_review_share": ratio(sum(1 for p in T if p in V and p not in L), len(T)),
    }
    for part in ("_with_id", "_without_id"):
        sub = [p for p, t in T.items() if part in t]
        res["links"]["recall" + part] = ratio(sum(1 for p in sub if p in L), len(sub))
        res["links"]["true_pairs" + part] = len(sub)

    per_tag = collections.defaultdict(lambda: [0, 0, 0])
    for p, tags in T.items():
        slot = 0 if p in L else 1 if p in V else 2
        for t in tags:
            if t.startswith("_"):
                continue
            per_tag[t][slot] += 1
        per_tag["(all)"][slot] += 1
    res["link_recall_by_defect"] = {
        t: {"true_links": sum(v), "linked": v[0], "review": v[1], "missed": v[2], "recall": ratio(v[0], sum(v))}
        for t, v in sorted(per_tag.items(), key=lambda kv: (kv[0] != "(all)", kv[0]))}

    # ---------------------------------------------------------------- false links by what the owner really is
    false_by_kind = collections.Counter()
    for p in L:
        if p in correct:
            continue
        entries = rows.get(p[0], [])
        kinds = {e["owner_kind"] for e in entries}
        if "member" in kinds:
            false_by_kind["row held by another recipient member"] += 1
        elif "org" in kinds:
            false_by_kind["company owner"] += 1
        elif not entries:
            false_by_kind["row unknown to truth"] += 1
        else:
            advs = sorted({t for e in entries for t in e["tagset"] if t.startswith("adv_")})
            rel = any("relative_other_household" in e["tagset"] for e in entries)
            false_by_kind["non-recipient " + (",".join(advs) if advs else "relative" if rel else "(ordinary)")] += 1
    res["false_links_by_owner"] = dict(false_by_kind.most_common())

    # ---------------------------------------------------------------- candidates
    exp_index = collections.defaultdict(list)
    for i, e in enumerate(exp):
        exp_index[(e["household_id"], e["rule"], e["mkey"])].append(i)
    unr_index = collections.defaultdict(list)
    for i, e in enumerate(unreachable):
        unr_index[(e["household_id"], e["rule"], e["mkey"])].append(i)
    matched = {}  # exp index -> best band
    cand_true = []
    plain_false = []
    for c in cands:
        hit = None
        for i in exp_index.get((c["household_id"], c["rule"], c["mkey"]), []):
            if c["row"] in exp[i]["rowset"]:
                hit = i
                break
        c["_true"] = hit is not None
        if hit is not None:
            prev = matched.get(hit)
            if prev != "candidate":
                matched[hit] = c["band"]
        cand_true.append(c["_true"])
    adv_rows = {k for k, entries in rows.items()
                if any(t.startswith("adv_") for e in entries for t in e["tagset"])}
    # households whose department rows were linked to a member who does not hold them
    false_link_hh = collections.defaultdict(set)
    for p in L:
        if p not in correct:
            false_link_hh[p[1][0]].add(p[0])
    for c in cands:
        c["_adv"] = c["row"] in adv_rows or any(k in adv_rows for k in false_link_hh.get(c["household_id"], ()))
    plain = [c for c in cands if c["band"] == "candidate"]
    review = [c for c in cands if c["band"] == "review"]
    plain_tp = sum(1 for c in plain if c["_true"])
    hh_plain = collections.defaultdict(list)
    for c in plain:
        hh_plain[c["household_id"]].append(c["_true"])
    # a household counts as adversarial when all its plain candidates touch an adversarial row
    hh_adv = {}
    for c in plain:
        hh_adv[c["household_id"]] = hh_adv.get(c["household_id"], True) and c["_adv"]
    exp_hh = {e["household_id"] for e in exp}
    hh_found_plain = {exp[i]["household_id"] for i, b in matched.items() if b == "candidate"}
    hh_found_any = {exp[i]["household_id"] for i in matched}
    res["candidates"] = {
        "expected_rows": len(exp), "expected_households": len(exp_hh),
        "unreachable_rows (all rows quarantined)": len(unreachable),
        "predicted_rows": len(cands), "plain_rows": len(plain), "review_rows": len(review),
        "plain_precision_rows": ratio(plain_tp, len(plain)),
        "plain_false_rows": len(plain) - plain_tp,
        "plain_precision_households": ratio(sum(1 for v in hh_plain.values() if any(v)), len(hh_plain)),
        "plain_households": len(hh_plain),
        "households_with_only_false_plain": sum(1 for v in hh_plain.values() if not any(v)),
        "recall_rows_plain": ratio(sum(1 for b in matched.values() if b == "candidate"), len(exp)),
        "recall_rows_plain_or_review": ratio(len(matched), len(exp)),
        "recall_households_plain": ratio(len(hh_found_plain), len(exp_hh)),
        "recall_households_plain_or_review": ratio(len(hh_found_any), len(exp_hh)),
        "review_share": ratio(len(review), len(cands)),
        "plain_precision_rows_without_adversarial": ratio(
            sum(1 for c in plain if c["_true"] and not c["_adv"]), sum(1 for c in plain if not c["_adv"])),
        "plain_false_rows_without_adversarial": sum(1 for c in plain if not c["_true"] and not c["_adv"]),
        "plain_precision_households_without_adversarial": ratio(
            sum(1 for h, v in hh_plain.items() if any(v) and not hh_adv.get(h)),
            sum(1 for h in hh_plain if not hh_adv.get(h))),
        "review_rows_true": sum(1 for c in review if c["_true"]),
    }
    by_rule = collections.defaultdict(lambda: {"expected": 0, "found_plain": 0, "found_review": 0, "plain": 0,
                                               "plain_true": 0, "review": 0})
    for i, e in enumerate(exp):
        d = by_rule[e["rule"]]
        d["expected"] += 1
        if matched.get(i) == "candidate":
            d["found_plain"] += 1
        elif i in matched:
            d["found_review"] += 1
    for c in cands:
        d = by_rule[c["rule"]]
        if c["band"] == "candidate":
            d["plain"] += 1
            d["plain_true"] += c["_true"]
        else:
            d["review"] += 1
    res["candidates_by_rule"] = dict(sorted(by_rule.items()))

    # why false plain candidates happened
    causes = collections.Counter()
    false_list = []
    for c in plain:
        if c["_true"]:
            continue
        entries = rows.get(c["row"], [])
        pair = (c["row"], c["mkey"])
        if pair in correct:
            e = correct[pair]
            t = e["tagset"]
            if any(i for i in unr_index.get((c["household_id"], c["rule"], c["mkey"]), [])
                   if c["row"] in unreachable[i]["rowset"]):
                cause = "right member, expected but a row of the record was quarantined"
            elif "asset_inactive" in t:
                cause = "right member, asset inactive on the check date"
            elif "registered_after_check" in t:
                cause = "right member, registered after the check date"
            elif "asset_exempt" in t:
                cause = "right member, exempt vehicle type"
            elif c["rule"] == "property_multi_residential" and false_link_hh.get(c["household_id"]):
                advs = sorted({t for k in false_link_hh[c["household_id"]] for e in rows.get(k, [])
                               for t in e["tagset"] if t.startswith("adv_")})
                cause = ("right member, homes over-counted by a false link"
                         + (f" ({','.join(advs)})" if advs else ""))
            elif c["rule"] == "property_multi_residential":
                cause = "right member, home count differs from truth"
            else:
                cause = "right member, rule should not fire"
        else:
            advs = sorted({t for e in entries for t in e["tagset"] if t.startswith("adv_")})
            kinds = {e["owner_kind"] for e in entries}
            if advs:
                cause = "false link: " + ",".join(advs)
            elif "member" in kinds:
                cause = "false link: row held by another recipient member"
            elif any("relative_other_household" in e["tagset"] for e in entries):
                cause = "false link: relative in another household"
            else:
                cause = "false link: ordinary non-recipient"
        causes[cause] += 1
        if len(false_list) < 20:
            false_list.append({
                "file": c["file"], "sheet": c["sheet"], "line": c["line"], "household_id": c["household_id"],
                "rule": c["rule"], "record_key": c["record_key"], "member": c["member_name"],
                "member_id": c["member_id"], "match": f"{c['match_band']} {c['match_probability']}",
                "cause": cause, "truth": describe_row(entries), "candidate_id": c["candidate_id"]})
    res["false_plain_causes"] = dict(causes.most_common())
    res["false_plain_first20"] = false_list

    # missed expected candidates
    miss_causes = collections.Counter()
    missed_list = []
    for i, e in enumerate(exp):
        if i in matched:
            continue
        # what happened to the member's rows of this record
        states = []
        for rk in e["rowset"]:
            p = (rk, e["mkey"])
            if p in L:
                states.append("linked")
            elif p in V:
                states.append("review-link")
            else:
                states.append("not linked")
        tags = set()
        for rk in e["rowset"]:
            for en in rows.get(rk, []):
                if en.get("mkey") == e["mkey"]:
                    tags |= en["tagset"]
        key = e["rule"] + ": " + ("linked but no candidate" if "linked" in states else
                                  "link only in review" if "review-link" in states else "not linked")
        miss_causes[key] += 1
        if len(missed_list) < 20:
            missed_list.append({"household_id": e["household_id"], "rule": e["rule"], "record_key": e["record_key"],
                                "member": e["member_name"], "rows": sorted(f"{a}:{c}" for a, b, c in e["rowset"]),
                                "link_state": ",".join(states), "tags": ",".join(sorted(tags))})
    res["missed_candidate_causes"] = dict(miss_causes.most_common())
    res["missed_candidates_first20"] = missed_list

    # ---------------------------------------------------------------- adversarial and look-alike rows
    cand_rows = collections.defaultdict(list)
    for c in cands:
        cand_rows[c["row"]].append(c)
    link_rows = collections.defaultdict(list)
    for p, b in band.items():
        link_rows[p[0]].append((p, b))
    adv = collections.defaultdict(lambda: collections.Counter())
    for k, entries in rows.items():
        groups = set()
        for e in entries:
            if e["owner_kind"] == "member":
                continue
            for t in e["tagset"]:
                if t.startswith("adv_") or t in ("relative_other_household", "org_owner"):
                    groups.add(t)
        if not groups:
            continue
        accepted = any(e["expect"] == "accept" for e in entries)
        fl = [p for p, b in link_rows.get(k, []) if b == "link" and p not in correct]
        fr = [p for p, b in link_rows.get(k, []) if b == "review" and p not in correct]
        targets = {target_key(e) for e in entries if e.get("adv_target_household")}
        to_target = any(p[1] in targets for p in fl)
        fc = [c for c in cand_rows.get(k, []) if not c["_true"]]
        for g in groups:
            a = adv[g]
            a["rows"] += 1
            a["rows_accepted"] += accepted
            a["false_link"] += bool(fl)
            a["false_link_to_target"] += bool(to_target)
            a["false_review_only"] += bool(fr) and not fl
            a["false_candidate_plain"] += any(c["band"] == "candidate" for c in fc)
            a["false_candidate_review"] += any(c["band"] == "review" for c in fc)
    res["lookalike_rows"] = {g: dict(v) for g, v in sorted(adv.items())}

    # ---------------------------------------------------------------- quarantine agreement
    if rejects:
        exp_rej = {}
        for k, entries in rows.items():
            ex = entries[0]["expect"]
            if ex != "accept":
                exp_rej[k] = ex.split(":", 1)[1]
        got = {r["row"]: r["reason"] for r in rejects}
        agree = collections.Counter()
        examples = []
        for k, reason in exp_rej.items():
            g = got.get(k)
            if g == reason:
                agree[f"{reason}: as expected"] += 1
            else:
                agree[f"{reason}: hedui said {g or 'accepted'}"] += 1
                if len(examples) < 10:
                    examples.append(f"{k[0]}:{k[2]} expected {reason}, got {g or 'accepted'}")
        for k, g in got.items():
            if k not in exp_rej:
                agree[f"unexpected {g}"] += 1
                if len(examples) < 10:
                    examples.append(f"{k[0]}:{k[2]} rejected as {g}, expected accepted")
        res["quarantine"] = {"counts": dict(sorted(agree.items())), "examples": examples}
    if os.path.exists(os.path.join(world, "truth", "relatives.csv")):
        res["relatives"] = score_relatives(world, run, rel_exp, rel_cands, rel_rejects)
    return res


def print_report(res):
    m = res["world_meta"]
    print(f"independent world: {res['world']}  ({m.get('households')} households, seed {m.get('seed')}, "
          f"adversarial rate {m.get('adversarial_rate')}, {m.get('members')} members, "
          f"{(m.get('records') or {}).get('total')} records)")
    print(f"run: {res['run']}")
    c = res["candidates"]
    print("\n== Candidates ==")
    print(f"  expected rows {c['expected_rows']} in {c['expected_households']} households "
          f"(+{c['unreachable_rows (all rows quarantined)']} whose rows were all quarantined, not counted)")
    print(f"  predicted rows {c['predicted_rows']}: plain {c['plain_rows']}, review {c['review_rows']} "
          f"(review share {c['review_share']})")
    print(f"  plain-candidate precision: rows {c['plain_precision_rows']} ({c['plain_false_rows']} false), "
          f"households {c['plain_precision_households']} ({c['plain_households']} households, "
          f"{c['households_with_only_false_plain']} with only false plain candidates)")
    print(f"  plain-candidate precision without adversarial rows (and homes they add): rows "
          f"{c['plain_precision_rows_without_adversarial']} ({c['plain_false_rows_without_adversarial']} false), "
          f"households {c['plain_precision_households_without_adversarial']}")
    print(f"  recall, plain only:        rows {c['recall_rows_plain']}, households {c['recall_households_plain']}")
    print(f"  recall, plain + review:    rows {c['recall_rows_plain_or_review']}, "
          f"households {c['recall_households_plain_or_review']}")
    print(f"  review rows that are true: {c['review_rows_true']} of {c['review_rows']}")
    print(f"  {'rule':30s} {'expected':>8s} {'found':>6s} {'in rev':>6s} {'plain':>6s} {'true':>6s} {'review':>6s}")
    for rule, d in res["candidates_by_rule"].items():
        print(f"  {rule:30s} {d['expected']:8d} {d['found_plain']:6d} {d['found_review']:6d} {d['plain']:6d} "
              f"{d['plain_true']:6d} {d['review']:6d}")
    if res["false_plain_causes"]:
        print("  false plain candidates by cause:")
        for k, v in res["false_plain_causes"].items():
            print(f"    {v:5d}  {k}")
    if res["missed_candidate_causes"]:
        print("  missed expected candidates:")
        for k, v in res["missed_candidate_causes"].items():
            print(f"    {v:5d}  {k}")

    l = res["links"]
    print("\n== Links (pairs of department row and recipient member) ==")
    print(f"  true pairs {l['true_pairs']} ({l['true_pairs_with_id']} with an ID on the row, "
          f"{l['true_pairs_without_id']} without)")
    print(f"  link band {l['link_band']}: precision {l['link_precision']} ({l['link_false']} false), "
          f"recall {l['link_recall']} (with ID {l['recall_with_id']}, without ID {l['recall_without_id']})")
    print(f"  review band {l['review_band']} ({l['review_true']} true); recall with review {l['recall_with_review']}; "
          f"true links only in review {l['true_links_in_review_share']}")
    if res["false_links_by_owner"]:
        print("  false links by who really holds the row:")
        for k, v in res["false_links_by_owner"].items():
            print(f"    {v:5d}  {k}")
    print("\n  link recall by defect on the true owner's row:")
    print(f"  {'defect':42s} {'true':>6s} {'linked':>6s} {'review':>6s} {'missed':>6s} {'recall':>7s}")
    for t, d in res["link_recall_by_defect"].items():
        print(f"  {t:42s} {d['true_links']:6d} {d['linked']:6d} {d['review']:6d} {d['missed']:6d} "
              f"{d['recall'] if d['recall'] is not None else '-':>7}")

    print("\n== Look-alike rows held by non-recipients (adversarial tags and natural near-people) ==")
    print(f"  {'tag':32s} {'rows':>5s} {'acc.':>5s} {'f.link':>6s} {'→tgt':>5s} {'f.rev':>5s} {'f.cand':>6s} {'f.c.rev':>7s}")
    for g, a in res["lookalike_rows"].items():
        print(f"  {g:32s} {a.get('rows', 0):5d} {a.get('rows_accepted', 0):5d} {a.get('false_link', 0):6d} "
              f"{a.get('false_link_to_target', 0):5d} {a.get('false_review_only', 0):5d} "
              f"{a.get('false_candidate_plain', 0):6d} {a.get('false_candidate_review', 0):7d}")
    print("  (f.link: rows linked to a member who does not hold them; →tgt: to the recipient the row imitates;"
          " f.rev: only in review; f.cand: rows behind a false plain / review candidate)")

    if res["false_plain_first20"]:
        print("\n== False plain candidates (first 20): hedui explain --run RUN <candidate_id> ==")
        for x in res["false_plain_first20"]:
            print(f"  {x['candidate_id']} {os.path.basename(x['file'])}:{x['line']} {x['rule']} hh {x['household_id']} "
                  f"member {x['member']} {x['member_id']} key {x['record_key']} ({x['match']})")
            print(f"      cause: {x['cause']}")
            print(f"      truth: {x['truth']}")
    if res["missed_candidates_first20"]:
        print("\n== Missed expected candidates (first 20) ==")
        for x in res["missed_candidates_first20"]:
            print(f"  {x['rule']} hh {x['household_id']} {x['member']} key {x['record_key']} rows {','.join(x['rows'])} "
                  f"[{x['link_state']}] tags {x['tags']}")
    if "quarantine" in res:
        print("\n== Quarantine agreement (rejects.csv against the rows the truth expects rejected) ==")
        for k, v in res["quarantine"]["counts"].items():
            print(f"  {v:6d}  {k}")
        for e in res["quarantine"]["examples"]:
            print(f"    e.g. {e}")
    if "relatives" in res:
        print_relatives(res["relatives"])


# =============================================================================================
# Favour enrolment: staff rules and the 备案 register
# =============================================================================================
def _tags(s):
    out = {}
    for t in (s or "").split(";"):
        if ":" in t:
            k, v = t.split(":", 1)
            out[k] = v
        elif t:
            out[t] = "1"
    return out


def load_evidence_levels(run):
    """candidate_id -> the evidence level in fired_because, for the staff rules."""
    out = {}
    p = os.path.join(run, "evidence.jsonl")
    if not os.path.exists(p):
        return out, False
    with open(p, encoding="utf-8") as f:
        for line in f:
            if not any(r in line for r in STAFF_RULES):
                continue
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if rec.get("rule") not in STAFF_RULES:
                continue
            level = ""
            for pair in rec.get("fired_because") or []:
                if isinstance(pair, (list, tuple)) and len(pair) == 2 and pair[0] == "evidence":
                    level = str(pair[1])
            out[rec.get("candidate_id", "")] = level
    return out, True


def score_relatives(world, run, exp, cands, rejects):
    """Staff rules and register_stale: precision on plain candidates, recall with review rows
    counted as found, review share; undeclared_relative split by evidence level."""
    td = os.path.join(world, "truth")
    # member names for members written without a number
    names = {}
    with open(os.path.join(td, "members.csv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            names[(r["household_id"], r["member_id"])] = r["member_name"]
    # staff rows: line -> written id; any normalised id -> line
    staff_lines = {}
    id_to_line = {}
    with open(os.path.join(world, "staff.csv"), encoding="utf-8-sig", newline="") as f:
        rd = csv.reader(f)
        next(rd, None)
        for r in rd:
            line = rd.line_num
            staff_lines[line] = r[1] if len(r) > 1 else ""
            n = norm_id(r[1]) if len(r) > 1 else ""
            if n:
                id_to_line.setdefault(n, line)
    row_tags = {}  # staff line -> defect tags of the staff row
    p = os.path.join(td, "relatives_rows.csv")
    if os.path.exists(p):
        with open(p, encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                if r["department"] == "staff":
                    row_tags[int(r["line"])] = r["tags"]
    pairs = {}  # (staff line, household, member key) -> truth row
    with open(os.path.join(td, "relatives.csv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            line = int(r["staff_line"])
            id_to_line.setdefault(norm_id(r["staff_id"]), line)
            mk = member_key(r["member_id"], names.get((r["household_id"], r["member_id"]), ""))
            pairs[(line, r["household_id"], mk)] = r
    stale = {}
    p = os.path.join(td, "register_stale.csv")
    if os.path.exists(p):
        with open(p, encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                stale[int(r["line"])] = r["reason"]
    levels, have_evidence = load_evidence_levels(run)

    def staff_line_of(c):
        k = (c.get("record_key") or "").strip()
        if k.startswith("line:") and k[5:].strip().isdigit():
            return int(k[5:])
        n = norm_id(k)
        if n in id_to_line:
            return id_to_line[n]
        if os.path.basename(c.get("file") or "") == "staff.csv" and str(c.get("line") or "").isdigit():
            return int(c["line"])
        return None

    # ---------------------------------------------------------------- expected
    E = {}
    for e in exp:
        t = _tags(e["record_tags"])
        line = next((k[2] for k in e["rowset"]), None)
        key = (e["rule"], line, e["household_id"], e["mkey"][1])
        e["_t"] = t
        E[key] = e
    matched = {}  # expected key -> best band
    P = []
    for c in cands:
        if c["rule"] == STALE_RULE:
            continue
        line = staff_line_of(c)
        key = (c["rule"], line, c["household_id"], c["mkey"][1])
        c["_level"] = levels.get(c.get("candidate_id", ""), "")
        c["_exp"] = E.get(key)
        c["_pair"] = pairs.get((line, c["household_id"], c["mkey"][1]))
        c["_line"] = line
        if c["_exp"] is not None:
            if matched.get(key) != "candidate":
                matched[key] = c["band"]
        P.append(c)

    def true_plain(c):
        e = c["_exp"]
        if e is None:
            return False
        return not (c["rule"] == "undeclared_relative" and "review_only" in e["_t"])

    def cause(c):
        pr = c["_pair"]
        e = c["_exp"]
        if e is not None:
            return "weak evidence made a plain candidate (review only)"
        if pr is None:
            return "pair unknown to truth (staff member and recipient not related)"
        kind = pr["kind"]
        if kind in ("namesake", "neighbour"):
            return f"{kind} decoy"
        if pr["staff_in_office"] == "0":
            return "staff member not in office on the check date"
        if c["rule"] == "staff_recipient":
            return "a relative, not the staff member"
        if c["rule"] == "undeclared_relative":
            if pr["declared"] == "1":
                return "declared in the register"
            if kind == "self":
                return "the staff member himself"
            if pr["evidence"] == "none":
                return "relative with no evidence in the data"
        if c["rule"] == "case_worker_conflict":
            if pr["case_worker_same_village"] == "0":
                return "not a case worker serving the household's village"
            if pr["evidence"] == "none" and pr["declared"] == "0":
                return "relative with no evidence in the data"
        return "other"

    def block(exp_keys, preds):
        plain = [c for c in preds if c["band"] == "candidate"]
        review = [c for c in preds if c["band"] != "candidate"]
        tp = sum(1 for c in plain if true_plain(c))
        fp = sum(1 for k in exp_keys if matched.get(k) == "candidate")
        fa = sum(1 for k in exp_keys if k in matched)
        return {"expected": len(exp_keys), "found_plain": fp, "found_review_only": fa - fp,
                "recall_plain": ratio(fp, len(exp_keys)), "recall_plain_or_review": ratio(fa, len(exp_keys)),
                "predicted": len(preds), "plain": len(plain), "plain_true": tp,
                "plain_precision": ratio(tp, len(plain)), "review": len(review),
                "review_true": sum(1 for c in review if c["_exp"] is not None),
                "review_share": ratio(len(review), len(preds))}

    res = {"evidence_jsonl": have_evidence, "by_rule": {}, "undeclared_relative_by_truth_level": {},
           "undeclared_relative_by_reported_level": {}}
    for rule in STAFF_RULES:
        keys = [k for k in E if k[0] == rule]
        res["by_rule"][rule] = block(keys, [c for c in P if c["rule"] == rule])
    ur = [c for c in P if c["rule"] == "undeclared_relative"]
    for lvl in ("strong", "medium", "weak"):
        keys = [k for k, e in E.items() if k[0] == "undeclared_relative" and e["_t"].get("evidence") == lvl]
        # predictions by the truth level of the pair they hit (false ones have no level)
        preds = [c for c in ur if c["_exp"] is not None and c["_exp"]["_t"].get("evidence") == lvl]
        d = block(keys, preds)
        d.pop("predicted"), d.pop("review_share")
        if lvl == "weak":
            d["weak_made_plain"] = sum(1 for c in preds if c["band"] == "candidate")
        res["undeclared_relative_by_truth_level"][lvl] = d
    for lvl in sorted({c["_level"] for c in ur} | {"strong", "medium", "weak"}):
        preds = [c for c in ur if c["_level"] == lvl]
        plain = [c for c in preds if c["band"] == "candidate"]
        res["undeclared_relative_by_reported_level"][lvl or "(none)"] = {
            "plain": len(plain), "plain_true": sum(1 for c in plain if true_plain(c)),
            "plain_precision": ratio(sum(1 for c in plain if true_plain(c)), len(plain)),
            "review": len(preds) - len(plain), "review_share": ratio(len(preds) - len(plain), len(preds))}
    conf = collections.Counter()
    for c in ur:
        if c["_exp"] is not None:
            conf[f"{c['_exp']['_t'].get('evidence')} -> {c['_level'] or '(none)'}"] += 1
    res["undeclared_relative_level_agreement (truth -> reported)"] = dict(sorted(conf.items()))
    # subsets worth seeing on their own
    sub = {}
    for name, pred in (("relatives in the staff member's own recipient household", lambda e: "self_household" in e["_t"]),
                       ("relatives constructed apart", lambda e: "self_household" not in e["_t"])):
        keys = [k for k, e in E.items() if k[0] == "undeclared_relative" and pred(e)]
        sub[name] = {"expected": len(keys), "found": sum(1 for k in keys if k in matched),
                     "found_plain": sum(1 for k in keys if matched.get(k) == "candidate")}
    res["undeclared_relative_subsets"] = sub
    basis = {}
    for k, e in E.items():
        if k[0] != "case_worker_conflict":
            continue
        b = "declared" if e["_t"].get("declared") == "1" else "evidence " + e["_t"].get("evidence", "")
        d = basis.setdefault(b, {"expected": 0, "found_plain": 0, "found_review_only": 0})
        d["expected"] += 1
        if matched.get(k) == "candidate":
            d["found_plain"] += 1
        elif k in matched:
            d["found_review_only"] += 1
    res["case_worker_conflict_by_basis"] = dict(sorted(basis.items()))
    # declared pairs must never be candidates
    res["declared_pairs_flagged_undeclared"] = sum(
        1 for c in ur if c["_pair"] is not None and c["_pair"]["declared"] == "1")
    fc = collections.Counter()
    flist = []
    for c in P:
        if c["band"] != "candidate" or true_plain(c):
            continue
        why = f"{c['rule']}: {cause(c)}"
        fc[why] += 1
        if len(flist) < 20:
            flist.append({"candidate_id": c.get("candidate_id", ""), "rule": c["rule"], "household_id": c["household_id"],
                          "member": c.get("member_name", ""), "member_id": c.get("member_id", ""),
                          "record_key": c.get("record_key", ""), "staff_line": c["_line"], "level": c["_level"],
                          "cause": cause(c)})
    res["false_plain_causes"] = dict(fc.most_common())
    res["false_plain_first20"] = flist
    mc = collections.Counter()
    mlist = []
    for k, e in E.items():
        if k in matched:
            continue
        st = row_tags.get(k[1], "")
        defects = sorted(t for t in st.split(";") if t.startswith("id_") or t.startswith("name_") or t == "date_other_spelling")
        why = f"{k[0]} ({e['_t'].get('evidence') or e['_t'].get('kind')})" + (f" staff row: {','.join(defects)}" if defects else "")
        mc[why] += 1
        if len(mlist) < 20:
            mlist.append({"rule": k[0], "household_id": k[2], "member": e["member_name"], "member_id": e["member_id"],
                          "staff_line": k[1], "record_key": e["record_key"], "tags": e["record_tags"],
                          "staff_row_tags": st})
    res["missed_causes"] = dict(mc.most_common())
    res["missed_first20"] = mlist

    # ---------------------------------------------------------------- register_stale
    sp = [c for c in cands if c["rule"] == STALE_RULE]
    # hedui writes stale register rows to register_stale.csv (hygiene, not candidates):
    # each row there is a plain finding of its line.
    sfile = os.path.join(run, "register_stale.csv")
    if not sp and os.path.exists(sfile):
        with open(sfile, encoding="utf-8", newline="") as f:
            seen_lines = set()
            for row in csv.DictReader(f):
                if row.get("line", "").isdigit() and row["line"] not in seen_lines:
                    seen_lines.add(row["line"])
                    sp.append({"rule": STALE_RULE, "record_key": "line:" + row["line"],
                               "line": row["line"], "band": "candidate"})
    found = {}
    splain = 0
    stp = 0
    sfalse = []
    for c in sp:
        k = (c.get("record_key") or "").strip()
        line = int(k[5:]) if k.startswith("line:") and k[5:].strip().isdigit() else (
            int(c["line"]) if str(c.get("line") or "").isdigit() else None)
        ok = line in stale
        if ok and found.get(line) != "candidate":
            found[line] = c["band"]
        if c["band"] == "candidate":
            splain += 1
            stp += ok
            if not ok and len(sfalse) < 20:
                sfalse.append(line)
    by_reason = {}
    for line, reason in stale.items():
        d = by_reason.setdefault(reason, {"expected": 0, "found_plain": 0, "found_review_only": 0})
        d["expected"] += 1
        if found.get(line) == "candidate":
            d["found_plain"] += 1
        elif line in found:
            d["found_review_only"] += 1
    res["register_stale"] = {
        "expected": len(stale), "found_plain": sum(1 for b in found.values() if b == "candidate"),
        "found_review_only": sum(1 for b in found.values() if b != "candidate"),
        "predicted": len(sp), "plain": splain, "plain_true": stp,
        "plain_precision": ratio(stp, splain),
        "recall_plain": ratio(sum(1 for b in found.values() if b == "candidate"), len(stale)),
        "recall_plain_or_review": ratio(len(found), len(stale)),
        "review": len(sp) - splain, "review_share": ratio(len(sp) - splain, len(sp)),
        "by_reason": by_reason, "false_plain_lines_first20": sfalse}
    # ---------------------------------------------------------------- the new files' rows (all expected accepted)
    rq = collections.Counter(f"{r['row'][0]}: {r.get('reason', '')}" for r in rejects)
    res["rejected_rows_in_new_files (truth expects none)"] = dict(sorted(rq.items()))
    return res


def print_relatives(r):
    print("\n== Favour enrolment: staff rules (staff.csv, relatives_register.csv, hukou.csv) ==")
    if not r["evidence_jsonl"]:
        print("  (no evidence.jsonl in the run: undeclared_relative cannot be split by reported level)")
    hdr = (f"  {'':34s} {'expected':>8s} {'found':>6s} {'in rev':>6s} {'recall':>7s} {'+rev':>7s} "
           f"{'plain':>6s} {'true':>6s} {'prec.':>7s} {'review':>6s} {'share':>7s}")
    print(hdr)

    def line(name, d):
        f = lambda v: "-" if v is None else v
        print(f"  {name:34s} {d['expected']:8d} {d['found_plain']:6d} {d['found_review_only']:6d} "
              f"{f(d['recall_plain']):>7} {f(d['recall_plain_or_review']):>7} {d['plain']:6d} {d['plain_true']:6d} "
              f"{f(d['plain_precision']):>7} {d['review']:6d} {f(d.get('review_share')):>7}")
    for rule, d in r["by_rule"].items():
        line(rule, d)
    for lvl, d in r["undeclared_relative_by_truth_level"].items():
        line(f"  undeclared_relative, {lvl}", d)
    rs = r["register_stale"]
    line("register_stale", rs)
    for reason, d in rs["by_reason"].items():
        print(f"    {reason:32s} expected {d['expected']}, found plain {d['found_plain']}, "
              f"review only {d['found_review_only']}")
    print("  (recall: plain only; +rev: review rows counted as found; precision on plain candidates; weak"
          " undeclared relatives are review-only, so a plain one counts as false)")
    if r["undeclared_relative_by_truth_level"].get("weak", {}).get("weak_made_plain"):
        print(f"  weak evidence made plain: {r['undeclared_relative_by_truth_level']['weak']['weak_made_plain']}")
    print("  undeclared_relative by the level hedui reported:")
    for lvl, d in r["undeclared_relative_by_reported_level"].items():
        print(f"    {lvl:8s} plain {d['plain']} (true {d['plain_true']}, precision {d['plain_precision']}), "
              f"review {d['review']} (share {d['review_share']})")
    agree = r["undeclared_relative_level_agreement (truth -> reported)"]
    if agree:
        print("  level agreement (truth -> reported): " + ", ".join(f"{k}: {v}" for k, v in agree.items()))
    for name, d in r["undeclared_relative_subsets"].items():
        print(f"  undeclared_relative, {name}: expected {d['expected']}, found {d['found']} ({d['found_plain']} plain)")
    for b, d in r["case_worker_conflict_by_basis"].items():
        print(f"  case_worker_conflict on {b}: expected {d['expected']}, found plain {d['found_plain']}, "
              f"review only {d['found_review_only']}")
    print(f"  declared pairs flagged as undeclared_relative (must be 0): {r['declared_pairs_flagged_undeclared']}")
    if r["false_plain_causes"]:
        print("  false plain candidates by cause:")
        for k, v in r["false_plain_causes"].items():
            print(f"    {v:5d}  {k}")
    if r["missed_causes"]:
        print("  missed expected candidates:")
        for k, v in r["missed_causes"].items():
            print(f"    {v:5d}  {k}")
    if r["false_plain_first20"]:
        print("  false plain candidates (first 20):")
        for x in r["false_plain_first20"]:
            print(f"    {x['candidate_id']} {x['rule']} hh {x['household_id']} {x['member']} staff line {x['staff_line']} "
                  f"[{x['level']}] {x['cause']}")
    if r["missed_first20"]:
        print("  missed (first 20):")
        for x in r["missed_first20"]:
            print(f"    {x['rule']} hh {x['household_id']} {x['member']} staff line {x['staff_line']} [{x['tags']}]"
                  + (f" staff row [{x['staff_row_tags']}]" if x["staff_row_tags"] else ""))
    if rs["false_plain_lines_first20"]:
        print(f"  register_stale false plain lines: {rs['false_plain_lines_first20']}")
    rq = r["rejected_rows_in_new_files (truth expects none)"]
    if rq:
        print("  rejected rows in the new files (truth expects none): "
              + ", ".join(f"{k} {v}" for k, v in rq.items()))


def main(argv=None):
    ap = argparse.ArgumentParser(description="Score a hedui check run against an independent world's truth.")
    ap.add_argument("--world", required=True, help="folder written by gen.py (holds truth/)")
    ap.add_argument("--run", required=True, help="output folder of `hedui check`")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON document")
    a = ap.parse_args(argv)
    res = score(a.world, a.run)
    if a.json:
        json.dump(res, sys.stdout, ensure_ascii=False, indent=2, default=list)
        print()
    else:
        print_report(res)


if __name__ == "__main__":
    main()
