//! The trained models' weights: hashed features, each with a short sparse
//! run of (class, weight), in one open-addressing table.
//!
//! Tagging and parsing are mostly feature lookups, and a lookup is mostly a
//! cache miss. Hashbrown reads a control group, then the entry, then the
//! run; here the feature hash and the start of its run share one 8-byte
//! slot, the next slot gives the run's end, and the runs are laid out in
//! slot order, so a lookup touches one slot line and one run. The hashes
//! are already uniform, so a Fibonacci multiply places them; linear probing
//! keeps the table at most half full. Weights are kept as the model files
//! store them, 16-bit multiples of one scale, which halves the runs'
//! memory and gives the very values a file's reader would.

/// Feature hash → run of (class, weight).
#[derive(Debug, Clone)]
pub(crate) struct FeatureWeights<C> {
    /// Per slot: the feature's hash and where its run starts in `weights`;
    /// the run ends where the next slot's starts. A slot with an empty run
    /// is free. One more slot at the end closes the last run.
    slots: Vec<(u32, u32)>,
    /// Each weight as a multiple of `scale`.
    weights: Vec<(C, i16)>,
    scale: f32,
    /// Right shift that maps a 64-bit product to a slot index.
    shift: u32,
    count: usize,
}

/// Most features [`FeatureWeights::add_each`] prefetches at once.
const MAX_BATCH: usize = 64;

/// 2^64 divided by the golden ratio, odd: Fibonacci hashing.
const FIBONACCI: u64 = 0x9E37_79B9_7F4A_7C15;

impl<C: Copy> FeatureWeights<C> {
    /// The table of trained weights, quantised against a scale that maps
    /// the largest to `i16::MAX`; `runs` gives, per feature, its hash and
    /// its (start, length) in `weights`. A weight that rounds to zero is
    /// left out, and so is a run left empty.
    pub(crate) fn quantised(runs: &[(u32, u32, u8)], weights: &[(C, f32)]) -> Self {
        let scale = weight_scale(weights.iter().map(|&(_, w)| w));
        let mut quantised = Vec::with_capacity(weights.len());
        let runs: Vec<(u32, u32, u8)> = runs
            .iter()
            .map(|&(hash, start, len)| {
                let from = quantised.len() as u32;
                let run = &weights[start as usize..start as usize + usize::from(len)];
                quantised.extend(
                    run.iter()
                        .map(|&(class, w)| (class, (w / scale).round() as i16))
                        .filter(|&(_, q)| q != 0),
                );
                (hash, from, (quantised.len() as u32 - from) as u8)
            })
            .collect();
        Self::new(&runs, &quantised, scale)
    }

    /// The table of `runs`: per feature, its hash and its (start, length)
    /// in `weights`, each weight a multiple of `scale`. Empty runs are left
    /// out; where a hash repeats, the later run wins.
    pub(crate) fn new(runs: &[(u32, u32, u8)], weights: &[(C, i16)], scale: f32) -> Self {
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
            scale,
            shift,
            count,
        }
    }

    /// The weights of the feature with `hash`, as multiples of
    /// [`FeatureWeights::scale`]; empty when the model has none.
    #[cfg(test)]
    fn run(&self, hash: u32) -> &[(C, i16)] {
        self.span(hash).map_or(&[], |(start, end)| {
            &self.weights[start as usize..end as usize]
        })
    }

    /// What a stored weight of 1 is worth.
    pub(crate) fn scale(&self) -> f32 {
        self.scale
    }

    /// Where the run of the feature with `hash` starts and ends in `weights`.
    #[inline]
    fn span(&self, hash: u32) -> Option<(u32, u32)> {
        let mask = self.slots.len() - 2;
        let mut i = home(hash, self.shift);
        loop {
            let (key, start) = self.slots[i];
            let end = self.slots[i + 1].1;
            if start == end {
                return None;
            }
            if key == hash {
                return Some((start, end));
            }
            i = (i + 1) & mask;
        }
    }

    /// Calls `add` with every (class, weight) of the features in `hashes`,
    /// feature by feature, in order.
    pub(crate) fn add_each(&self, hashes: &[u32], mut add: impl FnMut(C, f32)) {
        self.add_each_of(hashes, |_, class, weight| add(class, weight));
    }

    /// Calls `add` with the index in `hashes` and every (class, weight) of
    /// each feature, feature by feature, in order. The table is far larger
    /// than the processor's caches, so each lookup misses twice (its slot,
    /// then its run); one at a time, each waits on the last. Here, batch
    /// by batch, every slot is read first with loads that nothing branches
    /// on, so the processor overlaps their misses, then every run's head
    /// likewise, and only then are the runs walked.
    pub(crate) fn add_each_of(&self, hashes: &[u32], mut add: impl FnMut(usize, C, f32)) {
        for (batch, chunk) in hashes.chunks(MAX_BATCH).enumerate() {
            let mut touched = 0u32;
            for &hash in chunk {
                touched ^= self.slots[home(hash, self.shift)].1;
            }
            std::hint::black_box(touched);
            // (index in `hashes`, start, end) of each feature found.
            let mut found = [(0usize, 0u32, 0u32); MAX_BATCH];
            let mut count = 0;
            for (k, &hash) in chunk.iter().enumerate() {
                if let Some((start, end)) = self.span(hash) {
                    found[count] = (batch * MAX_BATCH + k, start, end);
                    count += 1;
                }
            }
            let mut touched = 0i16;
            for &(_, start, _) in &found[..count] {
                touched ^= self.weights[start as usize].1;
            }
            std::hint::black_box(touched);
            for &(k, start, end) in &found[..count] {
                for &(class, weight) in &self.weights[start as usize..end as usize] {
                    add(k, class, f32::from(weight) * self.scale);
                }
            }
        }
    }

    /// Number of features with weights.
    pub(crate) fn len(&self) -> usize {
        self.count
    }

    /// Every feature's hash with its run, in table order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u32, &[(C, i16)])> {
        self.slots.windows(2).filter_map(|pair| {
            let ((hash, start), (_, end)) = (pair[0], pair[1]);
            (start < end).then(|| (hash, &self.weights[start as usize..end as usize]))
        })
    }
}

