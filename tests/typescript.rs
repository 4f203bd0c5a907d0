#![allow(clippy::expect_used)] // test set-up
//! The npm package's TypeScript declarations (js/index.d.ts) against the reports the engine
//! serialises: every fixture's report must fit the declared interfaces (no undeclared field,
//! no missing required one, the declared kinds of value), and every declared field must be
//! seen in some report.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{REFERENCE_TIME, fixtures_dir};
use serde_json::Value;

#[derive(Debug)]
struct Field {
    optional: bool,
    ty: String,
}

#[derive(Default)]
struct Declarations {
    interfaces: BTreeMap<String, BTreeMap<String, Field>>,
    aliases: BTreeMap<String, String>,
}

fn parse(source: &str) -> Declarations {
    let mut out = Declarations::default();
    let mut lines = source.lines().map(str::trim).peekable();
    while let Some(line) = lines.next() {
        if let Some(rest) = line.strip_prefix("export interface ") {
            let name = rest.split_whitespace().next().unwrap().to_owned();
            let mut fields = BTreeMap::new();
            if let Some(parent) = rest.split(" extends ").nth(1) {
                let parent = parent.trim_end_matches('{').trim();
                for (k, f) in &out.interfaces[parent] {
                    fields.insert(
                        k.clone(),
                        Field {
                            optional: f.optional,
                            ty: f.ty.clone(),
                        },
                    );
                }
            }
            for line in lines.by_ref() {
                if line == "}" {
                    break;
                }
                if line.starts_with("/*") || line.starts_with("//") || line.is_empty() {
                    continue;
                }
                let (key, ty) = line.split_once(':').expect("a field");
                let optional = key.ends_with('?');
                fields.insert(
                    key.trim_end_matches('?').to_owned(),
                    Field {
                        optional,
                        ty: ty.trim().trim_end_matches(';').to_owned(),
                    },
                );
            }
            out.interfaces.insert(name, fields);
        } else if let Some(rest) = line.strip_prefix("export type ") {
            let (name, ty) = rest.split_once('=').expect("a type alias");
            let mut ty = ty.trim().to_owned();
            while !ty.ends_with(';') {
                ty.push(' ');
                ty.push_str(lines.next().expect("the alias goes on"));
            }
            out.aliases
                .insert(name.trim().to_owned(), ty.trim_end_matches(';').to_owned());
        }
    }
    out
}

