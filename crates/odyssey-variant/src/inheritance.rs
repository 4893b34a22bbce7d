//! Modes of inheritance and genotype segregation in a family.
//!
//! A disease has a [`ModeOfInheritance`] (the HPO terms the knowledge base uses); a gene's
//! genotypes fit it through one or more [`Pattern`]s: autosomal dominant (inherited or
//! segregating), de novo, autosomal recessive homozygous or compound heterozygous, X-linked
//! dominant, X-linked recessive hemizygous/homozygous or compound heterozygous, mitochondrial
//! and Y-linked.
//!
//! Rules (a member "carries" an allele with at least one copy; members without a call or
//! not sequenced never contradict a pattern; unknown affection constrains nothing):
//!
//! * **AD** (autosomes and X/Y PARs): every affected member carries; no unaffected member
//!   carries.
//! * **de novo**: the proband is heterozygous (hemizygous for a male on X); both parents are
//!   sequenced, called homozygous reference with DP/GQ at or above the de novo minima and at
//!   most 5% ALT reads; no unaffected member carries. On X outside the PARs only the mother
//!   is checked for a male proband.
//! * **AR homozygous**: affected members carry the allele (homozygous, or heterozygous with a
//!   possible second allele of the gene that the proband does not carry: pseudo-dominance with
//!   an affected parent), unaffected members are not homozygous, and no sequenced parent of the
//!   proband is homozygous reference (that would need uniparental disomy or a deletion).
//! * **AR compound heterozygous**: two heterozygous alleles of one gene in the proband, not in
//!   cis by phase (`|` with equal `PS`, or GATK `PGT`/`PID`). The question asked of every
//!   relative is whether they carry two qualifying alleles of the gene (any pair, not in cis
//!   where phased; homozygous for one counts): no unaffected member may; an affected member
//!   must carry at least one allele of the pair or two others (alleles the proband does not
//!   carry are not read, so an affected relative carrying one allele of the pair is accepted).
//!   With parents, one allele must be explainable by each:
//!   `(father ~ a and mother ~ b) or (father ~ b and mother ~ a)`, where `~` is "carries or
//!   has no call". Both alleles from one parent (or one allele in neither parent) fail.
//! * **XR** (X outside the PARs): an affected male is hemizygous (a heterozygous call in a male
//!   fails), an affected female homozygous (or compound heterozygous); unaffected males do not
//!   carry, unaffected females are not homozygous; the mother of an affected male carries
//!   (else the allele would be de novo, a separate pattern).
//! * **XD**: like AD on X outside the PARs.
//! * **MT**: affected members carry (heteroplasmy is not modelled; unaffected carriers allowed).
//! * **Y-linked**: the proband is male; affected males carry, unaffected males do not.
//!
//! Frequency maxima per pattern are in [`crate::filter::ModeFrequencies`].

use odyssey_genome::{Assembly, Chrom};
use serde::{Deserialize, Serialize};

use crate::filter::FilterConfig;
use crate::genotype::Genotype;
use crate::pedigree::{Affection, Family, Sex};

/// Mode of inheritance of a disease, with the HPO term the knowledge base uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ModeOfInheritance {
    /// Autosomal dominant, HP:0000006.
    #[serde(rename = "AD")]
    AutosomalDominant,
    /// Autosomal recessive, HP:0000007.
    #[serde(rename = "AR")]
    AutosomalRecessive,
    /// X-linked dominant, HP:0001423.
    #[serde(rename = "XD")]
    XLinkedDominant,
    /// X-linked recessive, HP:0001419.
    #[serde(rename = "XR")]
    XLinkedRecessive,
    /// Mitochondrial, HP:0001427.
    #[serde(rename = "MT")]
    Mitochondrial,
    /// Y-linked, HP:0001450.
    #[serde(rename = "YL")]
    YLinked,
}

impl ModeOfInheritance {
    /// All modes.
    pub const ALL: [ModeOfInheritance; 6] = [
        Self::AutosomalDominant,
        Self::AutosomalRecessive,
        Self::XLinkedDominant,
        Self::XLinkedRecessive,
        Self::Mitochondrial,
        Self::YLinked,
    ];

