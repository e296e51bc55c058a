//! A small well-formedness check of XML, enough for the SVG we write:
//! every tag closed in order, attributes quoted and unique, every `&`
//! an entity, no `<` in text or attribute values.

#![allow(dead_code)]

/// `Ok` with the number of elements when `text` is one well-formed XML
/// element; the first problem otherwise.
pub fn check(text: &str) -> Result<usize, String> {
    let mut open: Vec<&str> = Vec::new();
    let mut elements = 0;
    let mut roots = 0;
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        check_text(&rest[..lt])?;
        if open.is_empty() && !rest[..lt].trim().is_empty() {
            return Err(format!("text outside the root: {:?}", &rest[..lt]));
        }
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").ok_or("unclosed comment")?;
            rest = &after[end + 3..];
            continue;
        }
        let gt = tag_end(rest).ok_or_else(|| format!("unclosed tag at {:?}", head(rest)))?;
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim_end();
            match open.pop() {
                Some(top) if top == name => {}
                top => return Err(format!("</{name}> closes <{}>", top.unwrap_or("nothing"))),
            }
            continue;
        }
        let (body, empty) = match tag.strip_suffix('/') {
            Some(body) => (body, true),
            None => (tag, false),
        };
        let name_len = body.find(|c: char| c.is_whitespace()).unwrap_or(body.len());
        let name = &body[..name_len];
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || "-_:.".contains(c))
        {
            return Err(format!("bad element name {name:?}"));
        }
        check_attributes(&body[name_len..])?;
        elements += 1;
        if open.is_empty() {
            roots += 1;
        }
        if !empty {
            open.push(name);
        }
    }
    check_text(rest)?;
    if !rest.trim().is_empty() {
        return Err("text after the root".into());
    }
    match (open.last(), roots) {
        (Some(name), _) => Err(format!("<{name}> is never closed")),
        (None, 1) => Ok(elements),
        (None, n) => Err(format!("{n} root elements")),
    }
}

fn head(text: &str) -> &str {
    &text[..text.len().min(40)]
}

/// The `>` that ends the tag at the start of `text`, outside quotes.
fn tag_end(text: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in text.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

fn check_attributes(mut text: &str) -> Result<(), String> {
    let mut names = Vec::new();
    loop {
        text = text.trim_start();
        if text.is_empty() {
            return Ok(());
        }
        let eq = text
            .find('=')
            .ok_or_else(|| format!("attribute without value: {text:?}"))?;
        let name = text[..eq].trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(format!("bad attribute name {name:?}"));
        }
        if names.contains(&name) {
            return Err(format!("attribute {name} twice"));
        }
        names.push(name);
        let value = text[eq + 1..].trim_start();
        let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'');
        let quote = quote.ok_or_else(|| format!("unquoted attribute {name}"))?;
        let end = value[1..].find(quote).ok_or("unclosed attribute")?;
        let inner = &value[1..1 + end];
        if inner.contains('<') {
            return Err(format!("`<` in attribute {name}"));
        }
        check_text(inner)?;
        text = &value[end + 2..];
    }
}

/// Every `&` starts an entity.
fn check_text(text: &str) -> Result<(), String> {
    for (i, _) in text.match_indices('&') {
        let rest = &text[i + 1..];
        let end = rest
            .find(';')
            .ok_or_else(|| format!("bare & in {:?}", head(&text[i..])))?;
        let entity = &rest[..end];
        let ok = matches!(entity, "amp" | "lt" | "gt" | "quot" | "apos")
            || entity.strip_prefix('#').is_some_and(|n| {
                n.strip_prefix('x').map_or(
                    !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()),
                    |h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()),
                )
            });
        if !ok {
            return Err(format!("bad entity &{entity};"));
        }
    }
    Ok(())
}

#[test]
fn the_checker_tells_well_formed_from_broken() {
    assert_eq!(check("<a x=\"1\"><b/>t &amp; u<!-- c --></a>"), Ok(2));
    for broken in [
        "<a><b></a></b>",
        "<a x=1/>",
        "<a>&nbsp;</a>",
        "<a>x & y</a>",
        "<a x=\"<\"/>",
        "<a/><b/>",
        "<a>",
        "<a x=\"1\" x=\"2\"/>",
    ] {
        assert!(check(broken).is_err(), "{broken}");
    }
}
