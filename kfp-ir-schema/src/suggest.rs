//! "Did you mean": the known name closest to a misspelt one.

/// The known name closest to `word`, when it is close enough to be a typo
/// (at most a third of its letters wrong), or differs only in case or in
/// `snake_case` vs `camelCase`.
///
/// ```
/// use kfp_ir_schema::suggest::did_you_mean;
///
/// let known = ["componentRef", "dependentTasks", "taskInfo"];
/// assert_eq!(did_you_mean("componentRf", &known), Some("componentRef"));
/// assert_eq!(did_you_mean("component_ref", &known), Some("componentRef"));
/// assert_eq!(did_you_mean("banana", &known), None);
/// ```
pub fn did_you_mean<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    let squash = |s: &str| s.replace('_', "").to_lowercase();
    let wanted = squash(word);
    known
        .iter()
        .map(|k| (edit_distance(&wanted, &squash(k)), *k))
        .filter(|(d, k)| *d <= (k.len() / 3).max(1))
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(cur)
            };
            prev = cur;
        }
    }
    row[b.len()]
}