    /// The HPO term id.
    pub fn hpo_id(self) -> &'static str {
        match self {
            Self::AutosomalDominant => "HP:0000006",
            Self::AutosomalRecessive => "HP:0000007",
            Self::XLinkedDominant => "HP:0001423",
            Self::XLinkedRecessive => "HP:0001419",
            Self::Mitochondrial => "HP:0001427",
            Self::YLinked => "HP:0001450",
        }
    }

    /// Short label: AD, AR, XD, XR, MT, YL.
    pub fn short(self) -> &'static str {
        match self {
            Self::AutosomalDominant => "AD",
            Self::AutosomalRecessive => "AR",
            Self::XLinkedDominant => "XD",
            Self::XLinkedRecessive => "XR",
            Self::Mitochondrial => "MT",
            Self::YLinked => "YL",
        }
    }

    /// Modes meant by an HPO mode-of-inheritance term: the six above, plus HP:0001417
    /// (X-linked inheritance) = XR and XD, and HP:0032113 (semidominant) = AD and AR.
    /// Unknown terms give an empty list.
    pub fn from_hpo(id: &str) -> Vec<ModeOfInheritance> {
        match id {
            "HP:0001417" => vec![Self::XLinkedRecessive, Self::XLinkedDominant],
            "HP:0032113" => vec![Self::AutosomalDominant, Self::AutosomalRecessive],
            _ => Self::ALL
                .iter()
                .copied()
                .filter(|m| m.hpo_id() == id)
                .collect(),
        }
    }

    /// Expected number of pathogenic alleles in an affected individual (λ of the disease in
    /// the genotype likelihood ratio): 1 for dominant, mitochondrial and Y-linked, 2 for
    /// recessive; XR is 1 for a male (hemizygous) and 2 for a female.
    pub fn expected_alleles(self, proband_sex: Sex) -> f64 {
        match self {
            Self::AutosomalRecessive => 2.0,
            Self::XLinkedRecessive if proband_sex != Sex::Male => 2.0,
            _ => 1.0,
        }
    }
}

impl std::str::FromStr for ModeOfInheritance {
    type Err = String;
    /// Short labels (`AD`...), HPO ids and full names (`autosomal_dominant`).
    fn from_str(s: &str) -> Result<Self, String> {
        let up = s.to_ascii_uppercase().replace(['-', ' '], "_");
        let m = match up.as_str() {
            "AD" | "AUTOSOMAL_DOMINANT" => Self::AutosomalDominant,
            "AR" | "AUTOSOMAL_RECESSIVE" => Self::AutosomalRecessive,
            "XD" | "X_LINKED_DOMINANT" | "X_DOMINANT" => Self::XLinkedDominant,
            "XR" | "X_LINKED_RECESSIVE" | "X_RECESSIVE" => Self::XLinkedRecessive,
            "MT" | "MITOCHONDRIAL" => Self::Mitochondrial,
            "YL" | "Y_LINKED" => Self::YLinked,
            _ => match Self::from_hpo(s).as_slice() {
                [one] => *one,
                _ => {
                    return Err(format!(
                        "unknown mode of inheritance {s:?} (AD, AR, XD, XR, MT, YL or an HPO id)"
                    ))
                }
            },
        };
        Ok(m)
    }
}

/// How a gene's genotypes fit a mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pattern {
    /// Heterozygous, segregating with the disease (AD).
    AutosomalDominant,
    /// New in the proband, absent from both parents (supports AD; XD/XR on X).
    DeNovo,
    /// Homozygous ALT (AR).
    AutosomalRecessiveHomozygous,
    /// Two heterozygous alleles in trans (AR).
    AutosomalRecessiveCompoundHet,
    /// Carried on X, segregating (XD).
    XLinkedDominant,
    /// Hemizygous male or homozygous female on X (XR).
    XLinkedRecessiveHomozygous,
    /// Two heterozygous alleles in trans in a female, on X (XR).
    XLinkedRecessiveCompoundHet,
    /// Carried on chrM (MT).
    Mitochondrial,
    /// Carried on Y by affected males (YL).
    YLinked,
}

