//! Variant filters that explain themselves.
//!
//! Every allele of every record either passes or is removed for a [`FilterReason`]. Filters are
//! applied in the order of [`FilterReason`]'s declaration; the first failing one is the
//! *primary* reason, which the [`FilterSummary`] counts (so the counts add up to the removed
//! total). For alleles named by an [`ExplainQuery`] every filter is evaluated and all failing
//! reasons are reported.
//!
//! Defaults ([`FilterConfig::default`]):
//!
//! | filter | default | applies to |
//! |---|---|---|
//! | FILTER column | PASS or `.` required | record |
//! | QUAL | ≥ 20 | record |
//! | GQ | ≥ 20 | proband |
//! | DP | ≥ 8 | proband |
//! | allele balance (AD) | 0.2-0.8 for heterozygous, ≥ 0.8 for homozygous ALT calls | proband |
//! | population AF | above the highest per-mode maximum (2%) removes the allele | allele |
//! | per-mode maximum AF | AD 0.1%, de novo 0.1%, AR homozygous 0.1%, AR compound heterozygous 2%, XD 0.1%, XR hemizygous/homozygous 0.1%, XR compound heterozygous 2%, MT 0.2% (Exomiser's defaults) | mode compatibility |
//! | homozygotes in the population | > 10 makes AR-homozygous incompatible; > 10 hemizygotes make XR-hemizygous incompatible (slivar's rare-disease defaults, Pedersen et al. 2021) | mode compatibility |
//! | consequence | synonymous, intronic (not splice), upstream/downstream, intergenic, regulatory, non-coding-transcript intronic, NMD-only and unknown effects are removed, unless ClinVar P/LP (≥ 1 star) or SpliceAI ≥ 0.5 | gene |
//! | gene panel, BED regions | off | allele |
//!
//! The SpliceAI cut-off 0.5 is the authors' recommended threshold (Jaganathan et al. 2019).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::str::FromStr;

use odyssey_genome::{Chrom, Consequence};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};

/// Why an allele was removed, in the order filters are applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilterReason {
    /// The contig is not a primary chromosome (alt, decoy, unplaced).
    NonPrimaryContig,
    /// Symbolic (`<DEL>`), breakend, spanning-deletion (`*`) or non-ACGTN allele, an ALT
    /// identical to REF (no change; also reported in the warnings), or a record at POS 0.
    UnsupportedAllele,
    /// The proband does not carry the allele.
    NotInProband,
    /// The FILTER column is neither PASS nor `.`.
    FailedFilter,
    /// QUAL below the minimum.
    LowQual,
    /// Proband GQ below the minimum.
    LowGenotypeQuality,
    /// Proband DP below the minimum.
    LowDepth,
    /// Proband allele balance (from AD) outside the accepted range.
    AlleleBalance,
    /// Outside the BED regions.
    OutsideRegions,
    /// In no gene (intergenic).
    NoGene,
    /// In no gene of the panel.
    NotInPanel,
    /// Population AF above the highest per-mode maximum.
    Frequency,
    /// In-house AF above the highest per-mode maximum.
    LocalFrequency,
    /// Consequence in the removed set (synonymous, deep intronic...) without rescue.
    Consequence,
    /// ClinVar benign/likely benign with enough review stars (off by default).
    ClinvarBenign,
    /// The same allele (chromosome, position, REF, ALT after splitting and trimming) as an
    /// earlier passing record: the VCF holds it twice; the first is kept (also warned about).
    DuplicateRecord,
}

impl FilterReason {
    /// Every reason, in application order.
    pub const ALL: [FilterReason; 16] = [
        FilterReason::NonPrimaryContig,
        FilterReason::UnsupportedAllele,
        FilterReason::NotInProband,
        FilterReason::FailedFilter,
        FilterReason::LowQual,
        FilterReason::LowGenotypeQuality,
        FilterReason::LowDepth,
        FilterReason::AlleleBalance,
        FilterReason::OutsideRegions,
        FilterReason::NoGene,
        FilterReason::NotInPanel,
        FilterReason::Frequency,
        FilterReason::LocalFrequency,
        FilterReason::Consequence,
        FilterReason::ClinvarBenign,
        FilterReason::DuplicateRecord,
    ];

