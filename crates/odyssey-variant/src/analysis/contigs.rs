//! Records on contigs outside the primary assembly: counted per contig, one warning.

use std::path::Path;

use odyssey_genome::Assembly;

use crate::error::Location;

/// Records on contigs that are not primary chromosomes, by contig in first-seen order:
/// (name, records, first location).
#[derive(Default)]
pub(super) struct SkippedContigs(Vec<(String, u64, Location)>);

impl SkippedContigs {
    pub(super) fn add(&mut self, name: &str, location: Location) {
        match self.0.iter_mut().find(|(n, _, _)| n == name) {
            Some(e) => e.1 += 1,
            None => self.0.push((name.to_string(), 1, location)),
        }
    }

    /// The warning, `None` when nothing was skipped. Names that PLINK uses for X, Y, XY and
    /// MT (23-26) get a renaming hint.
    pub(super) fn warning(&self, path: &Path, assembly: Assembly) -> Option<String> {
        if self.0.is_empty() {
            return None;
        }
        let total: u64 = self.0.iter().map(|e| e.1).sum();
        let shown: Vec<String> = self
            .0
            .iter()
            .take(8)
            .map(|(n, k, l)| {
                if *k == 1 {
                    format!("{n} ({l})")
                } else {
                    format!("{n} ({k} records, first at {l})")
                }
            })
            .collect();
        let plink = self.0.iter().any(|(n, _, _)| {
            let bare = n.strip_prefix("chr").unwrap_or(n);
            matches!(bare, "23" | "24" | "25" | "26")
        });
        Some(format!(
            "{}: {total} record(s) on contigs outside the primary {assembly} assembly (1-22, X, Y, MT) were skipped: {}{}{}",
            path.display(),
            shown.join(", "),
            if self.0.len() > 8 { format!(", ... ({} contigs)", self.0.len()) } else { String::new() },
            if plink {
                "; PLINK numbers X, Y, XY and MT as 23, 24, 25 and 26: rename these contigs (e.g. bcftools annotate --rename-chrs) to analyse them"
            } else {
                ""
            }
        ))
    }
}
