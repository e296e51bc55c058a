//! How the cluster subcommands print: a table with aligned columns, or
//! JSON with `--json`.

use anyhow::Result;
use kfp_ir_schema::printable::escaped;
use serde::Serialize;

/// Where a cluster subcommand's result goes: JSON with `--json`, else a
/// table.
pub struct Output {
    /// Print JSON instead of a table.
    pub json: bool,
}

impl Output {
    /// Prints `value` as JSON, or the table `table` makes of it.
    pub fn value<T: Serialize>(&self, value: &T, table: impl FnOnce() -> Table) -> Result<()> {
        if self.json {
            println!("{}", serde_json::to_string_pretty(value)?);
        } else {
            print!("{}", table().render());
        }
        Ok(())
    }

    /// Prints that `what` was done to `id`.
    pub fn done(&self, what: &str, id: &str) {
        if self.json {
            println!("{}", serde_json::json!({ "ok": what, "id": id }));
        } else {
            println!("{what} {id}");
        }
    }
}

/// When a create got no answer, so that the server may have done it all
/// the same: `error`, headed by what may exist and how to look for it
/// (`run `r` may have been created: check with `kfp run list ...``).
/// Other errors are returned as they are.
pub fn unsure(error: kfp_client::Error, what: impl FnOnce() -> String) -> anyhow::Error {
    if error.may_have_been_done() {
        anyhow::Error::new(error).context(what())
    } else {
        error.into()
    }
}

/// A text table with aligned columns. Its cells are what a server sent,
/// so their control characters are escaped: a name cannot drive the
/// terminal.
#[derive(Debug, Default)]
pub struct Table {
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    footer: Option<String>,
}

impl Table {
    /// A table with these column headers and no rows.
    pub fn new(header: &[&'static str]) -> Self {
        Self {
            header: header.to_vec(),
            ..Self::default()
        }
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(
            cells
                .into_iter()
                .map(|cell| escaped(&cell).into_owned())
                .collect(),
        );
    }

    /// Ends the table with the token of the next page, when there is one.
    pub fn next_page(mut self, token: &str) -> Self {
        if !token.is_empty() {
            self.footer = Some(format!("next page: --page-token {token}"));
        }
        self
    }

    /// Ends the table with a line of text.
    pub fn set_footer(&mut self, footer: String) {
        self.footer = Some(escaped(&footer).into_owned());
    }

    /// The table as text, columns separated by two spaces.
    pub fn render(&self) -> String {
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(cell.chars().count());
                }
            }
        }
        let line = |cells: Vec<&str>| {
            let mut s = String::new();
            for (i, cell) in cells.iter().enumerate() {
                if i + 1 == cells.len() {
                    s.push_str(cell);
                } else {
                    s.push_str(&format!("{cell:<w$}  ", w = widths[i]));
                }
            }
            s.trim_end().to_owned() + "\n"
        };
        let mut out = line(self.header.clone());
        for row in &self.rows {
            out.push_str(&line(row.iter().map(String::as_str).collect()));
        }
        if let Some(f) = &self.footer {
            out.push_str(f);
            out.push('\n');
        }
        out
    }
}

/// The text of a field the server may leave out.
pub fn opt_str(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_columns() {
        let mut t = Table::new(&["A", "LONGER"]);
        t.row(vec!["value".into(), "x".into()]);
        let t = t.next_page("tok");
        assert_eq!(
            t.render(),
            "A      LONGER\nvalue  x\nnext page: --page-token tok\n"
        );
    }

    #[test]
    fn cells_cannot_drive_the_terminal() {
        let mut t = Table::new(&["NAME"]);
        t.row(vec!["\x1b[2Jrun".into()]);
        t.set_footer("error: \x1b[31mboom".into());
        assert_eq!(t.render(), "NAME\n\\u{1b}[2Jrun\nerror: \\u{1b}[31mboom\n");
    }
}
