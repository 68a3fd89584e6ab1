//! Renders the test fixtures into `report/` (the folder form), `report.html`,
//! `report-masked.html` and `candidates.xlsx` under the directory given (default
//! `out/sample-report`): the evidence crate's views without a check, to look at while
//! changing a template (`just report-shots out/sample-report`).

#[path = "../tests/it/common/mod.rs"]
mod common;

use std::path::PathBuf;

use hedui_evidence::{Masker, write_report_folder, write_report_html, write_worksheet_xlsx};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "out/sample-report".to_owned()),
    );
    std::fs::create_dir_all(&dir)?;
    let records = common::records();
    for (file, enabled) in [("report.html", false), ("report-masked.html", true)] {
        let mut out = std::fs::File::create(dir.join(file))?;
        write_report_html(
            &mut out,
            &common::meta(enabled),
            &records,
            Masker { enabled },
        )?;
    }
    write_report_folder(
        &dir.join("report"),
        &common::meta(false),
        &records,
        Masker { enabled: false },
    )?;
    write_worksheet_xlsx(
        &dir.join("candidates.xlsx"),
        &records,
        None,
        Masker { enabled: false },
    )?;
    println!("{}", dir.display());
    Ok(())
}