impl Pattern {
    /// Label used in output and TSV.
    pub fn label(self) -> &'static str {
        match self {
            Pattern::AutosomalDominant => "AD",
            Pattern::DeNovo => "de_novo",
            Pattern::AutosomalRecessiveHomozygous => "AR_hom",
            Pattern::AutosomalRecessiveCompoundHet => "AR_comp_het",
            Pattern::XLinkedDominant => "XD",
            Pattern::XLinkedRecessiveHomozygous => "XR_hom",
            Pattern::XLinkedRecessiveCompoundHet => "XR_comp_het",
            Pattern::Mitochondrial => "MT",
            Pattern::YLinked => "YL",
        }
    }

    /// Whether the pattern supports a mode, given the chromosome class and proband sex.
    pub fn supports(self, mode: ModeOfInheritance, class: ChromClass, proband_sex: Sex) -> bool {
        use ModeOfInheritance as M;
        match self {
            Pattern::AutosomalDominant => mode == M::AutosomalDominant,
            Pattern::DeNovo => match class {
                ChromClass::XNonPar => {
                    mode == M::XLinkedDominant
                        || (mode == M::XLinkedRecessive && proband_sex == Sex::Male)
                }
                ChromClass::Autosomal => mode == M::AutosomalDominant,
                _ => false,
            },
            Pattern::AutosomalRecessiveHomozygous | Pattern::AutosomalRecessiveCompoundHet => {
                mode == M::AutosomalRecessive
            }
            Pattern::XLinkedDominant => mode == M::XLinkedDominant,
            Pattern::XLinkedRecessiveHomozygous | Pattern::XLinkedRecessiveCompoundHet => {
                mode == M::XLinkedRecessive
            }
            Pattern::Mitochondrial => mode == M::Mitochondrial,
            Pattern::YLinked => mode == M::YLinked,
        }
    }

    /// Weighted allele count of a genotype fitting this pattern: 2 × score for homozygous
    /// recessive patterns (1 × for a hemizygous male), the sum for compound heterozygotes,
    /// 1 × score otherwise.
    pub(crate) fn allele_multiplier(self, proband_sex: Sex) -> f64 {
        match self {
            Pattern::AutosomalRecessiveHomozygous => 2.0,
            Pattern::XLinkedRecessiveHomozygous if proband_sex != Sex::Male => 2.0,
            _ => 1.0,
        }
    }
}

impl std::fmt::Display for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Chromosome class for inheritance: autosomes and the pseudo-autosomal regions behave alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChromClass {
    /// Autosome or X/Y PAR.
    Autosomal,
    /// X outside the PARs.
    XNonPar,
    /// Y outside the PARs.
    YNonPar,
    /// Mitochondrial genome.
    Mitochondrial,
}

/// Pseudo-autosomal regions of X (1-based, inclusive), from the GRC assembly definitions.
fn x_pars(assembly: Assembly) -> [(u32, u32); 2] {
    match assembly {
        Assembly::GRCh37 => [(60_001, 2_699_520), (154_931_044, 155_260_560)],
        Assembly::GRCh38 => [(10_001, 2_781_479), (155_701_383, 156_030_895)],
    }
}

/// Pseudo-autosomal regions of Y (1-based, inclusive).
fn y_pars(assembly: Assembly) -> [(u32, u32); 2] {
    match assembly {
        Assembly::GRCh37 => [(10_001, 2_649_520), (59_034_050, 59_363_566)],
        Assembly::GRCh38 => [(10_001, 2_781_479), (56_887_903, 57_217_415)],
    }
}

/// The chromosome class of a position.
pub fn chrom_class(assembly: Assembly, chrom: Chrom, pos: u32) -> ChromClass {
    let in_par = |pars: [(u32, u32); 2]| pars.iter().any(|(s, e)| (*s..=*e).contains(&pos));
    if chrom == Chrom::X {
        if in_par(x_pars(assembly)) {
            ChromClass::Autosomal
        } else {
            ChromClass::XNonPar
        }
    } else if chrom == Chrom::Y {
        if in_par(y_pars(assembly)) {
            ChromClass::Autosomal
        } else {
            ChromClass::YNonPar
        }
    } else if chrom == Chrom::MT {
        ChromClass::Mitochondrial
    } else {
        ChromClass::Autosomal
    }
}

/// What the segregation checks need to know about one allele.
#[derive(Clone, Debug)]
pub(crate) struct AlleleFacts<'a> {
    pub class: ChromClass,
    /// Genotypes aligned with the family's members (unsequenced: no call).
    pub genotypes: &'a [Genotype],
    /// Highest population (or in-house) AF.
    pub af: Option<f32>,
    pub nhomalt: Option<u32>,
    pub hemizygotes: Option<u32>,
}

/// Outcome of one pattern for one allele (or pair).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PatternCheck {
    pub pattern: Pattern,
    /// `Err(reason)` when incompatible.
    pub result: Result<(), String>,
    /// Co-segregation likelihood ratio from informative relatives (1 when none).
    pub segregation_lr: f64,
}

/// Segregation checks for one family.
pub(crate) struct Segregation<'a> {
    family: &'a Family,
    cfg: &'a FilterConfig,
    siblings: Vec<usize>,
    children: Vec<usize>,
}

fn fmt_af(af: f32) -> String {
    format!("{:.4}%", af * 100.0)
}

