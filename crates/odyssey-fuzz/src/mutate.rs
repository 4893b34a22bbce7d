//! Deterministic mutations of seed inputs: bit flips, byte overwrites, insertions, deletions,
//! truncation, block duplication and splicing with another seed, driven by a xorshift64*
//! generator (Vigna 2016) so that a run is reproduced exactly from its seed number.

/// xorshift64* pseudo-random generator.
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed` (0 is mapped to a fixed non-zero state).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// Bytes that often matter to text parsers.
const INTERESTING: &[u8] = b"\t\n\r\0#>;=,:.-+0123456789eE\"'{}[]\xff\x7f ";

/// Applies 1 to 4 random mutations to `data`; `other` is a second seed for splicing.
pub fn mutate(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    for _ in 0..1 + rng.below(4) {
        let len = data.len();
        match rng.below(8) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                data[i] = INTERESTING[rng.below(INTERESTING.len())];
            }
            2 => {
                let i = rng.below(len + 1);
                data.insert(i, INTERESTING[rng.below(INTERESTING.len())]);
            }
            3 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(16));
                data.drain(i..i + n);
            }
            4 => data.truncate(rng.below(len + 1)),
            5 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(64));
                let block: Vec<u8> = data[i..i + n].to_vec();
                let at = rng.below(len + 1);
                data.splice(at..at, block);
            }
            6 if !other.is_empty() => {
                let cut = rng.below(len + 1);
                let from = rng.below(other.len());
                data.truncate(cut);
                data.extend_from_slice(&other[from..]);
            }
            _ if len > 0 => {
                // a random byte anywhere
                let i = rng.below(len);
                data[i] = rng.next_u64() as u8;
            }
            _ => data.push(rng.next_u64() as u8),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_mutating() {
        let seed = b"##fileformat=VCFv4.2\n".to_vec();
        let run = |s: u64| {
            let mut r = Rng::new(s);
            let mut d = seed.clone();
            mutate(&mut r, &mut d, b"other");
            d
        };
        assert_eq!(run(7), run(7));
        assert!((0..100).filter(|&s| run(s) != seed).count() > 90);
    }
}
