//! The gene models compiled into the binary (see `docs/annotation.md`): zstd-compressed
//! reference-data files under `crates/odyssey-annotate/data/`, decoded on first use and shared.

use std::path::Path;
use std::sync::OnceLock;

use odyssey_genome::Assembly;

use crate::annotator::Annotator;
use crate::error::Error;
use crate::store::RefData;

static GRCH38: &[u8] = include_bytes!("../data/grch38.odyref");
static GRCH37: &[u8] = include_bytes!("../data/grch37.odyref");

static CACHE38: OnceLock<Annotator> = OnceLock::new();
static CACHE37: OnceLock<Annotator> = OnceLock::new();

pub(crate) fn annotator(assembly: Assembly) -> Result<Annotator, Error> {
    let (bytes, cache, name) = match assembly {
        Assembly::GRCh38 => (GRCH38, &CACHE38, "embedded grch38.odyref"),
        Assembly::GRCh37 => (GRCH37, &CACHE37, "embedded grch37.odyref"),
    };
    if let Some(a) = cache.get() {
        return Ok(a.clone());
    }
    let data = RefData::from_bytes(bytes, Path::new(name))?;
    if data.meta.assembly != assembly {
        return Err(Error::AssemblyMismatch {
            expected: assembly,
            found: data.meta.assembly,
        });
    }
    Ok(cache.get_or_init(|| Annotator::new(data)).clone())
}
