//! Annotation sources: population frequencies, ClinVar, pathogenicity scores and in-house
//! frequencies, configured in a TOML file ([`config`]) and matched on normalised
//! chrom/pos/ref/alt ([`odyssey_genome::VariantKey`]).
//!
//! Three back ends, chosen per source:
//! * **memory**: small VCF/TSV files are loaded whole into a hash map;
//! * **stream**: large bgzipped VCF/TSV files with a tabix/CSI index are read in position order
//!   alongside the analysed VCF (one index seek per chromosome, not one per variant);
//! * **store**: a compiled `.ostore` file ([`store`], built by `odyssey sources build`) read
//!   through a memory map, for gnomAD-scale sources.

mod checks;
pub mod clinvar;
pub mod config;
mod dupes;
mod keys;
pub(crate) mod parse;
pub mod store;
pub(crate) mod text;
mod values;

use std::collections::BTreeMap;
use std::path::PathBuf;

use odyssey_genome::{Assembly, VariantKey};
use serde::{Deserialize, Serialize};

pub use clinvar::{review_stars, ClinicalSignificance};
pub use config::{read_sources_toml, AccessMode, ResolvedSource, Role, ScoreKind, SourceFormat};
pub use store::{build_store, BuildSummary, StoreReader};

use crate::error::{Error, Result};
use config::{F_AF, F_HEMI, F_NHOMALT, F_POPMAX};
use text::{find_index, IndexedSource, MemorySource};

/// Size above which an indexed source is streamed rather than loaded (`mode = "auto"`).
pub const STREAM_THRESHOLD_BYTES: u64 = 32 << 20;

enum Backend {
    Memory(MemorySource),
    Stream(Box<IndexedSource>),
    Store(Box<StoreReader>),
}

struct OpenSource {
    src: ResolvedSource,
    backend: Backend,
    lookups: u64,
    hits: u64,
}

/// Frequencies from one source for one variant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FrequencyRecord {
    /// Source name.
    pub source: String,
    /// Overall allele frequency.
    pub af: Option<f32>,
    /// popmax/grpmax AF as published by the source.
    pub popmax_af: Option<f32>,
    /// Homozygous individuals.
    pub nhomalt: Option<u32>,
    /// Hemizygous (XY) allele count.
    pub hemizygotes: Option<u32>,
    /// Population AFs (all configured populations, ignored ones included).
    pub populations: BTreeMap<String, f32>,
}

/// ClinVar assertion for one variant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClinVarRecord {
    /// Source name.
    pub source: String,
    /// Aggregate clinical significance.
    pub significance: ClinicalSignificance,
    /// Review stars (0-4).
    pub stars: u8,
}

/// Everything the configured sources know about one variant.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceAnnotations {
    /// Highest allele frequency over frequency sources: each source's overall AF, its
    /// non-ignored population AFs and, when it has no populations configured, its popmax AF.
    pub max_af: Option<f32>,
    /// Where `max_af` comes from, `source:field` (e.g. `gnomad_exomes:AF_nfe`).
    pub af_source: Option<String>,
    /// Per-source frequency records (sources without the variant are omitted).
    pub frequencies: Vec<FrequencyRecord>,
    /// Highest homozygote count over frequency sources.
    pub max_nhomalt: Option<u32>,
    /// Highest hemizygote count over frequency sources.
    pub max_hemizygotes: Option<u32>,
    /// Highest in-house allele frequency.
    pub local_af: Option<f32>,
    /// ClinVar assertion (the first ClinVar source that has the variant).
    pub clinvar: Option<ClinVarRecord>,
    /// Scores by kind (`revel`, `cadd_phred`, `alphamissense`, `spliceai`); the maximum when
    /// several sources give one kind.
    pub scores: BTreeMap<String, f32>,
}

impl SourceAnnotations {
    /// A score by kind.
    pub fn score(&self, kind: ScoreKind) -> Option<f32> {
        self.scores.get(kind.as_str()).copied()
    }
}

/// Provenance of one source after an analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceProvenance {
    /// Source name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Score kind.
    pub score: Option<ScoreKind>,
    /// Files read.
    pub paths: Vec<PathBuf>,
    /// Sizes of the files in bytes.
    pub bytes: Vec<u64>,
    /// Back end used: `memory`, `stream` or `store`.
    pub access: String,
    /// Variants looked up.
    pub lookups: u64,
    /// Variants found.
    pub hits: u64,
}

/// The configured sources, opened.
pub struct SourceSet {
    sources: Vec<OpenSource>,
    warnings: Vec<String>,
}

fn opt(v: f32) -> Option<f32> {
    (!v.is_nan()).then_some(v)
}

