//! Trigger conditions made readable: each input a condition reads named by
//! where its value comes from, and the casts around it dropped.

/// The prefix kfp gives the inputs it adds to a group to pass a value into
/// it (`pipelinechannel--flip-coin-Output`; kfp's
/// `compiler_utils.additional_input_name_for_pipeline_channel`).
use kfp_ir_schema::naming::PIPELINE_CHANNEL;

/// The name of an input without kfp's `pipelinechannel--` prefix.
pub(super) fn without_channel_prefix(input: &str) -> &str {
    input.strip_prefix(PIPELINE_CHANNEL).unwrap_or(input)
}

/// The inputs a CEL condition reads (`inputs.parameter_values['NAME']`), in
/// order of appearance, each once.
pub(super) fn condition_inputs(cel: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = cel;
    while let Some((_, name, after)) = next_reference(rest) {
        if !names.contains(&name) {
            names.push(name);
        }
        rest = after;
    }
    names
}

/// `cel` with every `inputs.parameter_values['NAME']` replaced by
/// `name_of(NAME)`, and a cast around it (`int(…)`, `double(…)`) dropped:
/// `int(inputs.parameter_values['pipelinechannel--n']) > 5` reads `n > 5`.
pub(super) fn readable_condition(cel: &str, name_of: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(cel.len());
    let mut rest = cel;
    while let Some((before, name, mut after)) = next_reference(rest) {
        out.push_str(before);
        let cast = ["int(", "double(", "string(", "bool("]
            .into_iter()
            .find(|cast| ends_with_call(&out, cast));
        if let (Some(cast), Some(closed)) = (cast, after.strip_prefix(')')) {
            out.truncate(out.len() - cast.len());
            after = closed;
        }
        out.push_str(&name_of(name));
        rest = after;
    }
    out.push_str(rest);
    out
}

/// True when `text` ends with the call `open` (`int(`) and not with a
/// longer name (`myint(`).
fn ends_with_call(text: &str, open: &str) -> bool {
    text.strip_suffix(open).is_some_and(|before| {
        !before
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
    })
}

/// The text before the next `inputs.parameter_values['NAME']` of `text`,
/// NAME, and the text after it.
fn next_reference(text: &str) -> Option<(&str, &str, &str)> {
    const START: &str = "inputs.parameter_values[";
    let mut from = 0;
    loop {
        let at = from + text[from..].find(START)?;
        let open = at + START.len();
        let quote = text[open..].chars().next()?;
        if quote == '\'' || quote == '"' {
            let name_start = open + 1;
            if let Some(len) = text[name_start..].find(quote) {
                let name_end = name_start + len;
                if let Some(after) = text[name_end + 1..].strip_prefix(']') {
                    return Some((&text[..at], &text[name_start..name_end], after));
                }
            }
        }
        from = open;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn short(name: &str) -> String {
        without_channel_prefix(name).replace("-Output", ".Output")
    }

    #[test]
    fn references_are_named_and_casts_dropped() {
        let cases = [
            (
                "inputs.parameter_values['pipelinechannel--flip-coin-Output'] == 'heads'",
                "flip-coin.Output == 'heads'",
            ),
            (
                "int(inputs.parameter_values['pipelinechannel--n']) > 5",
                "n > 5",
            ),
            (
                "!(double(inputs.parameter_values['pipelinechannel--f']) < 0.5) && \
                 int(inputs.parameter_values['pipelinechannel--n']) == 7",
                "!(f < 0.5) && n == 7",
            ),
            ("myint(inputs.parameter_values[\"x\"])", "myint(x)"),
            (
                "inputs.parameter_values[x] == 1",
                "inputs.parameter_values[x] == 1",
            ),
            ("true", "true"),
        ];
        for (cel, readable) in cases {
            assert_eq!(readable_condition(cel, short), readable, "{cel}");
        }
    }

    #[test]
    fn the_inputs_a_condition_reads_are_listed_once() {
        let cel = "!(int(inputs.parameter_values['pipelinechannel--a']) < 5) && \
                   int(inputs.parameter_values['pipelinechannel--a']) > inputs.parameter_values['b']";
        assert_eq!(condition_inputs(cel), ["pipelinechannel--a", "b"]);
    }
}
