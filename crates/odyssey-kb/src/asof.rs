//! The knowledge base as its annotations stood on a date (`odyssey kb build --as-of`).
//!
//! Every `phenotype.hpoa` row has a `biocuration` field listing one or more curation
//! entries `SOURCE:curator[YYYY-MM-DD]` separated by `;`, e.g.
//! `HPO:lccarmody[2018-10-03];HPO:probinson[2024-03-14]`. A row's date is the **earliest**
//! date of its entries (when the annotation first entered the file); a row is kept when that
//! date is on or before the as-of date (inclusive).
//!
//! Limits of what can be dated, stated wherever an as-of KB is built:
//! * Orphanet rows carry the date of the yearly import (`ORPHA:orphadata[2025-01-16]` in the
//!   2025-01-16 release), not their curation date: an as-of date before the import drops every
//!   Orphanet row, so an as-of KB dates only the OMIM and DECIPHER rows.
//! * A row with no parsable date (none in the 2025-01-16 release) is **kept**: its age cannot be
//!   shown, and keeping it can only make the older KB better, so a reanalysis yield measured
//!   with it is a lower bound. Such rows are counted in [`AsOfReport::undated_kept`].
//! * The ontology (`hp.obo`) and the gene–disease links (`genes_to_phenotype.txt`) carry no
//!   dates and stay those of the release; a link whose disease lost all its rows disappears
//!   with the disease, and information content is recomputed from the rows kept.

use std::fmt;
use std::str::FromStr;

use crate::hpoa::HpoaFile;
use crate::id::DiseaseDb;

/// A calendar date (proleptic Gregorian), as written `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CurationDate {
    year: u16,
    month: u8,
    day: u8,
}

impl CurationDate {
    /// The date, checked: month 1–12, day within the month (leap years counted).
    pub fn new(year: u16, month: u8, day: u8) -> Option<CurationDate> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (day >= 1 && day <= days).then_some(CurationDate { year, month, day })
    }
}

impl fmt::Display for CurationDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for CurationDate {
    type Err = String;

    /// Parses exactly `YYYY-MM-DD` (four, two and two digits).
    ///
    /// Errors: a message naming the text and the expected form, or the impossible date.
    fn from_str(s: &str) -> Result<CurationDate, String> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10
            || b[4] != b'-'
            || b[7] != b'-'
            || !digits(0..4)
            || !digits(5..7)
            || !digits(8..10)
        {
            return Err(format!("{s:?} is not a date of the form YYYY-MM-DD"));
        }
        let n = |r: std::ops::Range<usize>| s[r].parse::<u16>().expect("checked digits");
        CurationDate::new(n(0..4), n(5..7) as u8, n(8..10) as u8).ok_or_else(|| {
            format!("{s:?} is not a calendar date (month 01-12, day within the month)")
        })
    }
}

/// The earliest date among the `[YYYY-MM-DD]` entries of a `biocuration` field, or `None`
/// when no entry carries a valid date.
pub fn earliest_date(biocuration: &str) -> Option<CurationDate> {
    biocuration
        .split(';')
        .filter_map(|entry| {
            let open = entry.rfind('[')?;
            let inner = entry[open + 1..].trim_end().strip_suffix(']')?;
            inner.parse::<CurationDate>().ok()
        })
        .min()
}

/// What [`filter_as_of`] kept and dropped (counts of `phenotype.hpoa` rows).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AsOfReport {
    /// The as-of date applied.
    pub as_of: Option<CurationDate>,
    /// Rows kept (dated on or before the as-of date, or undated).
    pub kept: usize,
    /// OMIM and DECIPHER rows dropped: dated after the as-of date.
    pub dropped_after: usize,
    /// Orphanet rows dropped: dated after the as-of date (their date is the import date).
    pub dropped_orpha: usize,
    /// Rows without a parsable date, kept (see the module docs).
    pub undated_kept: usize,
}

