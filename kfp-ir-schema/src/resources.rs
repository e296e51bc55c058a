//! Kubernetes resource quantities as kfp reads them into a container's
//! deprecated numeric resources: CPU in cores (`500m` is 0.5) and memory
//! in gigabytes (`512Mi` is 0.536870912), after kfp's validation regexes.
//!
//! ```
//! use kfp_ir_schema::resources::{cpu_to_float, memory_to_float};
//!
//! assert_eq!(cpu_to_float("500m"), Some(0.5));
//! assert_eq!(cpu_to_float("2"), Some(2.0));
//! assert_eq!(memory_to_float("4G"), Some(4.0));
//! assert_eq!(memory_to_float("1Gi"), Some(1.073741824));
//! assert_eq!(memory_to_float("lots"), None);
//! ```

/// kfp's `_cpu_to_float` after its validation regex
/// `([0-9]*[.])?[0-9]+m?$`: cores.
pub fn cpu_to_float(cpu: &str) -> Option<f64> {
    let (number, milli) = match cpu.strip_suffix('m') {
        Some(n) => (n, true),
        None => (cpu, false),
    };
    let (int, frac) = match number.split_once('.') {
        Some((i, f)) => (i, f),
        None => ("", number),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if frac.is_empty() || !digits(int) || !digits(frac) {
        return None;
    }
    let value: f64 = number.parse().ok()?;
    Some(if milli { value / 1000.0 } else { value })
}

/// kfp's `_memory_to_float` after its validation regex
/// `^[0-9]+(E|Ei|P|Pi|T|Ti|G|Gi|M|Mi|K|Ki){0,1}$`: gigabytes (10^9 bytes).
pub fn memory_to_float(memory: &str) -> Option<f64> {
    const G: f64 = 1e9;
    let units: [(&str, f64); 12] = [
        ("Ei", (1u64 << 60) as f64),
        ("Pi", (1u64 << 50) as f64),
        ("Ti", (1u64 << 40) as f64),
        ("Gi", (1u64 << 30) as f64),
        ("Mi", (1u64 << 20) as f64),
        ("Ki", (1u64 << 10) as f64),
        ("E", 1e18),
        ("P", 1e15),
        ("T", 1e12),
        ("G", G),
        ("M", 1e6),
        ("K", 1e3),
    ];
    let (digits, factor) = units
        .iter()
        .find_map(|(suffix, factor)| memory.strip_suffix(suffix).map(|d| (d, Some(*factor))))
        .unwrap_or((memory, None));
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: f64 = digits.parse().ok()?;
    Some(match factor {
        // `float(memory[:-1])` for G, as kfp does, without a round trip.
        Some(f) if f == G => value,
        Some(f) => value * f / G,
        None => value / G,
    })
}
