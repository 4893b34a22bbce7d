fn main() {
    let bytes = std::fs::read("data/kb/hpo-2025-01-16.odkb").unwrap();
    let (mut dmin, mut fmin) = (f64::MAX, f64::MAX);
    for _ in 0..20 {
        let t = std::time::Instant::now();
        let raw = zstd::stream::decode_all(&bytes[28..]).unwrap();
        dmin = dmin.min(t.elapsed().as_secs_f64());
        std::hint::black_box(raw);
        let t = std::time::Instant::now();
        let kb = odyssey_kb::KnowledgeBase::embedded().unwrap();
        fmin = fmin.min(t.elapsed().as_secs_f64());
        std::hint::black_box(kb);
    }
    println!(
        "min decompress {:.1} ms, min full load {:.1} ms",
        dmin * 1e3,
        fmin * 1e3
    );
}
