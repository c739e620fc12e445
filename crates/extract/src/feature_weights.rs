//! The trained models' weights: hashed features, each with a short sparse
//! run of (class, weight), in one open-addressing table.
//!
//! Tagging and parsing are mostly feature lookups, and a lookup is mostly a
//! cache miss. Hashbrown reads a control group, then the entry, then the
//! run; here the feature hash and the start of its run share one 8-byte
//! slot, the next slot gives the run's end, and the runs are laid out in
//! slot order, so a lookup touches one slot line and one run. The hashes
//! are already uniform, so a Fibonacci multiply places them; linear probing
//! keeps the table at most half full.

/// Feature hash → run of (class, weight).
#[derive(Debug, Clone)]
pub(crate) struct FeatureWeights<C> {
    /// Per slot: the feature's hash and where its run starts in `weights`;
    /// the run ends where the next slot's starts. A slot with an empty run
    /// is free. One more slot at the end closes the last run.
    slots: Vec<(u32, u32)>,
    weights: Vec<(C, f32)>,
    /// Right shift that maps a 64-bit product to a slot index.
    shift: u32,
    count: usize,
}

/// 2^64 divided by the golden ratio, odd: Fibonacci hashing.
const FIBONACCI: u64 = 0x9E37_79B9_7F4A_7C15;

impl<C: Copy> FeatureWeights<C> {
    /// The table of `runs`: per feature, its hash and its (start, length)
    /// in `weights`. Empty runs are left out; where a hash repeats, the
    /// later run wins.
    pub(crate) fn new(runs: &[(u32, u32, u8)], weights: &[(C, f32)]) -> Self {
        let capacity = (runs.len() * 2).next_power_of_two().max(2);
        let shift = 64 - capacity.trailing_zeros();
        // Which run each slot holds, placed by linear probing.
        let mut owner: Vec<Option<usize>> = vec![None; capacity];
        let mut count = 0;
        for (r, &(hash, _, len)) in runs.iter().enumerate() {
            if len == 0 {
                continue;
            }
            let mut i = home(hash, shift);
            loop {
                match owner[i] {
                    None => {
                        owner[i] = Some(r);
                        count += 1;
                        break;
                    }
                    Some(o) if runs[o].0 == hash => {
                        owner[i] = Some(r);
                        break;
                    }
                    Some(_) => i = (i + 1) & (capacity - 1),
                }
            }
        }
        let mut slots = Vec::with_capacity(capacity + 1);
        let mut laid_out = Vec::with_capacity(weights.len());
        for owner in owner {
            let start = laid_out.len() as u32;
            match owner {
                Some(r) => {
                    let (hash, from, len) = runs[r];
                    let from = from as usize;
                    laid_out.extend_from_slice(&weights[from..from + usize::from(len)]);
                    slots.push((hash, start));
                }
                None => slots.push((0, start)),
            }
        }
        slots.push((0, laid_out.len() as u32));
        Self {
            slots,
            weights: laid_out,
            shift,
            count,
        }
    }

    /// The weights of the feature with `hash`; empty when the model has none.
    #[inline]
    pub(crate) fn run(&self, hash: u32) -> &[(C, f32)] {
        let mask = self.slots.len() - 2;
        let mut i = home(hash, self.shift);
        loop {
            let (key, start) = self.slots[i];
            let end = self.slots[i + 1].1;
            if start == end {
                return &[];
            }
            if key == hash {
                return &self.weights[start as usize..end as usize];
            }
            i = (i + 1) & mask;
        }
    }

    /// Number of features with weights.
    pub(crate) fn len(&self) -> usize {
        self.count
    }

    /// Every feature's hash with its run, in table order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u32, &[(C, f32)])> {
        self.slots.windows(2).filter_map(|pair| {
            let ((hash, start), (_, end)) = (pair[0], pair[1]);
            (start < end).then(|| (hash, &self.weights[start as usize..end as usize]))
        })
    }

    /// Every weight, for finding the file's quantisation scale.
    pub(crate) fn weights(&self) -> impl Iterator<Item = f32> {
        self.weights.iter().map(|&(_, w)| w)
    }
}

/// The slot a hash probes first.
#[inline]
fn home(hash: u32, shift: u32) -> usize {
    (u64::from(hash).wrapping_mul(FIBONACCI) >> shift) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_run_and_nothing_else() {
        let runs: Vec<(u32, u32, u8)> = (0..1000u32).map(|h| (h * 7919, h * 2, 2)).collect();
        let weights: Vec<(u8, f32)> = (0..2000).map(|i| ((i % 5) as u8, i as f32)).collect();
        let table = FeatureWeights::new(&runs, &weights);
        assert_eq!(table.len(), 1000);
        for &(hash, start, _) in &runs {
            let run = table.run(hash);
            assert_eq!(run, &weights[start as usize..start as usize + 2]);
        }
        assert!(table.run(1).is_empty());
        assert!(table.run(u32::MAX).is_empty());
        assert_eq!(table.iter().count(), 1000);
    }

    #[test]
    fn a_zero_hash_and_colliding_homes_are_kept_apart() {
        // Hashes 0 and 1 << 31 ... share low bits; all land near one another
        // in a small table and must probe past each other.
        let runs = [(0, 0, 1), (1 << 31, 1, 1), (1 << 30, 2, 1), (5, 3, 0)];
        let weights = [(0u8, 1.0), (1, 2.0), (2, 3.0)];
        let table = FeatureWeights::new(&runs, &weights);
        assert_eq!(table.run(0), &[(0, 1.0)]);
        assert_eq!(table.run(1 << 31), &[(1, 2.0)]);
        assert_eq!(table.run(1 << 30), &[(2, 3.0)]);
        assert!(table.run(5).is_empty(), "an empty run is no feature");
        assert_eq!(table.len(), 3);
    }

    #[test]
    fn a_repeated_hash_keeps_its_later_run() {
        let runs = [(9, 0, 1), (9, 1, 1)];
        let weights = [(0u8, 1.0), (1, 2.0)];
        let table = FeatureWeights::new(&runs, &weights);
        assert_eq!(table.run(9), &[(1, 2.0)]);
        assert_eq!(table.len(), 1);
    }
}