    /// Snake-case name as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FilterReason::NonPrimaryContig => "non_primary_contig",
            FilterReason::UnsupportedAllele => "unsupported_allele",
            FilterReason::NotInProband => "not_in_proband",
            FilterReason::FailedFilter => "failed_filter",
            FilterReason::LowQual => "low_qual",
            FilterReason::LowGenotypeQuality => "low_genotype_quality",
            FilterReason::LowDepth => "low_depth",
            FilterReason::AlleleBalance => "allele_balance",
            FilterReason::OutsideRegions => "outside_regions",
            FilterReason::NoGene => "no_gene",
            FilterReason::NotInPanel => "not_in_panel",
            FilterReason::Frequency => "frequency",
            FilterReason::LocalFrequency => "local_frequency",
            FilterReason::Consequence => "consequence",
            FilterReason::ClinvarBenign => "clinvar_benign",
            FilterReason::DuplicateRecord => "duplicate_record",
        }
    }
}

impl std::fmt::Display for FilterReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Maximum population allele frequency (fraction, not percent) per inheritance pattern.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModeFrequencies {
    /// Autosomal dominant (inherited or segregating).
    pub autosomal_dominant: f32,
    /// De novo (autosomal or X).
    pub de_novo: f32,
    /// Autosomal recessive, homozygous.
    pub autosomal_recessive_homozygous: f32,
    /// Autosomal recessive, compound heterozygous (each allele).
    pub autosomal_recessive_compound_het: f32,
    /// X-linked dominant.
    pub x_dominant: f32,
    /// X-linked recessive, hemizygous or homozygous.
    pub x_recessive_homozygous: f32,
    /// X-linked recessive, compound heterozygous (each allele).
    pub x_recessive_compound_het: f32,
    /// Mitochondrial.
    pub mitochondrial: f32,
    /// Y-linked.
    pub y_linked: f32,
}

impl Default for ModeFrequencies {
    /// Exomiser's default maxima (0.1%, 0.1%, 2%, 0.1%, 0.1%, 2%, 0.2%), with de novo and
    /// Y-linked at 0.1%.
    fn default() -> Self {
        ModeFrequencies {
            autosomal_dominant: 0.001,
            de_novo: 0.001,
            autosomal_recessive_homozygous: 0.001,
            autosomal_recessive_compound_het: 0.02,
            x_dominant: 0.001,
            x_recessive_homozygous: 0.001,
            x_recessive_compound_het: 0.02,
            mitochondrial: 0.002,
            y_linked: 0.001,
        }
    }
}

impl ModeFrequencies {
    /// The highest maximum: alleles above it cannot fit any mode and are removed.
    pub fn highest(&self) -> f32 {
        [
            self.autosomal_dominant,
            self.de_novo,
            self.autosomal_recessive_homozygous,
            self.autosomal_recessive_compound_het,
            self.x_dominant,
            self.x_recessive_homozygous,
            self.x_recessive_compound_het,
            self.mitochondrial,
            self.y_linked,
        ]
        .into_iter()
        .fold(0.0, f32::max)
    }
}

/// Settings for calling a variant de novo in a trio.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeNovoConfig {
    /// Minimum read depth of each parent.
    pub min_parent_dp: u32,
    /// Minimum genotype quality of each parent (when GQ is present).
    pub min_parent_gq: f32,
    /// Maximum fraction of ALT reads in a parent (when AD is present).
    pub max_parent_alt_fraction: f32,
}

impl Default for DeNovoConfig {
    /// DP ≥ 10, GQ ≥ 20, ALT fraction ≤ 5%.
    fn default() -> Self {
        DeNovoConfig {
            min_parent_dp: 10,
            min_parent_gq: 20.0,
            max_parent_alt_fraction: 0.05,
        }
    }
}

/// All filter settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FilterConfig {
    /// Require FILTER = PASS or `.`.
    pub require_pass: bool,
    /// Minimum QUAL (records with QUAL `.` pass).
    pub min_qual: f32,
    /// Minimum proband GQ (calls without GQ pass).
    pub min_gq: f32,
    /// Minimum proband DP (calls without DP pass).
    pub min_dp: u32,
    /// Accepted ALT read fraction of a heterozygous proband call (inclusive).
    pub het_allele_balance: (f32, f32),
    /// Minimum ALT read fraction of a homozygous-ALT or hemizygous proband call.
    pub hom_alt_min_allele_balance: f32,
    /// Maximum population AF per pattern.
    pub max_af: ModeFrequencies,
    /// AR-homozygous patterns need at most this many population homozygotes.
    pub max_population_homozygotes: u32,
    /// XR-hemizygous patterns need at most this many population hemizygotes.
    pub max_population_hemizygotes: u32,
    /// Consequences removed unless rescued.
    pub remove_consequences: BTreeSet<Consequence>,
    /// SpliceAI delta score that rescues a removed consequence.
    pub splice_rescue: f32,
    /// Minimum ClinVar stars of a P/LP assertion that rescues a removed consequence.
    pub clinvar_rescue_min_stars: u8,
    /// Remove ClinVar B/LB assertions with at least this many stars (`None`: keep them).
    pub clinvar_benign_min_stars: Option<u8>,
    /// De novo calling.
    pub de_novo: DeNovoConfig,
    /// Gene panel (HGNC symbols); `None`: all genes.
    pub gene_panel: Option<BTreeSet<String>>,
    /// BED regions; `None`: genome-wide.
    #[serde(skip)]
    pub regions: Option<Regions>,
}

