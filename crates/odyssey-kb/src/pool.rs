//! Flat storage for many small strings and lists, so that loading the knowledge base costs a
//! handful of allocations instead of hundreds of thousands.

use serde::{Deserialize, Serialize};

/// Many strings in one buffer: string `i` is `text[ends[i - 1]..ends[i]]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StrPool {
    text: String,
    ends: Vec<u32>,
}

impl StrPool {
    pub(crate) fn push(&mut self, s: &str) -> u32 {
        self.text.push_str(s);
        self.ends.push(self.text.len() as u32);
        (self.ends.len() - 1) as u32
    }

    pub(crate) fn get(&self, i: u32) -> &str {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when offsets are monotone, in bounds and on character boundaries.
    pub(crate) fn is_valid(&self) -> bool {
        let mut prev = 0u32;
        self.ends.iter().all(|&e| {
            let ok = e >= prev
                && (e as usize) <= self.text.len()
                && self.text.is_char_boundary(e as usize);
            prev = e;
            ok
        })
    }
}

/// A slice `start..start + len` of a `u32` pool.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub(crate) start: u32,
    pub(crate) len: u32,
}

impl Span {
    pub(crate) fn push(pool: &mut Vec<u32>, values: impl IntoIterator<Item = u32>) -> Span {
        let start = pool.len() as u32;
        pool.extend(values);
        Span {
            start,
            len: pool.len() as u32 - start,
        }
    }

    pub(crate) fn of(self, pool: &[u32]) -> &[u32] {
        &pool[self.start as usize..(self.start + self.len) as usize]
    }

    pub(crate) fn fits(self, pool_len: usize) -> bool {
        (self.start as u64 + self.len as u64) <= pool_len as u64
    }

    /// Number of elements.
    pub fn len(self) -> usize {
        self.len as usize
    }

    /// True when empty.
    pub fn is_empty(self) -> bool {
        self.len == 0
    }
}
