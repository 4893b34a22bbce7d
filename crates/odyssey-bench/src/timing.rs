//! Speed figures: per-case latency percentiles and the process's peak memory.

use serde::Serialize;

/// Latency summary of a set of per-case durations.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Latency {
    /// Number of measurements.
    pub n: usize,
    /// Median, milliseconds (nearest-rank: the ceil(0.5 n)-th smallest).
    pub median_ms: f64,
    /// 95th percentile, milliseconds (nearest-rank: the ceil(0.95 n)-th smallest).
    pub p95_ms: f64,
    /// Mean, milliseconds.
    pub mean_ms: f64,
    /// Maximum, milliseconds.
    pub max_ms: f64,
}

/// Nearest-rank percentile (`p` in (0, 100]) of sorted values: the ceil(p/100 n)-th smallest.
pub fn percentile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

impl Latency {
    /// From durations in nanoseconds.
    pub fn from_nanos(nanos: &[u64]) -> Latency {
        let mut ms: Vec<f64> = nanos.iter().map(|&n| n as f64 / 1e6).collect();
        ms.sort_by(f64::total_cmp);
        let n = ms.len();
        Latency {
            n,
            median_ms: percentile_sorted(&ms, 50.0),
            p95_ms: percentile_sorted(&ms, 95.0),
            mean_ms: if n == 0 {
                0.0
            } else {
                ms.iter().sum::<f64>() / n as f64
            },
            max_ms: ms.last().copied().unwrap_or(0.0),
        }
    }
}

/// Peak resident set size of this process in MiB (`VmHWM` of `/proc/self/status`, Linux);
/// `None` elsewhere.
pub fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_vm_kib(&s, "VmHWM:").map(|kib| kib as f64 / 1024.0)
}

/// Current resident set size in MiB (`VmRSS`), Linux only.
pub fn current_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_vm_kib(&s, "VmRSS:").map(|kib| kib as f64 / 1024.0)
}

/// The 1-minute load average (`/proc/loadavg`, Linux): how busy the machine was while
/// timing.
pub fn load_average_1min() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn parse_vm_kib(status: &str, key: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(key))?;
    let mut it = line[key.len()..].split_whitespace();
    let v: u64 = it.next()?.parse().ok()?;
    (it.next() == Some("kB")).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles_by_hand() {
        // 1..=20 ms: median = 10th smallest = 10, p95 = 19th smallest = 19
        let nanos: Vec<u64> = (1..=20).map(|i| i * 1_000_000).collect();
        let l = Latency::from_nanos(&nanos);
        assert_eq!(
            (l.n, l.median_ms, l.p95_ms, l.max_ms),
            (20, 10.0, 19.0, 20.0)
        );
        assert!((l.mean_ms - 10.5).abs() < 1e-12);
        assert_eq!(Latency::from_nanos(&[]).median_ms, 0.0);
        assert_eq!(percentile_sorted(&[5.0], 95.0), 5.0);
    }

    #[test]
    fn reads_proc_status_lines() {
        let s = "Name:\tx\nVmPeak:\t  100 kB\nVmHWM:\t    2048 kB\nVmRSS:\t 1024 kB\n";
        assert_eq!(parse_vm_kib(s, "VmHWM:"), Some(2048));
        assert_eq!(parse_vm_kib(s, "VmSwap:"), None);
        assert_eq!(parse_vm_kib("VmHWM: 12 MB\n", "VmHWM:"), None);
    }
}