impl<'a> Segregation<'a> {
    pub(crate) fn new(family: &'a Family, cfg: &'a FilterConfig) -> Self {
        let p = family.proband;
        let pm = &family.members[p];
        let siblings = family
            .members
            .iter()
            .enumerate()
            .filter(|(i, m)| {
                *i != p
                    && m.father.is_some()
                    && m.mother.is_some()
                    && m.father == pm.father
                    && m.mother == pm.mother
            })
            .map(|(i, _)| i)
            .collect();
        let children = family
            .members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.father == Some(p) || m.mother == Some(p))
            .map(|(i, _)| i)
            .collect();
        Segregation {
            family,
            cfg,
            siblings,
            children,
        }
    }

    /// The proband's sex for X-linked logic: declared, or inferred from a haploid call.
    pub(crate) fn proband_sex(&self, g: &Genotype) -> Sex {
        match self.family.proband().sex {
            Sex::Unknown if g.ploidy == 1 => Sex::Male,
            Sex::Unknown => Sex::Female,
            s => s,
        }
    }

    /// The member as messages name them ([`crate::pedigree::Member::label`]).
    fn id(&self, i: usize) -> String {
        self.family.members[i].label()
    }

    fn is_male(&self, i: usize) -> bool {
        self.family.members[i].sex == Sex::Male
    }

    fn check_af(&self, af: Option<f32>, max: f32, what: &str) -> Result<(), String> {
        match af {
            Some(a) if a > max => Err(format!(
                "AF {} above the {what} maximum {}",
                fmt_af(a),
                fmt_af(max)
            )),
            _ => Ok(()),
        }
    }

    /// Dominant-style segregation: affected carry, unaffected do not.
    fn dominant_segregation(&self, v: &AlleleFacts, males_only: bool) -> Result<f64, String> {
        let p = self.family.proband;
        let mut lr = 1.0f64;
        for (i, m) in self.family.members.iter().enumerate() {
            let g = &v.genotypes[i];
            if i == p || g.is_no_call() || (males_only && m.sex != Sex::Male) {
                continue;
            }
            match m.affection {
                Affection::Affected if !g.carries() => {
                    return Err(format!(
                        "affected {} does not carry it (GT {})",
                        m.label(),
                        g.gt
                    ))
                }
                Affection::Unaffected if g.carries() => {
                    return Err(format!("unaffected {} carries it (GT {})", m.label(), g.gt))
                }
                _ => {}
            }
            let first_degree = self.siblings.contains(&i) || self.children.contains(&i);
            let parent =
                Some(i) == self.family.proband().father || Some(i) == self.family.proband().mother;
            match m.affection {
                Affection::Affected if first_degree || parent => lr *= 2.0,
                Affection::Unaffected if first_degree => lr *= 2.0,
                _ => {}
            }
        }
        Ok(lr.min(1024.0))
    }

    fn de_novo(&self, v: &AlleleFacts) -> Result<(), String> {
        let p = self.family.proband;
        let pg = &v.genotypes[p];
        let sex = self.proband_sex(pg);
        let x_male = v.class == ChromClass::XNonPar && sex == Sex::Male;
        self.check_af(v.af, self.cfg.max_af.de_novo, "de novo")?;
        if !(pg.is_het() || (x_male && pg.carries())) {
            return Err(format!("the proband is not heterozygous (GT {})", pg.gt));
        }
        let (f, m) = self.family.proband_parents();
        let parents: Vec<usize> = if x_male { vec![m] } else { vec![f, m] }
            .into_iter()
            .flatten()
            .collect();
        let needed = if x_male { 1 } else { 2 };
        let sequenced: Vec<usize> = parents
            .into_iter()
            .filter(|&i| self.family.members[i].sample.is_some())
            .collect();
        if sequenced.len() < needed {
            return Err(if x_male {
                "needs the sequenced mother of a male proband".to_string()
            } else {
                "needs both parents sequenced".to_string()
            });
        }
        let dn = &self.cfg.de_novo;
        for i in sequenced {
            let g = &v.genotypes[i];
            let who = self.id(i);
            if g.is_no_call() || g.missing > 0 {
                return Err(format!("parent {who} has no call (GT {})", g.gt));
            }
            if g.carries() {
                return Err(format!("parent {who} carries it (GT {})", g.gt));
            }
            if g.dp.is_some_and(|d| d < dn.min_parent_dp) {
                return Err(format!(
                    "parent {who} has depth {} < {}",
                    g.dp.unwrap(),
                    dn.min_parent_dp
                ));
            }
            if g.gq.is_some_and(|q| q < dn.min_parent_gq) {
                return Err(format!(
                    "parent {who} has GQ {} < {}",
                    g.gq.unwrap(),
                    dn.min_parent_gq
                ));
            }
            if let Some(ab) = g.allele_balance() {
                if ab > dn.max_parent_alt_fraction {
                    return Err(format!(
                        "parent {who} has {} ALT reads ({:.0}% > {:.0}%)",
                        g.ad_alt.unwrap_or(0),
                        ab * 100.0,
                        dn.max_parent_alt_fraction * 100.0
                    ));
                }
            }
        }
        for (i, mm) in self.family.members.iter().enumerate() {
            if i != p && mm.affection == Affection::Unaffected && v.genotypes[i].carries() {
                return Err(format!(
                    "unaffected {} carries it (GT {})",
                    mm.label(),
                    v.genotypes[i].gt
                ));
            }
        }
        Ok(())
    }

    fn recessive_hom(&self, v: &AlleleFacts, x: bool) -> Result<f64, String> {
        let p = self.family.proband;
        let pg = &v.genotypes[p];
        let sex = self.proband_sex(pg);
        let male = x && sex == Sex::Male;
        let (max, what) = if x {
            (self.cfg.max_af.x_recessive_homozygous, "XR")
        } else {
            (
                self.cfg.max_af.autosomal_recessive_homozygous,
                "AR homozygous",
            )
        };
        self.check_af(v.af, max, what)?;
        if male {
            if !pg.is_hom_alt() {
                return Err(format!(
                    "heterozygous call in a male on chrX outside the PARs (GT {})",
                    pg.gt
                ));
            }
            if let Some(h) = v.hemizygotes {
                if h > self.cfg.max_population_hemizygotes {
                    return Err(format!(
                        "{h} hemizygotes in the population (> {})",
                        self.cfg.max_population_hemizygotes
                    ));
                }
            }
        } else {
            if !(pg.is_hom_alt() && pg.ploidy == 2) {
                return Err(format!("the proband is not homozygous (GT {})", pg.gt));
            }
            if let Some(h) = v.nhomalt {
                if h > self.cfg.max_population_homozygotes {
                    return Err(format!(
                        "{h} homozygotes in the population (> {})",
                        self.cfg.max_population_homozygotes
                    ));
                }
            }
        }
        let mut lr = 1.0f64;
        for (i, m) in self.family.members.iter().enumerate() {
            let g = &v.genotypes[i];
            if i == p || g.is_no_call() {
                continue;
            }
            let member_male = m.sex == Sex::Male;
            let affected_genotype = if x && member_male {
                g.carries()
            } else {
                g.is_hom_alt()
            };
            match m.affection {
                // an affected relative heterozygous for the allele may carry a second allele
                // of the gene that the proband does not (pseudo-dominance): not a contradiction
                Affection::Affected if !affected_genotype && g.carries() && !(x && member_male) => {
                }
                Affection::Affected if !affected_genotype => {
                    return Err(format!(
                        "affected {} does not have the genotype (GT {})",
                        m.label(),
                        g.gt
                    ))
                }
                Affection::Unaffected if affected_genotype => {
                    return Err(format!(
                        "unaffected {} has the same genotype (GT {})",
                        m.label(),
                        g.gt
                    ))
                }
                _ => {}
            }
            if self.siblings.contains(&i) {
                let (hit, miss) = if male { (2.0, 2.0) } else { (4.0, 4.0 / 3.0) };
                match m.affection {
                    Affection::Affected if affected_genotype => lr *= hit,
                    Affection::Unaffected => lr *= miss,
                    _ => {}
                }
            }
        }
        let (f, mo) = self.family.proband_parents();
        let required: Vec<usize> = if male { vec![mo] } else { vec![f, mo] }
            .into_iter()
            .flatten()
            .collect();
        for i in required {
            let g = &v.genotypes[i];
            if !g.is_no_call() && g.is_ref_for_allele() {
                let why = if male {
                    "the allele would be de novo".to_string()
                } else {
                    "homozygosity would need uniparental disomy or a deletion".to_string()
                };
                let role = if Some(i) == f { "father" } else { "mother" };
                return Err(format!(
                    "{role} {} is homozygous reference ({why})",
                    self.id(i)
                ));
            }
        }
        Ok(lr.min(1024.0))
    }

    /// All single-allele patterns relevant to the allele's chromosome class.
    pub(crate) fn single(&self, v: &AlleleFacts) -> Vec<PatternCheck> {
        let p = self.family.proband;
        let pg = &v.genotypes[p];
        let mut out = Vec::new();
        let mut push = |pattern: Pattern, r: Result<f64, String>| {
            let (result, segregation_lr) = match r {
                Ok(lr) => (Ok(()), lr),
                Err(e) => (Err(e), 1.0),
            };
            out.push(PatternCheck {
                pattern,
                result,
                segregation_lr,
            });
        };
        match v.class {
            ChromClass::Autosomal => {
                let ad = self
                    .check_af(v.af, self.cfg.max_af.autosomal_dominant, "AD")
                    .and_then(|_| {
                        if pg.carries() {
                            Ok(())
                        } else {
                            Err("the proband does not carry it".into())
                        }
                    })
                    .and_then(|_| self.dominant_segregation(v, false));
                push(Pattern::AutosomalDominant, ad);
                push(Pattern::DeNovo, self.de_novo(v).map(|_| 1.0));
                push(
                    Pattern::AutosomalRecessiveHomozygous,
                    self.recessive_hom(v, false),
                );
            }
            ChromClass::XNonPar => {
                let xd = self
                    .check_af(v.af, self.cfg.max_af.x_dominant, "XD")
                    .and_then(|_| {
                        if pg.carries() {
                            Ok(())
                        } else {
                            Err("the proband does not carry it".into())
                        }
                    })
                    .and_then(|_| self.dominant_segregation(v, false));
                push(Pattern::XLinkedDominant, xd);
                push(Pattern::DeNovo, self.de_novo(v).map(|_| 1.0));
                push(
                    Pattern::XLinkedRecessiveHomozygous,
                    self.recessive_hom(v, true),
                );
            }
            ChromClass::Mitochondrial => {
                let mt = self
                    .check_af(v.af, self.cfg.max_af.mitochondrial, "MT")
                    .and_then(|_| {
                        for (i, m) in self.family.members.iter().enumerate() {
                            let g = &v.genotypes[i];
                            if m.affection == Affection::Affected && !g.is_no_call() && !g.carries()
                            {
                                return Err(format!(
                                    "affected {} does not carry it (GT {})",
                                    m.label(),
                                    g.gt
                                ));
                            }
                        }
                        Ok(1.0)
                    });
                push(Pattern::Mitochondrial, mt);
            }
            ChromClass::YNonPar => {
                let yl = self
                    .check_af(v.af, self.cfg.max_af.y_linked, "YL")
                    .and_then(|_| {
                        if self.proband_sex(pg) != Sex::Male {
                            return Err("Y-linked needs a male proband".into());
                        }
                        self.dominant_segregation(v, true)
                    });
                push(Pattern::YLinked, yl);
            }
        }
        out
    }

    /// Whether an allele can be one half of a compound heterozygote (pattern AR or XR by
    /// class): frequency, proband heterozygous, no unaffected member homozygous (nor, on X,
    /// an unaffected male carrying), affected members carrying.
    pub(crate) fn comp_het_candidate(&self, v: &AlleleFacts) -> Result<Pattern, String> {
        let p = self.family.proband;
        let pg = &v.genotypes[p];
        let (pattern, max) = match v.class {
            ChromClass::Autosomal => (
                Pattern::AutosomalRecessiveCompoundHet,
                self.cfg.max_af.autosomal_recessive_compound_het,
            ),
            ChromClass::XNonPar => {
                if self.proband_sex(pg) == Sex::Male {
                    return Err("compound heterozygosity on X needs a female proband".into());
                }
                (
                    Pattern::XLinkedRecessiveCompoundHet,
                    self.cfg.max_af.x_recessive_compound_het,
                )
            }
            _ => return Err("no compound heterozygosity on this chromosome".into()),
        };
        self.check_af(v.af, max, "compound heterozygous")?;
        if !pg.is_het() {
            return Err(format!("the proband is not heterozygous (GT {})", pg.gt));
        }
        for (i, m) in self.family.members.iter().enumerate() {
            let g = &v.genotypes[i];
            if i == p || g.is_no_call() {
                continue;
            }
            if v.class == ChromClass::XNonPar && self.is_male(i) {
                if m.affection == Affection::Unaffected && g.carries() {
                    return Err(format!(
                        "unaffected male {} carries it (GT {})",
                        m.label(),
                        g.gt
                    ));
                }
            } else if m.affection == Affection::Unaffected && g.is_hom_alt() {
                return Err(format!(
                    "unaffected {} is homozygous (GT {})",
                    m.label(),
                    g.gt
                ));
            }
            // an affected relative need not carry this allele: their two alleles may be
            // another pair of the gene (checked per pair in `comp_het_pair`)
        }
        Ok(pattern)
    }

    /// Checks a pair of compound-heterozygous candidates (see the module docs).
    ///
    /// `two[i]`: whether member `i` carries two qualifying alleles of the gene (any pair not
    /// known in cis), `two_trans[i]`: two known in trans, from [`Segregation::members_with_two`]. Returns the check and whether the pair is confirmed
    /// in trans (phase, or each allele carried by exactly one sequenced parent).
    pub(crate) fn comp_het_pair(
        &self,
        a: &AlleleFacts,
        b: &AlleleFacts,
        pattern: Pattern,
        two: &[bool],
        two_trans: &[bool],
    ) -> (PatternCheck, bool) {
        match self.comp_het_pair_inner(a, b, two, two_trans) {
            Ok(lr) => (
                PatternCheck {
                    pattern,
                    result: Ok(()),
                    segregation_lr: lr,
                },
                self.confirmed_in_trans(a, b),
            ),
            Err(e) => (
                PatternCheck {
                    pattern,
                    result: Err(e),
                    segregation_lr: 1.0,
                },
                false,
            ),
        }
    }

    /// Per member: carries two qualifying alleles of the gene (`alleles`: the gene's
    /// compound-heterozygous candidates): homozygous for one, or heterozygous for two that are
    /// not all on one phased haplotype (`known_trans`: two phased on different haplotypes of
    /// one phase set). Alleles the proband does not carry are not read.
    pub(crate) fn members_with_two(
        &self,
        alleles: &[&AlleleFacts],
        known_trans: bool,
    ) -> Vec<bool> {
        (0..self.family.members.len())
            .map(|i| {
                let carried: Vec<&Genotype> = alleles
                    .iter()
                    .map(|v| &v.genotypes[i])
                    .filter(|g| g.carries())
                    .collect();
                if carried.iter().any(|g| g.is_hom_alt() && g.ploidy == 2) {
                    return true;
                }
                if carried.len() < 2 {
                    return false;
                }
                if known_trans {
                    return carried.iter().any(|x| {
                        carried.iter().any(|y| match (x.phase, y.phase) {
                            (Some(a), Some(b)) => a.set == b.set && a.haplotype != b.haplotype,
                            _ => false,
                        })
                    });
                }
                let first = carried[0].phase;
                let all_cis = first.is_some() && carried.iter().all(|g| g.phase == first);
                !all_cis
            })
            .collect()
    }

    /// Whether a proband's pair is known to be in trans: phased on different haplotypes of
    /// one phase set, or each allele carried by exactly one of the two sequenced parents.
    fn confirmed_in_trans(&self, a: &AlleleFacts, b: &AlleleFacts) -> bool {
        let p = self.family.proband;
        if let (Some(x), Some(y)) = (a.genotypes[p].phase, b.genotypes[p].phase) {
            if x.set == y.set {
                return x.haplotype != y.haplotype;
            }
        }
        let (Some(f), Some(m)) = self.family.proband_parents() else {
            return false;
        };
        let called = |i: usize, v: &AlleleFacts| {
            self.family.members[i].sample.is_some() && !v.genotypes[i].is_no_call()
        };
        if ![f, m].iter().all(|&i| called(i, a) && called(i, b)) {
            return false;
        }
        let c = |i: usize, v: &AlleleFacts| v.genotypes[i].carries();
        (c(f, a) && !c(f, b) && c(m, b) && !c(m, a)) || (c(f, b) && !c(f, a) && c(m, a) && !c(m, b))
    }

    fn comp_het_pair_inner(
        &self,
        a: &AlleleFacts,
        b: &AlleleFacts,
        two: &[bool],
        two_trans: &[bool],
    ) -> Result<f64, String> {
        let p = self.family.proband;
        let in_cis = |i: usize| match (a.genotypes[i].phase, b.genotypes[i].phase) {
            (Some(x), Some(y)) if x.set == y.set => Some(x.haplotype == y.haplotype),
            _ => None,
        };
        if in_cis(p) == Some(true) {
            return Err("the two alleles are in cis in the proband (phased)".into());
        }
        let (f, mo) = self.family.proband_parents();
        let seq = |i: Option<usize>| i.filter(|&i| self.family.members[i].sample.is_some());
        if seq(f).is_some() || seq(mo).is_some() {
            // ~ : carries or unknown (no call / not sequenced)
            let may = |parent: Option<usize>, v: &AlleleFacts| match seq(parent) {
                None => true,
                Some(i) => v.genotypes[i].is_no_call() || v.genotypes[i].carries(),
            };
            let ok = (may(f, a) && may(mo, b)) || (may(f, b) && may(mo, a));
            if !ok {
                let carried = |parent: Option<usize>, v: &AlleleFacts| {
                    seq(parent).is_some_and(|i| v.genotypes[i].carries())
                };
                let name = |parent: Option<usize>| parent.map(|i| self.id(i)).unwrap_or_default();
                let msg = if carried(f, a) && carried(f, b) && !carried(mo, a) && !carried(mo, b) {
                    format!("both alleles come from the father {}", name(f))
                } else if carried(mo, a) && carried(mo, b) && !carried(f, a) && !carried(f, b) {
                    format!("both alleles come from the mother {}", name(mo))
                } else {
                    "the parents' genotypes do not give one allele from each parent".to_string()
                };
                return Err(msg);
            }
        }
        let mut lr = 1.0f64;
        for (i, m) in self.family.members.iter().enumerate() {
            if i == p {
                continue;
            }
            let (ga, gb) = (&a.genotypes[i], &b.genotypes[i]);
            let both = ga.carries() && gb.carries() && in_cis(i) != Some(true);
            let has_two = both || two.get(i).copied().unwrap_or(false);
            // an unaffected member with two unphased alleles may carry them in cis (a parent
            // who passed on one haplotype); only a known trans pair contradicts
            let has_two_trans = two_trans.get(i).copied().unwrap_or(false);
            let called = !ga.is_no_call() && !gb.is_no_call();
            match m.affection {
                // an affected member carrying one of the pair may carry a second allele the
                // proband does not (not read); carrying neither contradicts
                Affection::Affected if called && !has_two && !ga.carries() && !gb.carries() => {
                    return Err(format!(
                        "affected {} carries neither allele (GT {} and {}) nor two other qualifying alleles of the gene",
                        m.label(), ga.gt, gb.gt
                    ))
                }
                Affection::Unaffected if both => {
                    return Err(format!(
                        "unaffected {} carries both (GT {} and {})",
                        m.label(), ga.gt, gb.gt
                    ))
                }
                Affection::Unaffected if has_two_trans => {
                    return Err(format!(
                        "unaffected {} carries two qualifying alleles of the gene in trans",
                        m.label()
                    ))
                }
                _ => {}
            }
            if self.siblings.contains(&i) && called {
                match m.affection {
                    Affection::Affected if has_two => lr *= 4.0,
                    Affection::Unaffected if !both => lr *= 4.0 / 3.0,
                    _ => {}
                }
            }
        }
        Ok(lr.min(1024.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hpo_modes() {
        assert_eq!(
            ModeOfInheritance::from_hpo("HP:0000006"),
            vec![ModeOfInheritance::AutosomalDominant]
        );
        assert_eq!(
            ModeOfInheritance::from_hpo("HP:0001417"),
            vec![
                ModeOfInheritance::XLinkedRecessive,
                ModeOfInheritance::XLinkedDominant
            ]
        );
        assert!(ModeOfInheritance::from_hpo("HP:0000118").is_empty());
        assert_eq!(
            "xr".parse::<ModeOfInheritance>().unwrap(),
            ModeOfInheritance::XLinkedRecessive
        );
        assert_eq!(
            "HP:0000007".parse::<ModeOfInheritance>().unwrap(),
            ModeOfInheritance::AutosomalRecessive
        );
        for m in ModeOfInheritance::ALL {
            assert_eq!(m.short().parse::<ModeOfInheritance>().unwrap(), m);
        }
    }

    #[test]
    fn pseudo_autosomal_regions() {
        // GRCh38 PAR1 ends at 2,781,479; GRCh37 PAR1 at 2,699,520
        assert_eq!(
            chrom_class(Assembly::GRCh38, Chrom::X, 2_781_479),
            ChromClass::Autosomal
        );
        assert_eq!(
            chrom_class(Assembly::GRCh38, Chrom::X, 2_781_480),
            ChromClass::XNonPar
        );
        assert_eq!(
            chrom_class(Assembly::GRCh37, Chrom::X, 2_700_000),
            ChromClass::XNonPar
        );
        assert_eq!(
            chrom_class(Assembly::GRCh37, Chrom::X, 155_000_000),
            ChromClass::Autosomal
        );
        assert_eq!(
            chrom_class(Assembly::GRCh37, Chrom::MT, 100),
            ChromClass::Mitochondrial
        );
        assert_eq!(
            chrom_class(Assembly::GRCh37, Chrom::Y, 3_000_000),
            ChromClass::YNonPar
        );
    }
}