impl SourceSet {
    /// No sources.
    pub fn empty() -> SourceSet {
        SourceSet {
            sources: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Notes from opening the sources (population keys of a preset that a file lacks, an
    /// index older than its file).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Opens resolved sources. `assembly` is the analysis assembly; a source file declaring
    /// another assembly (TOML `assembly`, or a store built from such a file) is an error.
    ///
    /// Every configured INFO key (VCF) or column (TSV) must be in the file's header.
    ///
    /// Errors: missing files ([`Error::Config`] naming the sources TOML, the `[[source]]`
    /// table and the file, for sources read from TOML) or indexes; [`Error::Config`] for an
    /// INFO key or column missing from a file's header (naming source, file, key and the keys
    /// the file has); [`Error::AssemblyMismatch`], also for a VCF source whose `##contig`
    /// length of a primary chromosome is the other assembly's (file, line and contig named;
    /// a length matching neither assembly is a warning);
    /// two records of one variant with different values in a frequency source read into
    /// memory (both lines named); a tabix/CSI index that does not match its streamed file.
    /// An index older than its file that still matches is a warning.
    pub fn open(sources: &[ResolvedSource], assembly: Assembly) -> Result<SourceSet> {
        let mut out = Vec::new();
        let mut warnings = Vec::new();
        for s in sources {
            if let Some(a) = s.assembly {
                if a != assembly {
                    return Err(Error::AssemblyMismatch {
                        path: s.paths[0].clone(),
                        message: format!(
                            "source {:?} is declared {a} but the analysis is {assembly}",
                            s.name
                        ),
                    });
                }
            }
            for p in &s.paths {
                if !p.exists() {
                    return Err(match &s.origin {
                        Some((toml, table)) => Error::config(
                            format!("{}: [[source]] #{table} {:?}", toml.display(), s.name),
                            format!(
                                "file {} not found (relative paths are read from the directory of {})",
                                p.display(),
                                toml.display()
                            ),
                        ),
                        None => Error::io(
                            p,
                            std::io::Error::new(std::io::ErrorKind::NotFound, format!("file of source {:?} not found", s.name)),
                        ),
                    });
                }
            }
            let backend = match s.format {
                SourceFormat::Store => {
                    if s.paths.len() != 1 {
                        return Err(Error::config(
                            format!("source {:?}", s.name),
                            "a store source takes exactly one path",
                        ));
                    }
                    let r = StoreReader::open(&s.paths[0])?;
                    let built = &r.meta().source;
                    if let Some(a) = built.assembly {
                        if a != assembly {
                            return Err(Error::AssemblyMismatch {
                                path: s.paths[0].clone(),
                                message: format!("store {:?} was built from a {a} source but the analysis is {assembly}", s.name),
                            });
                        }
                    }
                    if built.role != s.role {
                        return Err(Error::config(
                            format!("source {:?}", s.name),
                            format!(
                                "the store was built with role {:?}, configured as {:?}",
                                built.role, s.role
                            ),
                        ));
                    }
                    Backend::Store(Box::new(r))
                }
                _ => {
                    warnings.extend(keys::check_source_keys(s)?);
                    for p in &s.paths {
                        warnings.extend(checks::check_contig_lengths(s, p, assembly)?);
                    }
                    let big = s
                        .paths
                        .iter()
                        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
                        .sum::<u64>()
                        > STREAM_THRESHOLD_BYTES;
                    let indexed = s.paths.iter().all(|p| find_index(p).is_some());
                    let stream = match s.mode {
                        AccessMode::Stream => true,
                        AccessMode::Memory => false,
                        AccessMode::Auto => big && indexed,
                    };
                    if stream {
                        let (r, w) = IndexedSource::open(s)?;
                        warnings.extend(w);
                        Backend::Stream(Box::new(r))
                    } else {
                        if big && !indexed {
                            tracing::warn!(
                                "source {:?} is larger than {} MiB and not indexed: loading it whole into memory",
                                s.name,
                                STREAM_THRESHOLD_BYTES >> 20
                            );
                        }
                        Backend::Memory(MemorySource::load(s)?)
                    }
                }
            };
            out.push(OpenSource {
                src: s.clone(),
                backend,
                lookups: 0,
                hits: 0,
            });
        }
        Ok(SourceSet {
            sources: out,
            warnings,
        })
    }

    /// True when no source is configured.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// Looks a variant up in every source. Calls should come in position order per
    /// chromosome for streamed sources to read each file once.
    pub fn annotate(&mut self, key: &VariantKey) -> Result<SourceAnnotations> {
        let mut ann = SourceAnnotations::default();
        for s in &mut self.sources {
            s.lookups += 1;
            let values: Option<Vec<f32>> = match &mut s.backend {
                Backend::Memory(m) => m.get(key).map(<[f32]>::to_vec),
                Backend::Stream(r) => r.get(key)?.map(<[f32]>::to_vec),
                Backend::Store(r) => r.get(key)?.map(<[f32]>::to_vec),
            };
            let Some(v) = values else { continue };
            s.hits += 1;
            apply(&s.src, &v, &mut ann);
        }
        Ok(ann)
    }

    /// Provenance of every source (lookups and hits so far).
    pub fn provenance(&self) -> Vec<SourceProvenance> {
        self.sources
            .iter()
            .map(|s| SourceProvenance {
                name: s.src.name.clone(),
                role: s.src.role,
                score: s.src.score,
                paths: s.src.paths.clone(),
                bytes: s
                    .src
                    .paths
                    .iter()
                    .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
                    .collect(),
                access: match &s.backend {
                    Backend::Memory(m) => format!("memory ({} records)", m.len()),
                    Backend::Stream(r) => format!("stream ({} index seeks)", r.seeks),
                    Backend::Store(r) => format!("store ({} chunks read)", r.chunks_decoded),
                },
                lookups: s.lookups,
                hits: s.hits,
            })
            .collect()
    }
}

fn apply(src: &ResolvedSource, v: &[f32], ann: &mut SourceAnnotations) {
    match src.role {
        Role::Frequency => {
            let mut rec = FrequencyRecord {
                source: src.name.clone(),
                af: opt(v[F_AF]),
                popmax_af: opt(v[F_POPMAX]),
                nhomalt: opt(v[F_NHOMALT]).map(|x| x as u32),
                hemizygotes: opt(v[F_HEMI]).map(|x| x as u32),
                populations: BTreeMap::new(),
            };
            let mut cands: Vec<(f32, String)> = Vec::new();
            if let Some(af) = rec.af {
                cands.push((af, src.keys[F_AF].clone()));
            }
            let mut any_pop = false;
            for (i, f) in src.fields.iter().enumerate().skip(4) {
                let pop = f.trim_start_matches("pop:").to_string();
                let Some(x) = opt(v[i]) else { continue };
                any_pop = true;
                if !src.ignore_populations.contains(&pop.to_ascii_lowercase()) {
                    cands.push((x, src.keys[i].clone()));
                }
                rec.populations.insert(pop, x);
            }
            if !any_pop {
                if let Some(p) = rec.popmax_af {
                    cands.push((p, src.keys[F_POPMAX].clone()));
                }
            }
            // highest; ties keep the first listed field (overall AF before populations)
            let best = cands
                .into_iter()
                .fold(None::<(f32, String)>, |b, c| match b {
                    Some(b) if b.0 >= c.0 => Some(b),
                    _ => Some(c),
                });
            if let Some((af, field)) = best {
                if ann.max_af.is_none_or(|m| af > m) {
                    ann.max_af = Some(af);
                    ann.af_source = Some(format!("{}:{}", src.name, field));
                }
            }
            if let Some(n) = rec.nhomalt {
                ann.max_nhomalt = Some(ann.max_nhomalt.map_or(n, |m| m.max(n)));
            }
            if let Some(n) = rec.hemizygotes {
                ann.max_hemizygotes = Some(ann.max_hemizygotes.map_or(n, |m| m.max(n)));
            }
            ann.frequencies.push(rec);
        }
        Role::LocalFrequency => {
            if let Some(af) = opt(v[F_AF]) {
                ann.local_af = Some(ann.local_af.map_or(af, |m| m.max(af)));
            }
        }
        Role::Clinvar => {
            if ann.clinvar.is_none() {
                if let Some(sig) = ClinicalSignificance::from_code(v[0]) {
                    ann.clinvar = Some(ClinVarRecord {
                        source: src.name.clone(),
                        significance: sig,
                        stars: opt(v[1]).map_or(0, |s| s as u8),
                    });
                }
            }
        }
        Role::Score => {
            if let (Some(kind), Some(x)) = (src.score, opt(v[0])) {
                let e = ann.scores.entry(kind.as_str().to_string()).or_insert(x);
                if x > *e {
                    *e = x;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use odyssey_genome::Chrom;
    use std::io::Write;
    use std::path::Path;

    fn bgzip(path: &Path, text: &str) {
        let mut w = noodles::bgzf::io::Writer::new(std::fs::File::create(path).unwrap());
        w.write_all(text.as_bytes()).unwrap();
        w.finish().unwrap();
    }

    fn tabix_vcf(path: &Path) {
        match noodles::vcf::fs::index(path).unwrap() {
            noodles::vcf::Index::Tabix(index) => {
                noodles::tabix::fs::write(format!("{}.tbi", path.display()), &index).unwrap()
            }
            noodles::vcf::Index::Csi(index) => {
                noodles::csi::fs::write(format!("{}.csi", path.display()), &index).unwrap()
            }
        }
    }

    fn key(c: u8, p: u32, r: &str, a: &str) -> VariantKey {
        VariantKey::new(Chrom::autosome(c).unwrap(), p, r, a).unwrap()
    }

    /// The same lookups against the three back ends give the same answers.
    #[test]
    fn memory_stream_and_store_agree() {
        let dir = tempfile::tempdir().unwrap();
        let vcf = dir.path().join("g.vcf.gz");
        let mut text = String::from("##fileformat=VCFv4.2\n##contig=<ID=1,length=249250621>\n##contig=<ID=2,length=243199373>\n##INFO=<ID=AF,Number=A,Type=Float,Description=\"x\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
        for i in 0..20_000u32 {
            text.push_str(&format!(
                "1\t{}\t.\tG\tA\t.\tPASS\tAF={}\n",
                10 + 7 * i,
                f64::from(i % 1000) / 1000.0
            ));
        }
        text.push_str("2\t100\t.\tGAT\tGCT\t.\tPASS\tAF=0.25\n"); // trims to 2-101-A-C
        bgzip(&vcf, &text);
        tabix_vcf(&vcf);
        let toml = |mode: &str| {
            format!("[[source]]\nname='g'\nrole='frequency'\npath='g.vcf.gz'\nmode='{mode}'\n")
        };
        let store = dir.path().join("g.ostore");
        let src = config::parse_sources_toml(&toml("memory"), &dir.path().join("s.toml"))
            .unwrap()
            .1;
        build_store(&src[0], &store).unwrap();
        let store_toml = "[[source]]\nname='g'\nrole='frequency'\npath='g.ostore'\n";
        let queries: Vec<VariantKey> = {
            let mut q = vec![
                key(1, 10, "G", "A"),
                key(1, 17, "G", "T"),
                key(1, 18, "G", "A"),
            ];
            for i in (0..20_000u32).step_by(997) {
                q.push(key(1, 10 + 7 * i, "G", "A"));
            }
            q.push(key(1, 10 + 7 * 5, "G", "A")); // backwards: re-seek
            q.push(key(2, 101, "A", "C"));
            q.push(key(2, 100, "GAT", "GCT")); // same variant spelled untrimmed
            q
        };
        let mut answers = Vec::new();
        for t in [toml("memory"), toml("stream"), store_toml.to_string()] {
            let srcs = config::parse_sources_toml(&t, &dir.path().join("s.toml"))
                .unwrap()
                .1;
            let mut set = SourceSet::open(&srcs, Assembly::GRCh37).unwrap();
            let got: Vec<Option<f32>> = queries
                .iter()
                .map(|q| {
                    let k = VariantKey::new(q.chrom, q.pos, &q.reference, &q.alternate).unwrap();
                    set.annotate(&k).unwrap().max_af
                })
                .collect();
            let prov = set.provenance();
            assert_eq!(prov[0].lookups, queries.len() as u64);
            answers.push((got, prov[0].access.clone()));
        }
        // expected values computed from the generating formula
        assert_eq!(answers[0].0[0], Some(0.0));
        assert_eq!(answers[0].0[1], None);
        assert_eq!(answers[0].0[2], None);
        assert_eq!(answers[0].0[4], Some(997.0 / 1000.0));
        assert_eq!(answers[0].0[queries.len() - 1], Some(0.25));
        assert_eq!(answers[0].0, answers[1].0, "stream differs from memory");
        assert_eq!(answers[0].0, answers[2].0, "store differs from memory");
        assert!(answers[1].1.starts_with("stream"), "{}", answers[1].1);
        // chr1 start, two backwards steps (18 -> 10, and the explicit one), chr2: 4 seeks for
        // 25 lookups
        assert_eq!(answers[1].1, "stream (4 index seeks)");
    }

    #[test]
    fn frequency_maximum_respects_ignored_populations() {
        let src = config::parse_sources_toml(
            "[[source]]\nname='g'\nrole='frequency'\npath='g.vcf'\npopulations=['afr','fin']\nignore_populations=['fin']\n",
            Path::new("/s.toml"),
        )
        .unwrap()
        .1
        .remove(0);
        let mut ann = SourceAnnotations::default();
        // af, popmax, nhomalt, hemi, afr, fin
        apply(&src, &[0.001, 0.5, 3.0, f32::NAN, 0.002, 0.04], &mut ann);
        assert_eq!(ann.max_af, Some(0.002));
        assert_eq!(ann.af_source.as_deref(), Some("g:AF_afr"));
        assert_eq!(ann.max_nhomalt, Some(3));
        assert_eq!(ann.frequencies[0].populations.get("fin"), Some(&0.04));
    }
}