/// Keeps the rows of `hpoa` whose earliest curation date is on or before `as_of`, plus the
/// undated rows, and counts what was dropped.
pub fn filter_as_of(hpoa: &mut HpoaFile, as_of: CurationDate) -> AsOfReport {
    let mut report = AsOfReport {
        as_of: Some(as_of),
        ..AsOfReport::default()
    };
    hpoa.records
        .retain(|r| match earliest_date(&r.biocuration) {
            None => {
                report.undated_kept += 1;
                report.kept += 1;
                true
            }
            Some(d) if d <= as_of => {
                report.kept += 1;
                true
            }
            Some(_) => {
                if r.disease.db == DiseaseDb::Orpha {
                    report.dropped_orpha += 1;
                } else {
                    report.dropped_after += 1;
                }
                false
            }
        });
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hpoa::parse_hpoa;
    use std::path::Path;

    fn d(s: &str) -> CurationDate {
        s.parse().unwrap()
    }

    #[test]
    fn dates_parse_and_reject_bad_input() {
        assert_eq!(d("2022-01-01").to_string(), "2022-01-01");
        assert_eq!(d("2024-02-29"), CurationDate::new(2024, 2, 29).unwrap());
        for bad in [
            "2023-02-29",
            "1900-02-29",
            "2022-13-01",
            "2022-00-10",
            "2022-04-31",
            "2022-1-01",
            "22-01-01",
            "2022/01/01",
            "",
            "2022-01-01x",
        ] {
            let e = bad.parse::<CurationDate>().unwrap_err();
            assert!(e.contains(&format!("{bad:?}")), "{e}");
        }
        assert!(d("2000-02-29") < d("2000-03-01"));
        assert!(d("2021-12-31") < d("2022-01-01"));
    }

    #[test]
    fn earliest_of_several_entries() {
        assert_eq!(
            earliest_date("HPO:lccarmody[2018-10-03];HPO:probinson[2024-03-14]"),
            Some(d("2018-10-03"))
        );
        // order in the field does not matter
        assert_eq!(
            earliest_date("HPO:probinson[2024-03-14];HPO:lccarmody[2018-10-03]"),
            Some(d("2018-10-03"))
        );
        // an entry without a valid date is skipped, the others count
        assert_eq!(
            earliest_date("HPO:x;HPO:y[2019-13-40];HPO:z[2020-05-06]"),
            Some(d("2020-05-06"))
        );
        assert_eq!(earliest_date("HPO:probinson"), None);
        assert_eq!(earliest_date(""), None);
    }

    const HEADER: &str = "#version: 2025-01-16\ndatabase_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\tfrequency\tsex\tmodifier\taspect\tbiocuration\n";

    fn row(db: &str, curation: &str) -> String {
        format!("{db}\tD\t\tHP:0000002\tPMID:1\tPCS\t\t\t\t\tP\t{curation}\n")
    }

    #[test]
    fn filter_keeps_rows_on_or_before_the_date() {
        let text = [
            HEADER.to_string(),
            row("OMIM:1", "HPO:a[2021-12-31]"), // before: kept
            row("OMIM:2", "HPO:a[2022-01-01]"), // on the date: kept
            row("OMIM:3", "HPO:a[2022-01-02]"), // after: dropped
            row("OMIM:4", "HPO:a[2023-05-01];HPO:b[2019-01-01]"), // earliest 2019: kept
            row("DECIPHER:5", "HPO:a[2024-01-01]"), // after: dropped
            row("ORPHA:6", "ORPHA:orphadata[2025-01-16]"), // import date: dropped
            row("OMIM:7", "HPO:a"),             // undated: kept
        ]
        .concat();
        let mut f = parse_hpoa(&text, Path::new("p.hpoa")).unwrap();
        let rep = filter_as_of(&mut f, d("2022-01-01"));
        let kept: Vec<String> = f.records.iter().map(|r| r.disease.to_string()).collect();
        assert_eq!(kept, ["OMIM:1", "OMIM:2", "OMIM:4", "OMIM:7"]);
        assert_eq!(
            rep,
            AsOfReport {
                as_of: Some(d("2022-01-01")),
                kept: 4,
                dropped_after: 2,
                dropped_orpha: 1,
                undated_kept: 1,
            }
        );
        // the release date itself keeps every row
        let mut f = parse_hpoa(&text, Path::new("p.hpoa")).unwrap();
        let rep = filter_as_of(&mut f, d("2025-01-16"));
        assert_eq!((rep.kept, rep.dropped_after, rep.dropped_orpha), (7, 0, 0));
    }
}
