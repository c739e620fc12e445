//! The statistics of a relation's history: a weighted least-squares trend
//! with its uncertainty, and change points by binary segmentation. Pure
//! functions over per-bucket means.

/// One bucket of a series: time in years, mean value, weight (events).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Time of the bucket, in years since the start of the window.
    pub x: f64,
    /// Mean value of the bucket's events.
    pub y: f64,
    /// Number of events behind the mean.
    pub w: f64,
}

/// A fitted line's slope with its uncertainty.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slope {
    /// Change per year.
    pub per_year: f64,
    /// Standard error.
    pub standard_error: f64,
    /// Lower end of the 95 % interval.
    pub low: f64,
    /// Upper end of the 95 % interval.
    pub high: f64,
    /// Points fitted.
    pub points: usize,
}

/// Two-sided 95 % quantiles of Student's t for 1 to 30 degrees of freedom.
const T_975: [f64; 30] = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
    2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
    2.052, 2.048, 2.045, 2.042,
];

fn t_quantile(degrees: usize) -> f64 {
    match degrees {
        0 => f64::INFINITY,
        d if d <= 30 => T_975[d - 1],
        d if d <= 60 => 2.0,
        _ => 1.96,
    }
}

/// The weighted least-squares slope of `points` (weights: events, so a
/// bucket of many events counts more); `None` with fewer than three points
/// or no spread in time.
pub fn trend(points: &[Point]) -> Option<Slope> {
    let points: Vec<&Point> = points.iter().filter(|p| p.w > 0.0).collect();
    let n = points.len();
    if n < 3 {
        return None;
    }
    let total: f64 = points.iter().map(|p| p.w).sum();
    let mean_x = points.iter().map(|p| p.w * p.x).sum::<f64>() / total;
    let mean_y = points.iter().map(|p| p.w * p.y).sum::<f64>() / total;
    let sxx: f64 = points.iter().map(|p| p.w * (p.x - mean_x).powi(2)).sum();
    if sxx <= f64::EPSILON {
        return None;
    }
    let sxy: f64 = points
        .iter()
        .map(|p| p.w * (p.x - mean_x) * (p.y - mean_y))
        .sum();
    let slope = sxy / sxx;
    let residual: f64 = points
        .iter()
        .map(|p| p.w * (p.y - mean_y - slope * (p.x - mean_x)).powi(2))
        .sum();
    let variance = residual / (n - 2) as f64;
    let standard_error = (variance / sxx).sqrt();
    let margin = t_quantile(n - 2) * standard_error;
    Some(Slope {
        per_year: slope,
        standard_error,
        low: slope - margin,
        high: slope + margin,
        points: n,
    })
}

/// Smallest difference of means, in the series' units, worth calling a
/// shift.
pub const MIN_SHIFT: f64 = 1.0;
/// Fewest points on each side of a shift.
const MIN_SEGMENT: usize = 2;
/// Most shifts reported.
const MAX_SHIFTS: usize = 10;

/// Indexes (into `points`) where a new level starts: binary segmentation
/// of the weighted means, a split kept when it explains more variance than
/// a penalty of 3·σ²·ln n (σ estimated robustly from successive
/// differences) and moves the mean by at least [`MIN_SHIFT`].
pub fn shifts(points: &[Point]) -> Vec<usize> {
    let n = points.len();
    if n < 2 * MIN_SEGMENT {
        return Vec::new();
    }
    let sigma = noise(points);
    let penalty = 3.0 * sigma * sigma * (n as f64).ln();
    let mut found = Vec::new();
    let mut pending = vec![(0, n)];
    while let Some((start, end)) = pending.pop() {
        if found.len() == MAX_SHIFTS {
            break;
        }
        if let Some(split) = best_split(&points[start..end], penalty) {
            found.push(start + split);
            pending.push((start, start + split));
            pending.push((start + split, end));
        }
    }
    found.sort_unstable();
    found
}

/// Weighted mean of `points`.
pub fn weighted_mean(points: &[Point]) -> f64 {
    let total: f64 = points.iter().map(|p| p.w).sum();
    if total > 0.0 {
        points.iter().map(|p| p.w * p.y).sum::<f64>() / total
    } else {
        0.0
    }
}

/// The per-event noise: successive differences scaled to unit weight, their
/// median absolute size (× 1.4826, the normal consistency factor); at least
/// 1.
fn noise(points: &[Point]) -> f64 {
    let mut differences: Vec<f64> = points
        .windows(2)
        .map(|w| ((w[1].y - w[0].y) / (1.0 / w[0].w + 1.0 / w[1].w).sqrt()).abs())
        .filter(|d| d.is_finite())
        .collect();
    if differences.is_empty() {
        return 1.0;
    }
    differences.sort_by(f64::total_cmp);
    let median = differences[differences.len() / 2];
    (1.4826 * median).max(1.0)
}

/// The split of `points` that most reduces the weighted squared error, if
/// it passes the penalty and the smallest shift.
fn best_split(points: &[Point], penalty: f64) -> Option<usize> {
    let n = points.len();
    if n < 2 * MIN_SEGMENT {
        return None;
    }
    let cost = |part: &[Point]| {
        let mean = weighted_mean(part);
        part.iter().map(|p| p.w * (p.y - mean).powi(2)).sum::<f64>()
    };
    let whole = cost(points);
    let mut best: Option<(usize, f64)> = None;
    for k in MIN_SEGMENT..=n - MIN_SEGMENT {
        let (left, right) = points.split_at(k);
        let gain = whole - cost(left) - cost(right);
        let moved = (weighted_mean(left) - weighted_mean(right)).abs();
        if gain > penalty && moved >= MIN_SHIFT && best.is_none_or(|(_, g)| gain > g) {
            best = Some((k, gain));
        }
    }
    best.map(|(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic wobble in [-1, 1].
    fn wobble(i: usize) -> f64 {
        ((i * 7919 % 200) as f64 / 100.0) - 1.0
    }

    fn series(levels: &[(usize, f64)]) -> Vec<Point> {
        let mut points = Vec::new();
        for &(count, level) in levels {
            for _ in 0..count {
                let i = points.len();
                points.push(Point {
                    x: i as f64 / 12.0,
                    y: level + wobble(i),
                    w: 10.0,
                });
            }
        }
        points
    }

    #[test]
    fn a_steady_decline_is_a_significant_negative_slope() {
        let points: Vec<Point> = (0..36)
            .map(|i| Point {
                x: i as f64 / 12.0,
                y: 3.0 - 1.5 * (i as f64 / 12.0) + wobble(i),
                w: 5.0,
            })
            .collect();
        let slope = trend(&points).unwrap();
        assert!((slope.per_year + 1.5).abs() < 0.5, "{slope:?}");
        assert!(slope.high < 0.0, "{slope:?}");
        let flat = trend(&series(&[(36, 2.0)])).unwrap();
        assert!(flat.low < 0.0 && flat.high > 0.0, "{flat:?}");
        assert!(trend(&series(&[(2, 1.0)])).is_none());
    }

    #[test]
    fn finds_where_the_level_changes_and_nothing_in_noise() {
        assert_eq!(shifts(&series(&[(12, 3.0), (12, -4.0)])), [12]);
        assert_eq!(
            shifts(&series(&[(10, 3.0), (8, -4.0), (10, 2.0)])),
            [10, 18]
        );
        assert!(shifts(&series(&[(30, 1.0)])).is_empty());
    }
}
