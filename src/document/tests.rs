use super::*;

fn titles(doc: &Document) -> Vec<(u8, Option<&str>, &str)> {
    doc.sections
        .iter()
        .map(|s| (s.level, s.number.as_deref(), s.title.as_str()))
        .collect()
}

#[test]
fn headings_with_numbers_emoji_and_closing_hashes() {
    let doc = Document::parse(
        "x.md",
        "# Title\n\n## 🔌 4. API Specification\n\n### 4.3.1 Auth ###\n\n## 4) API Specs\n\n## **5. Database**\n\n## 2026 Roadmap\n",
    );
    assert_eq!(
        titles(&doc),
        vec![
            (1, None, "Title"),
            (2, Some("4"), "API Specification"),
            (3, Some("4.3.1"), "Auth"),
            (2, Some("4"), "API Specs"),
            (2, None, "5. Database"),
            (2, None, "2026 Roadmap"),
        ]
    );
    assert_eq!(doc.sections[1].decoration, "🔌 ");
    assert_eq!(doc.slice(&doc.sections[1].title_span), "API Specification");
    assert_eq!(
        doc.slice(doc.sections[1].number_span.as_ref().unwrap()),
        "4."
    );
    assert_eq!(doc.sections[0].children, vec![1, 3, 4, 5]);
    assert_eq!(doc.sections[2].parent, Some(1));
}

#[test]
fn section_bodies_stop_at_same_or_higher_level() {
    let text = "# A\nintro\n## B\nb text\n### C\nc\n## D\nd\n";
    let doc = Document::parse("x.md", text);
    assert_eq!(doc.slice(&doc.sections[1].body), "b text\n### C\nc\n");
    assert_eq!(doc.slice(&doc.sections[2].body), "c\n");
    assert_eq!(doc.slice(&doc.sections[3].body), "d\n");
}

#[test]
fn crlf_bom_and_front_matter_positions() {
    let text = "\u{feff}---\r\ntitle: x\r\n---\r\n# T\r\n\r\n## 1. Overview\r\n```json\r\n{\"a\": 1}\r\n```\r\n";
    let doc = Document::parse("x.md", text);
    assert_eq!(doc.bom, 3);
    assert!(doc.front_matter.is_some());
    assert_eq!(
        titles(&doc),
        vec![(1, None, "T"), (2, Some("1"), "Overview")]
    );
    let h = &doc.sections[1];
    let p = doc.position(h.title_span.start);
    assert_eq!((p.line, p.column), (6, 7));
    let block = &doc.code_blocks[0];
    assert_eq!(block.lang, "json");
    assert_eq!(doc.slice(&block.body), "{\"a\": 1}");
    assert_eq!(doc.position(0).column, 1);
    assert_eq!(doc.first_line(), doc.sections[0].heading.clone());
}

#[test]
fn bom_does_not_count_as_a_column() {
    let doc = Document::parse("x.md", "\u{feff}# Title\n");
    let p = doc.position(doc.sections[0].title_span.start);
    assert_eq!((p.line, p.column), (1, 3));
}

#[test]
fn tables_split_cells_exactly() {
    let text = "| Decision | Choice | Rationale |\n|---|---|---|\n| DB | `a|b` | because \\| x |\n";
    let doc = Document::parse("x.md", text);
    let t = &doc.tables[0];
    assert_eq!(t.header.cells.len(), 3);
    assert_eq!(t.rows.len(), 1);
    let cells: Vec<_> = t.rows[0].cells.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(cells, vec!["DB", "`a|b`", "because \\| x"]);
    assert_eq!(doc.slice(&t.rows[0].cells[1].span), "`a|b`");
    assert_eq!(t.column(&["rationale"]), Some(2));
}

#[test]
fn code_offsets_map_into_indented_blocks() {
    let text = "- item\n  ```json\n  {\"a\": ,}\n  ```\n";
    let doc = Document::parse("x.md", text);
    let b = &doc.code_blocks[0];
    let lit_off = b.literal.find(',').unwrap();
    let off = doc.code_offset(b, lit_off);
    assert_eq!(&doc.text[off..off + 1], ",");
}

#[test]
fn unterminated_fence_runs_to_end() {
    let doc = Document::parse("x.md", "# A\n```sql\nselect 1;\n");
    assert!(!doc.code_blocks[0].closed);
    assert_eq!(doc.slice(&doc.code_blocks[0].body), "select 1;");
}

#[test]
fn headings_inside_code_are_not_sections() {
    let doc = Document::parse("x.md", "# A\n```bash\n# not a heading\n```\n");
    assert_eq!(doc.sections.len(), 1);
}

#[test]
fn cjk_chapter_ordinals_are_numbers() {
    let doc = Document::parse(
        "spec.md",
        "# 规格说明\n\n## 五、系统数据库设计\n\n## 第六章 安全规范\n\n## 第13部分：服务集成\n\n## 第二十一章 附录\n\n## 一站式服务\n",
    );
    let got: Vec<(Option<&str>, &str)> = doc
        .sections
        .iter()
        .map(|s| (s.number.as_deref(), s.title.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (None, "规格说明"),
            (Some("5"), "系统数据库设计"),
            (Some("6"), "安全规范"),
            (Some("13"), "服务集成"),
            (Some("21"), "附录"),
            (None, "一站式服务"),
        ]
    );
}
