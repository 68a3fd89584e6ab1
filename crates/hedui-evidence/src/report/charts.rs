//! The report's charts, drawn as inline SVG: no script and no library, so they print, work
//! from `file://` and show the same in every browser. Every label is escaped here.

use std::fmt::Write;

use super::{CountySummary, ReportScores};

/// Colours for rules, in summary order; more rules than colours reuse them.
const PALETTE: [&str; 8] = [
    "#1f6feb", "#d4a72c", "#8250df", "#2da44e", "#cf222e", "#57606a", "#bf8700", "#0a7ea4",
];

fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Candidates (plain and review together) per county, one bar each, cut by rule, with a
/// legend and each county's total at the bar's end.
pub(crate) fn by_county_and_rule(counties: &[CountySummary]) -> String {
    let mut rules: Vec<&str> = Vec::new();
    for c in counties {
        for (rule, _) in &c.rules {
            if !rules.contains(&rule.as_str()) {
                rules.push(rule);
            }
        }
    }
    let colour = |rule: &str| {
        let i = rules.iter().position(|r| *r == rule).unwrap_or(0);
        PALETTE[i % PALETTE.len()]
    };
    let max = counties
        .iter()
        .map(|c| c.subtotal.total)
        .max()
        .unwrap_or(0)
        .max(1);
    let (left, width, row, top) = (120.0, 620.0, 22.0, 8.0);
    let legend_rows = rules.len().div_ceil(3);
    let height = top + row * counties.len() as f64 + 14.0 + 18.0 * legend_rows as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" role="img" aria-label="各县市区线索数（按规则）" viewBox="0 0 {w} {height}" width="{w}" height="{height}">"#,
        w = left + width + 80.0
    );
    for (i, c) in counties.iter().enumerate() {
        let y = top + row * i as f64;
        let _ = write!(
            svg,
            r#"<text x="{x}" y="{ty}" text-anchor="end" class="label">{name}</text>"#,
            x = left - 6.0,
            ty = y + 14.0,
            name = esc(&c.county)
        );
        let mut x = left;
        for (rule, n) in &c.rules {
            let w = n.total as f64 / max as f64 * width;
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="16" fill="{fill}"><title>{county} · {rule}：{total} 条（线索 {cand}，待复核 {review}）</title></rect>"#,
                y = y + 2.0,
                fill = colour(rule),
                county = esc(&c.county),
                rule = esc(rule),
                total = n.total,
                cand = n.candidates,
                review = n.review
            );
            x += w;
        }
        let _ = write!(
            svg,
            r#"<text x="{tx:.1}" y="{ty}" class="value">{total}</text>"#,
            tx = x + 4.0,
            ty = y + 14.0,
            total = c.subtotal.total
        );
    }
    let legend_top = top + row * counties.len() as f64 + 14.0;
    for (i, rule) in rules.iter().enumerate() {
        let x = left + (i % 3) as f64 * 230.0;
        let y = legend_top + (i / 3) as f64 * 18.0;
        let _ = write!(
            svg,
            r#"<rect x="{x}" y="{y}" width="12" height="12" fill="{fill}"/><text x="{tx}" y="{ty}" class="legend">{rule}</text>"#,
            fill = colour(rule),
            tx = x + 16.0,
            ty = y + 11.0,
            rule = esc(rule)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The weight (bits) at which the posterior probability reaches `p`.
fn weight_at(p: f64) -> f64 {
    (p / (1.0 - p)).log2()
}

/// One department's match weights over every compared pair, as a histogram on a log
/// scale (non-matches outnumber matches a thousandfold), with the review and link
/// thresholds drawn as lines: what Splink users read to judge a model.
pub(crate) fn score_distribution(scores: &ReportScores) -> String {
    let bins = scores.counts.len().max(1);
    let (left, width, top, height) = (56.0, 640.0, 24.0, 150.0);
    let bar = width / bins as f64;
    let max = scores.counts.iter().copied().max().unwrap_or(0).max(1);
    let scale = |n: u64| (n as f64 + 1.0).log10() / (max as f64 + 1.0).log10() * height;
    let x_of = |w: f64| left + (w - f64::from(scores.low)) * bar;
    let total: u64 = scores.counts.iter().sum();
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" role="img" aria-label="{dept}匹配得分分布" viewBox="0 0 {w} {h}" width="{w}" height="{h}">"#,
        dept = esc(&scores.department_zh),
        w = left + width + 20.0,
        h = top + height + 52.0
    );
    let _ = write!(
        svg,
        r#"<text x="{left}" y="14" class="title">{dept}：{total} 对比较记录的得分（比特）</text>"#,
        dept = esc(&scores.department_zh)
    );
    // Axes: counts on a log scale at the left, weights in bits along the bottom.
    let base = top + height;
    let _ = write!(
        svg,
        r##"<line x1="{left}" y1="{top}" x2="{left}" y2="{base}" stroke="#8c959f"/><line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="#8c959f"/>"##,
        right = left + width
    );
    let mut tick = 1u64;
    while tick <= max {
        let y = base - scale(tick);
        let _ = write!(
            svg,
            r#"<text x="{x}" y="{ty:.1}" text-anchor="end" class="tick">{tick}</text>"#,
            x = left - 4.0,
            ty = y + 4.0
        );
        tick = tick.saturating_mul(100);
    }
    for (i, &n) in scores.counts.iter().enumerate() {
        if n == 0 {
            continue;
        }
        let w = f64::from(scores.low) + i as f64;
        let h = scale(n);
        let fill = if w >= weight_at(scores.link_threshold) {
            "#2da44e"
        } else if w >= weight_at(scores.review_threshold) {
            "#d4a72c"
        } else {
            "#8c959f"
        };
        let _ = write!(
            svg,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{bw:.1}" height="{h:.1}" fill="{fill}"><title>[{w}, {w1}) 比特：{n} 对</title></rect>"#,
            x = x_of(w),
            y = base - h,
            bw = (bar - 0.5).max(0.5),
            w1 = w + 1.0
        );
    }
    let last = f64::from(scores.low) + bins as f64;
    let mut w = (f64::from(scores.low) / 10.0).ceil() * 10.0;
    while w <= last {
        let _ = write!(
            svg,
            r#"<text x="{x:.1}" y="{y}" text-anchor="middle" class="tick">{w}</text>"#,
            x = x_of(w),
            y = base + 14.0
        );
        w += 10.0;
    }
    for (p, label, colour, dy) in [
        (scores.review_threshold, "待复核阈值", "#bf8700", 30.0),
        (scores.link_threshold, "匹配阈值", "#1a7f37", 44.0),
    ] {
        let at = weight_at(p);
        let x = x_of(at.clamp(f64::from(scores.low), last));
        let _ = write!(
            svg,
            r#"<line x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{base}" stroke="{colour}" stroke-width="1.5" stroke-dasharray="4 3"/><text x="{x:.1}" y="{ty}" text-anchor="middle" class="threshold" fill="{colour}">{label} p={p} ({at:.1} 比特)</text>"#,
            ty = base + dy
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_sit_where_the_probability_is_reached() {
        assert!((weight_at(0.5)).abs() < 1e-12);
        let w = weight_at(0.99);
        assert!((1.0 / (1.0 + (-w).exp2()) - 0.99).abs() < 1e-12);
    }

    #[test]
    fn labels_are_escaped() {
        assert_eq!(
            esc(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
