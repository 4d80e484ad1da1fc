//! Who made an item: the names in a developer or publisher field ("Valve, Hidden Path" is
//! two; "Bit Blot, LLC" is one), as written and folded for matching.

/// Company suffixes that a comma separates from the name they belong to ("Bit Blot, LLC").
const COMPANY_SUFFIXES: &[&str] = &[
    "llc",
    "inc",
    "ltd",
    "ltd.",
    "inc.",
    "co",
    "co.",
    "corp",
    "corp.",
    "gmbh",
    "s.a.",
    "sa",
    "s.l.",
    "sl",
    "srl",
    "s.r.l.",
    "ab",
    "oy",
    "as",
    "llp",
    "plc",
    "pty",
    "pty ltd",
    "kg",
    "bv",
    "b.v.",
    "limited",
    "ug",
    "s.r.o.",
    "sro",
    "k.k.",
    "co. ltd.",
    "co., ltd.",
    "ltd co",
];

/// Names in a developer or publisher field, folded ("Valve, Hidden Path" → "valve", "hidden
/// path"; "Bit Blot, LLC" is one name, "bit blot").
pub(super) fn split_makers(field: &str) -> Vec<String> {
    maker_parts(field).into_iter().map(|(_, f)| f).collect()
}

/// Each name in a developer or publisher field: (as written, a company suffix kept with its
/// name: "Bit Blot, LLC"; folded, without the suffix: "bit blot"). "Valve, Hidden Path" is
/// two names.
#[must_use]
pub fn maker_parts(field: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for part in field.split([',', ';']) {
        let m = crate::text::fold(part).trim().to_string();
        if m.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some((raw, _)) if COMPANY_SUFFIXES.contains(&m.as_str()) => {
                raw.push_str(", ");
                raw.push_str(part.trim());
            }
            _ if COMPANY_SUFFIXES.contains(&m.as_str()) => {}
            _ => out.push((part.trim().to_string(), m)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maker_names_keep_company_suffixes_with_their_name() {
        assert_eq!(split_makers("Valve, Hidden Path"), ["valve", "hidden path"]);
        assert_eq!(split_makers("Bit Blot, LLC"), ["bit blot"]);
        let shown = |f: &str| -> Vec<String> { maker_parts(f).into_iter().map(|p| p.0).collect() };
        assert_eq!(shown("Bit Blot, LLC"), ["Bit Blot, LLC"]);
        assert_eq!(
            shown("Moon Studios GmbH; Microsoft"),
            ["Moon Studios GmbH", "Microsoft"]
        );
    }
}