/// The scale that maps the largest weight to `i16::MAX`.
fn weight_scale(weights: impl Iterator<Item = f32>) -> f32 {
    let max = weights.map(f32::abs).fold(0f32, f32::max);
    if max > 0.0 {
        max / f32::from(i16::MAX)
    } else {
        1.0
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
        let weights: Vec<(u8, i16)> = (0..2000).map(|i| ((i % 5) as u8, i as i16 + 1)).collect();
        let table = FeatureWeights::new(&runs, &weights, 0.5);
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
    fn batches_past_the_first_tell_each_weight_its_feature() {
        let runs: Vec<(u32, u32, u8)> = (0..150u32).map(|h| (h * 31 + 1, h, 1)).collect();
        let weights: Vec<(u8, i16)> = (0..150).map(|i| (0, i as i16 + 1)).collect();
        let table = FeatureWeights::new(&runs, &weights, 1.0);
        // Every feature twice, with an unknown one between.
        let hashes: Vec<u32> = runs.iter().flat_map(|r| [r.0, 0, r.0]).collect();
        let mut seen = vec![0f32; hashes.len()];
        table.add_each_of(&hashes, |k, _, w| seen[k] += w);
        for (k, &value) in seen.iter().enumerate() {
            let expected = if k % 3 == 1 { 0.0 } else { (k / 3 + 1) as f32 };
            assert_eq!(value, expected, "hash {k}");
        }
    }

    #[test]
    fn a_zero_hash_and_colliding_homes_are_kept_apart() {
        // Hashes 0 and 1 << 31 ... share low bits; all land near one another
        // in a small table and must probe past each other.
        let runs = [(0, 0, 1), (1 << 31, 1, 1), (1 << 30, 2, 1), (5, 3, 0)];
        let weights = [(0u8, 1), (1, 2), (2, 3)];
        let table = FeatureWeights::new(&runs, &weights, 1.0);
        assert_eq!(table.run(0), &[(0, 1)]);
        assert_eq!(table.run(1 << 31), &[(1, 2)]);
        assert_eq!(table.run(1 << 30), &[(2, 3)]);
        assert!(table.run(5).is_empty(), "an empty run is no feature");
        assert_eq!(table.len(), 3);
    }

    #[test]
    fn a_repeated_hash_keeps_its_later_run() {
        let runs = [(9, 0, 1), (9, 1, 1)];
        let weights = [(0u8, 1), (1, 2)];
        let table = FeatureWeights::new(&runs, &weights, 1.0);
        assert_eq!(table.run(9), &[(1, 2)]);
        assert_eq!(table.len(), 1);
    }

    #[test]
    fn trained_weights_are_kept_as_multiples_of_one_scale() {
        let runs = [(1, 0, 3), (2, 3, 1)];
        let weights = [(0u8, 2.0), (1, -1.0), (2, 0.00001), (3, 0.5)];
        let table = FeatureWeights::quantised(&runs, &weights);
        assert_eq!(table.scale(), 2.0 / 32767.0);
        assert_eq!(
            table.run(1),
            &[(0, 32767), (1, -16384)],
            "a weight near zero is dropped"
        );
        let mut summed = [0f32; 4];
        table.add_each(&[1, 2, 7], |class, w| summed[usize::from(class)] += w);
        assert_eq!(summed[0], 2.0);
        assert!((summed[1] + 1.0).abs() < 1e-4 && (summed[3] - 0.5).abs() < 1e-4);
    }
}