/// Splits `ty` on `sep` outside brackets.
fn split_top(ty: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in ty.char_indices() {
        match c {
            '[' | '{' | '(' => depth += 1,
            ']' | '}' | ')' => depth -= 1,
            c if c == sep && depth == 0 => {
                parts.push(ty[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(ty[start..].trim());
    parts.into_iter().filter(|p| !p.is_empty()).collect()
}

impl Declarations {
    fn fits(
        &self,
        value: &Value,
        ty: &str,
        path: &str,
        seen: &mut BTreeSet<String>,
    ) -> Result<(), String> {
        let alternatives = split_top(ty, '|');
        let mut errors = Vec::new();
        for alternative in &alternatives {
            match self.fits_one(value, alternative, path, seen) {
                Ok(()) => return Ok(()),
                Err(e) => errors.push(e),
            }
        }
        Err(errors.join("; "))
    }

    fn fits_one(
        &self,
        value: &Value,
        ty: &str,
        path: &str,
        seen: &mut BTreeSet<String>,
    ) -> Result<(), String> {
        let wrong = || Err(format!("{path}: {value} is not {ty}"));
        match ty {
            "string" => return if value.is_string() { Ok(()) } else { wrong() },
            "number" => return if value.is_number() { Ok(()) } else { wrong() },
            "boolean" => return if value.is_boolean() { Ok(()) } else { wrong() },
            "null" => return if value.is_null() { Ok(()) } else { wrong() },
            // Any JSON object (a JWT's header and claims).
            "Record<string, unknown>" => return if value.is_object() { Ok(()) } else { wrong() },
            _ => {}
        }
        if let Some(literal) = ty.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
            return if value.as_str() == Some(literal) {
                Ok(())
            } else {
                wrong()
            };
        }
        if let Some(element) = ty.strip_suffix("[]") {
            let Some(items) = value.as_array() else {
                return wrong();
            };
            for (i, item) in items.iter().enumerate() {
                self.fits(item, element, &format!("{path}[{i}]"), seen)?;
            }
            return Ok(());
        }
        if let Some(inner) = ty.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            let types = split_top(inner, ',');
            let Some(items) = value.as_array().filter(|a| a.len() == types.len()) else {
                return wrong();
            };
            for (i, (item, ty)) in items.iter().zip(types).enumerate() {
                self.fits(item, ty, &format!("{path}[{i}]"), seen)?;
            }
            return Ok(());
        }
        if let Some(alias) = self.aliases.get(ty) {
            return self.fits(value, alias, path, seen);
        }
        let fields = self
            .interfaces
            .get(ty)
            .unwrap_or_else(|| panic!("{path}: the type {ty} is not declared"));
        let Some(object) = value.as_object() else {
            return wrong();
        };
        for key in object.keys() {
            if !fields.contains_key(key) {
                return Err(format!("{path}: field `{key}` is not declared in {ty}"));
            }
        }
        for (key, field) in fields {
            match object.get(key) {
                Some(v) => {
                    self.fits(v, &field.ty, &format!("{path}.{key}"), seen)?;
                    seen.insert(format!("{ty}.{key}"));
                }
                None if field.optional => {}
                None => return Err(format!("{path}: {ty} requires `{key}`")),
            }
        }
        Ok(())
    }
}

fn every_fixture() -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("fixtures") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&fixtures_dir(), &mut out);
    out.sort();
    out
}

#[test]
fn every_report_fits_the_typescript_declarations() {
    let source =
        std::fs::read_to_string(fixtures_dir().join("../../js/index.d.ts")).expect("js/index.d.ts");
    let declarations = parse(&source);
    assert!(declarations.interfaces.contains_key("Report"));
    let mut seen = BTreeSet::new();
    let mut reports = 0;
    for path in every_fixture() {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let options = httpdx::Options {
            format: None,
            reference_time: Some(REFERENCE_TIME),
        };
        let Ok(report) = httpdx::diagnose_bytes(&bytes, &options) else {
            continue;
        };
        // As reported, and with bodies cut as the CLI's --json cuts them (`truncated`).
        let mut cut = report.clone();
        cut.cut_bodies(64);
        for report in [&report, &cut] {
            let value = serde_json::to_value(report).expect("a report serialises");
            if let Err(error) = declarations.fits(&value, "Report", "report", &mut seen) {
                panic!("{}: {error}", path.display());
            }
        }
        reports += 1;
    }
    assert!(reports > 300, "{reports} reports");
    // No rule stresses words yet: the emphasis segment is checked as the engine writes it.
    let stressed = httpdx::report::Text::from(httpdx::report::emphasis("not"));
    let value = serde_json::to_value(&stressed).expect("a text serialises");
    if let Err(error) = declarations.fits(&value, "Text", "text", &mut seen) {
        panic!("emphasis: {error}");
    }
    // Every declared field of the report is used, so the declarations describe no phantom.
    let options = ["DiagnoseOptions", "ShareOptions"];
    // Written by producers the fixtures were not recorded with: DevTools, Firefox and Safari
    // exports write `timings.blocked` (the shared HAR corpus has it; src/input/har tests
    // read it), Playwright's recorder, which made the fixtures, does not.
    let elsewhere = ["Phases.blocked"];
    let unseen: Vec<String> = declarations
        .interfaces
        .iter()
        .filter(|(name, _)| !options.contains(&name.as_str()))
        .flat_map(|(name, fields)| fields.keys().map(move |k| format!("{name}.{k}")))
        .filter(|k| !seen.contains(k) && !elsewhere.contains(&k.as_str()))
        .collect();
    assert!(unseen.is_empty(), "declared but never seen: {unseen:?}");
}

#[test]
fn an_undeclared_field_is_caught() {
    let declarations = parse(
        "export interface A {\n  x: number;\n  y?: string | null;\n}\nexport type H = [string, string];\n",
    );
    let mut seen = BTreeSet::new();
    let ok = serde_json::json!({"x": 1, "y": null});
    assert!(declarations.fits(&ok, "A", "a", &mut seen).is_ok());
    for bad in [
        serde_json::json!({"x": 1, "z": 2}),
        serde_json::json!({"y": "s"}),
        serde_json::json!({"x": "1"}),
    ] {
        assert!(
            declarations.fits(&bad, "A", "a", &mut seen).is_err(),
            "{bad}"
        );
    }
    assert!(
        declarations
            .fits(&serde_json::json!(["a", "b"]), "H", "h", &mut seen)
            .is_ok()
    );
    assert!(
        declarations
            .fits(&serde_json::json!(["a"]), "H", "h", &mut seen)
            .is_err()
    );
}
