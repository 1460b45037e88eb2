//! The fixes of `json-syntax` (remove a trailing comma) and `unindexed-foreign-key` (add a
//! `CREATE INDEX` after the table) produce documents on which the finding is gone and
//! nothing new appears.

use crate::support;

use spec_check::diagnostic::Diagnostic;

const SPEC: &str = "docs/06-technical-specification.md";

/// Apply every fix of the findings of `code` (edits do not overlap here), last first.
fn apply(text: &str, diags: &[Diagnostic], code: &str) -> String {
    let mut edits: Vec<_> = diags
        .iter()
        .filter(|d| d.code == code)
        .filter_map(|d| d.fix())
        .flat_map(|f| f.edits.iter().cloned())
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(e.range.clone(), &e.replacement);
    }
    out
}

fn codes(text: &str) -> Vec<String> {
    let packs = support::packs();
    let report = support::check_text(&packs, SPEC, text, &support::complete_project());
    report.diagnostics.iter().map(|d| d.code.clone()).collect()
}

#[test]
fn trailing_comma_fix_makes_the_json_parse() {
    let text = "# Acme\n\n## 4. API Specification\n\n- Request:\n\n  ```json\n  {\n    \"items\": [1, 2,],\n    \"total\": 3,\n  }\n  ```\n";
    let packs = support::packs();
    let report = support::check_text(&packs, SPEC, text, &support::complete_project());
    let cb: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "CB001")
        .collect();
    assert_eq!(cb.len(), 1, "one error a block: the first");
    let fixed = apply(text, &report.diagnostics, "CB001");
    assert!(fixed.contains("\"items\": [1, 2],"), "{fixed}");
    // the second trailing comma is found and fixed on the next round
    let again = support::check_text(&packs, SPEC, &fixed, &support::complete_project());
    let fixed = apply(&fixed, &again.diagnostics, "CB001");
    assert!(fixed.contains("\"total\": 3\n  }"), "{fixed}");
    assert!(!codes(&fixed).contains(&"CB001".to_string()));
}

#[test]
fn foreign_key_index_fix_adds_an_index_after_the_table() {
    let text = "# Acme\n\n## 5. Database Design\n\n```sql\nCREATE TABLE invoices (\n  id UUID PRIMARY KEY,\n  customer_id UUID NOT NULL REFERENCES customers(id),\n  owner_id UUID REFERENCES users(id),\n  created_at TIMESTAMPTZ NOT NULL DEFAULT now()\n);\n```\n";
    let packs = support::packs();
    let report = support::check_text(&packs, SPEC, text, &support::complete_project());
    let fixes: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "DB002")
        .map(|d| d.fix().expect("DB002 carries a fix"))
        .collect();
    assert_eq!(fixes.len(), 2);
    assert!(
        fixes
            .iter()
            .all(|f| f.applicability == spec_check::diagnostic::Applicability::Unsafe)
    );
    let fixed = apply(text, &report.diagnostics, "DB002");
    assert!(
        fixed.contains(");\nCREATE INDEX idx_invoices_owner_id ON invoices (owner_id);\nCREATE INDEX idx_invoices_customer_id ON invoices (customer_id);\n```")
            || fixed.contains(");\nCREATE INDEX idx_invoices_customer_id ON invoices (customer_id);\nCREATE INDEX idx_invoices_owner_id ON invoices (owner_id);\n```"),
        "{fixed}"
    );
    let after = codes(&fixed);
    assert!(!after.contains(&"DB002".to_string()), "{after:?}");
    assert!(!after.contains(&"CB002".to_string()), "{after:?}");
}