/// The consequences removed by default (see the module docs).
pub fn default_removed_consequences() -> BTreeSet<Consequence> {
    use Consequence::*;
    [
        SynonymousVariant,
        StartRetainedVariant,
        StopRetainedVariant,
        IntronVariant,
        NmdTranscriptVariant,
        NonCodingTranscriptVariant,
        CodingTranscriptVariant,
        UpstreamGeneVariant,
        DownstreamGeneVariant,
        TfbsAblation,
        TfbsAmplification,
        TfBindingSiteVariant,
        RegulatoryRegionAblation,
        RegulatoryRegionAmplification,
        RegulatoryRegionVariant,
        IntergenicVariant,
        SequenceVariant,
    ]
    .into_iter()
    .collect()
}

impl Default for FilterConfig {
    fn default() -> Self {
        FilterConfig {
            require_pass: true,
            min_qual: 20.0,
            min_gq: 20.0,
            min_dp: 8,
            het_allele_balance: (0.2, 0.8),
            hom_alt_min_allele_balance: 0.8,
            max_af: ModeFrequencies::default(),
            max_population_homozygotes: 10,
            max_population_hemizygotes: 10,
            remove_consequences: default_removed_consequences(),
            splice_rescue: 0.5,
            clinvar_rescue_min_stars: 1,
            clinvar_benign_min_stars: None,
            de_novo: DeNovoConfig::default(),
            gene_panel: None,
            regions: None,
        }
    }
}

/// Counts of alleles by outcome.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FilterSummary {
    /// VCF records read.
    pub records: u64,
    /// Alleles after splitting multi-allelic records.
    pub alleles: u64,
    /// Alleles that passed every filter.
    pub passed: u64,
    /// Removed alleles by primary reason (all reasons listed, zeros included).
    pub removed: BTreeMap<FilterReason, u64>,
}

impl FilterSummary {
    pub(crate) fn new() -> Self {
        FilterSummary {
            removed: FilterReason::ALL.iter().map(|r| (*r, 0)).collect(),
            ..Default::default()
        }
    }

    /// Total removed.
    pub fn removed_total(&self) -> u64 {
        self.removed.values().sum()
    }
}

/// Half-open intervals per chromosome from a BED file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Regions {
    by_chrom: BTreeMap<Chrom, Vec<(u32, u32)>>,
}

impl Regions {
    /// Reads a BED file (plain or gzip): chrom, 0-based start, end; header/track/browser and
    /// `#` lines skipped; non-primary contigs ignored. Overlapping intervals are merged.
    /// Errors: fewer than three columns, non-numeric or reversed coordinates (file and line).
    pub fn from_bed(path: &Path) -> Result<Regions> {
        use std::io::BufRead;
        let r = crate::sources::text::open_text(path)?;
        let mut by_chrom: BTreeMap<Chrom, Vec<(u32, u32)>> = BTreeMap::new();
        for (i, line) in r.lines().enumerate() {
            let line = line.map_err(|e| Error::io(path, e))?;
            let t = line.trim();
            if t.is_empty()
                || t.starts_with('#')
                || t.starts_with("track")
                || t.starts_with("browser")
            {
                continue;
            }
            let f: Vec<&str> = t.split('\t').collect();
            let loc = Location::Line(i as u64 + 1);
            if f.len() < 3 {
                return Err(Error::parse(
                    path,
                    loc,
                    "expected at least 3 tab-separated BED columns (chrom, start, end)",
                ));
            }
            let (Ok(s), Ok(e)) = (f[1].parse::<u32>(), f[2].parse::<u32>()) else {
                return Err(Error::parse(
                    path,
                    loc,
                    format!(
                        "start {:?} and end {:?} must be non-negative integers",
                        f[1], f[2]
                    ),
                ));
            };
            if e < s {
                return Err(Error::parse(
                    path,
                    loc,
                    format!("end {e} is before start {s}"),
                ));
            }
            let Ok(c) = f[0].parse::<Chrom>() else {
                continue;
            };
            by_chrom.entry(c).or_default().push((s, e));
        }
        for v in by_chrom.values_mut() {
            v.sort_unstable();
            let mut merged: Vec<(u32, u32)> = Vec::with_capacity(v.len());
            for &(s, e) in v.iter() {
                match merged.last_mut() {
                    Some(last) if s <= last.1 => last.1 = last.1.max(e),
                    _ => merged.push((s, e)),
                }
            }
            *v = merged;
        }
        Ok(Regions { by_chrom })
    }

