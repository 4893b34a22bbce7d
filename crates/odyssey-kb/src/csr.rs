//! Compressed sparse rows: a list of `u32` lists stored in two flat vectors.

use serde::{Deserialize, Serialize};

/// `rows[i]` is `values[offsets[i]..offsets[i + 1]]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Csr {
    offsets: Vec<u32>,
    values: Vec<u32>,
}

impl Csr {
    pub(crate) fn from_rows<I, R>(rows: I) -> Csr
    where
        I: IntoIterator<Item = R>,
        R: IntoIterator<Item = u32>,
    {
        let mut c = Csr {
            offsets: vec![0],
            values: Vec::new(),
        };
        for r in rows {
            c.values.extend(r);
            c.offsets.push(c.values.len() as u32);
        }
        c
    }

    pub(crate) fn row(&self, i: usize) -> &[u32] {
        &self.values[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    pub(crate) fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    pub(crate) fn total(&self) -> usize {
        self.values.len()
    }
}