    /// True when the 1-based closed span `[start, end]` overlaps a region.
    pub fn overlaps(&self, chrom: Chrom, start: u32, end: u32) -> bool {
        let Some(v) = self.by_chrom.get(&chrom) else {
            return false;
        };
        // 1-based [start,end] is 0-based [start-1, end)
        let (s0, e0) = (start - 1, end);
        let i = v.partition_point(|r| r.1 <= s0);
        i < v.len() && v[i].0 < e0
    }

    /// Number of intervals after merging.
    pub fn len(&self) -> usize {
        self.by_chrom.values().map(Vec::len).sum()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Reads a gene panel: one HGNC symbol per line (or comma/whitespace separated), `#` comments.
pub fn read_gene_panel(path: &Path) -> Result<BTreeSet<String>> {
    let text = odyssey_genome::text::read_text_file(path).map_err(|e| Error::io(path, e))?;
    let set: BTreeSet<String> = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .flat_map(|l| l.split(|c: char| c == ',' || c.is_whitespace()))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if set.is_empty() {
        return Err(Error::parse(
            path,
            Location::File,
            "no gene symbols in the panel file",
        ));
    }
    Ok(set)
}

/// What `--explain` asks about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExplainQuery {
    /// Every allele of records starting at this position (1-based, as in the VCF).
    Position {
        /// Chromosome.
        chrom: Chrom,
        /// VCF position.
        pos: u32,
    },
    /// Every allele annotated to this gene (HGNC symbol, case-sensitive).
    Gene(String),
}

impl FromStr for ExplainQuery {
    type Err = Error;
    /// `CHROM:POS` (e.g. `10:123256215`, `chrX:1000`) or a gene symbol.
    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim();
        if let Some((c, p)) = s.rsplit_once(':') {
            if let (Ok(chrom), Ok(pos)) = (c.parse::<Chrom>(), p.replace(',', "").parse::<u32>()) {
                return Ok(ExplainQuery::Position { chrom, pos });
            }
            return Err(Error::config(
                "--explain",
                format!("{s:?} is neither CHROM:POS (e.g. 10:123256215) nor a gene symbol"),
            ));
        }
        if s.is_empty() || s.contains(char::is_whitespace) {
            return Err(Error::config(
                "--explain",
                format!("{s:?} is neither CHROM:POS nor a gene symbol"),
            ));
        }
        Ok(ExplainQuery::Gene(s.to_string()))
    }
}

impl std::fmt::Display for ExplainQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExplainQuery::Position { chrom, pos } => write!(f, "{chrom}:{pos}"),
            ExplainQuery::Gene(g) => f.write_str(g),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bed_overlap_is_half_open() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.bed");
        std::fs::write(
            &p,
            "track name=x\nchr1\t99\t200\n1\t150\t300\nchrUn\t1\t5\n2\t10\t20\n",
        )
        .unwrap();
        let r = Regions::from_bed(&p).unwrap();
        assert_eq!(r.len(), 2); // chr1 merged to [99,300), chr2 [10,20)
        let c1 = Chrom::autosome(1).unwrap();
        assert!(!r.overlaps(c1, 99, 99)); // 1-based 99 = 0-based 98
        assert!(r.overlaps(c1, 100, 100));
        assert!(r.overlaps(c1, 300, 300));
        assert!(!r.overlaps(c1, 301, 301));
        assert!(r.overlaps(c1, 90, 100)); // deletion spanning the start
        std::fs::write(&p, "1\t10\n").unwrap();
        assert!(Regions::from_bed(&p)
            .unwrap_err()
            .to_string()
            .contains("line 1"));
        std::fs::write(&p, "1\t10\t5\n").unwrap();
        assert!(Regions::from_bed(&p)
            .unwrap_err()
            .to_string()
            .contains("before start"));
    }

    #[test]
    fn explain_queries() {
        assert_eq!(
            "chr10:123,256,215".parse::<ExplainQuery>().unwrap(),
            ExplainQuery::Position {
                chrom: Chrom::autosome(10).unwrap(),
                pos: 123_256_215
            }
        );
        assert_eq!(
            "FGFR2".parse::<ExplainQuery>().unwrap(),
            ExplainQuery::Gene("FGFR2".into())
        );
        assert!("chr10:abc".parse::<ExplainQuery>().is_err());
    }

    #[test]
    fn highest_mode_frequency() {
        assert_eq!(ModeFrequencies::default().highest(), 0.02);
    }
}
