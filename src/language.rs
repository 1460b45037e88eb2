//! The language a document is written in, and the pack vocabularies that depend on it.
//!
//! The template is English, but specifications are often written in their author's
//! language. Section titles are matched through each section's aliases, in any language.
//! Words that content rules look for (security topics, test layers, reasons for a decision,
//! vague performance words, placeholders) are pack data too: an entry of a vocabulary may
//! carry `lang = "es"` (or a list), and then applies only to documents in that language.
//! A word that is harmless in one language can be wrong in another (French "car" gives a
//! reason; in English it is a vehicle), which is why the document's language is detected
//! once, here, rather than every language's words being tried on every document.
//!
//! Detection: documents whose prose is mostly Chinese, Japanese or Korean characters are
//! told apart by their scripts (kana is Japanese, hangul Korean); the others go to the
//! `whatlang` trigram model. Code blocks and inline code are left out: they are English
//! whatever the prose is. The `language` setting overrides the guess.

use regex::Regex;
use serde::Deserialize;

use crate::check::{CompileError, LazyRegex};
use crate::document::Document;

/// How the language of each document is chosen (`language` in the configuration).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LanguageSetting {
    /// Detect it per document.
    #[default]
    Auto,
    /// Every document is in this language (a code such as `es` or `zh-Hant`).
    Fixed(LangCode),
}

/// A language code (`es`, `pt-BR`, `zh-Hant`), held inline so that settings stay `Copy`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct LangCode {
    len: u8,
    bytes: [u8; 15],
}

impl LangCode {
    fn new(s: &str) -> Option<LangCode> {
        let mut bytes = [0u8; 15];
        bytes.get_mut(..s.len())?.copy_from_slice(s.as_bytes());
        Some(LangCode {
            len: s.len() as u8,
            bytes,
        })
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or_default()
    }
}

impl std::fmt::Debug for LangCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl LanguageSetting {
    /// `"auto"` or a language code (`es`, `pt-BR`, `zh-Hant`); `None` for anything else.
    pub fn parse(s: &str) -> Option<LanguageSetting> {
        if s.eq_ignore_ascii_case("auto") {
            return Some(LanguageSetting::Auto);
        }
        let mut parts = s.split('-');
        let primary = parts.next()?;
        let ok = (2..=3).contains(&primary.len())
            && primary.bytes().all(|b| b.is_ascii_lowercase())
            && parts.all(|p| {
                (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric())
            });
        if !ok {
            return None;
        }
        LangCode::new(s).map(LanguageSetting::Fixed)
    }

    pub fn as_str(&self) -> &str {
        match self {
            LanguageSetting::Auto => "auto",
            LanguageSetting::Fixed(code) => code.as_str(),
        }
    }

    /// The language of `doc`: the fixed one, or the detected one (`None`: too little prose
    /// to tell).
    pub fn resolve(&self, doc: &Document) -> Option<String> {
        match self {
            LanguageSetting::Auto => detect(doc).map(String::from),
            LanguageSetting::Fixed(code) => Some(code.as_str().to_string()),
        }
    }
}

/// At most this much prose is read to tell the language (a specification says it early).
const SAMPLE: usize = 24 * 1024;

/// The language of `doc`'s prose as an ISO 639-1 code (`en`, `es`, `zh`…), or the ISO 639-3
/// code of a language without one. `None` when there is too little prose to tell.
pub fn detect(doc: &Document) -> Option<&'static str> {
    detect_text(&prose(doc))
}

/// The text of `doc` outside code blocks and inline code, up to [`SAMPLE`] bytes.
fn prose(doc: &Document) -> String {
    let mut out = String::with_capacity(doc.text.len().min(SAMPLE));
    let mut at = 0;
    let mut blocks = doc
        .code_blocks
        .iter()
        .map(|b| b.span.clone())
        .collect::<Vec<_>>();
    blocks.sort_by_key(|s| s.start);
    blocks.push(doc.text.len()..doc.text.len());
    for block in blocks {
        if block.start > at {
            let mut in_code = false;
            for c in doc.text[at..block.start].chars() {
                if c == '`' {
                    in_code = !in_code;
                } else if !in_code {
                    out.push(c);
                    if out.len() >= SAMPLE {
                        return out;
                    }
                }
            }
        }
        at = at.max(block.end);
        if out.len() >= SAMPLE {
            break;
        }
    }
    out
}

/// The language of `text` (see [`detect`]).
pub fn detect_text(text: &str) -> Option<&'static str> {
    let (mut han, mut kana, mut hangul, mut other) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars() {
        match c {
            '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9D}' => {
                kana += 1
            }
            '\u{AC00}'..='\u{D7AF}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' => {
                hangul += 1
            }
            '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' => han += 1,
            c if c.is_alphabetic() => other += 1,
            _ => {}
        }
    }
    let cjk = han + kana + hangul;
    // One CJK character carries about as much as a word of four or five letters: prose
    // with a fifth as many CJK characters as other letters is CJK prose with English terms.
    if cjk >= 20 && cjk * 5 >= other {
        return Some(if hangul * 4 >= cjk {
            "ko"
        } else if kana * 10 >= cjk {
            "ja"
        } else {
            "zh"
        });
    }
    if other < 40 {
        return None;
    }
    let info = whatlang::detect(text)?;
    Some(iso_639_1(info.lang()))
}

/// The two-letter code of a `whatlang` language where there is one.
fn iso_639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Eng => "en",
        Spa => "es",
        Por => "pt",
        Fra => "fr",
        Deu => "de",
        Ita => "it",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Ind => "id",
        Vie => "vi",
        Rus => "ru",
        Tur => "tr",
        Pol => "pl",
        Swe => "sv",
        Nld => "nl",
        Dan => "da",
        Nob => "no",
        Fin => "fi",
        Ces => "cs",
        Slk => "sk",
        Ukr => "uk",
        Ron => "ro",
        Hun => "hu",
        Ell => "el",
        Heb => "he",
        Ara => "ar",
        Hin => "hi",
        Tha => "th",
        Cat => "ca",
        other => other.code(),
    }
}

/// Whether an entry for `langs` applies to a document in `doc`: the primary subtags agree
/// (`zh` entries apply to `zh-Hant` documents and the reverse). A document whose language
/// is unknown gets the entries without a language only.
pub fn applies(langs: &[String], doc: Option<&str>) -> bool {
    let Some(doc) = doc else {
        return false;
    };
    let primary = |s: &str| s.split('-').next().unwrap_or(s).to_ascii_lowercase();
    let d = primary(doc);
    langs.iter().any(|l| primary(l) == d)
}

/// One language code or several, as a vocabulary entry's `lang` names them.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Langs {
    One(String),
    Many(Vec<String>),
}

impl Langs {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            Langs::One(s) => vec![s],
            Langs::Many(v) => v,
        }
    }
}

/// A regex of a vocabulary: `'…'` for every document, or `{ lang = "es", pattern = '…' }`
/// for documents in the languages named.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum LangPattern {
    Any(String),
    In(TaggedPattern),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaggedPattern {
    pub lang: Langs,
    pub pattern: String,
}

/// A list of regexes, some of them for documents in certain languages only.
#[derive(Debug, Default)]
pub struct Vocabulary {
    entries: Vec<(Option<Vec<String>>, LazyRegex)>,
}

impl Vocabulary {
    pub fn new(patterns: &[LangPattern]) -> Result<Vocabulary, CompileError> {
        let entries = patterns
            .iter()
            .map(|p| match p {
                LangPattern::Any(s) => Ok((None, crate::check::regex(s)?)),
                LangPattern::In(t) => Ok((
                    Some(t.lang.clone().into_vec()),
                    crate::check::regex(&t.pattern)?,
                )),
            })
            .collect::<Result<_, CompileError>>()?;
        Ok(Vocabulary { entries })
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The regexes that apply to a document in `lang`.
    pub fn regexes<'a>(&'a self, lang: Option<&'a str>) -> impl Iterator<Item = &'a Regex> + 'a {
        self.entries
            .iter()
            .filter(move |(langs, _)| langs.as_ref().is_none_or(|l| applies(l, lang)))
            .map(|(_, re)| re.compile())
    }

    /// Whether any regex that applies to `lang` matches `text`.
    pub fn is_match(&self, text: &str, lang: Option<&str>) -> bool {
        self.regexes(lang).any(|re| re.is_match(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_tell_chinese_japanese_and_korean_apart() {
        let zh = "系统使用 PostgreSQL 存储订单数据，因为数据是关系型的，并且需要事务支持。前端使用 Next.js 构建。";
        let ja = "システムは PostgreSQL に注文データを保存します。データがリレーショナルで、トランザクションが必要なためです。";
        let ko = "시스템은 주문 데이터를 PostgreSQL에 저장합니다. 데이터가 관계형이고 트랜잭션이 필요하기 때문입니다.";
        assert_eq!(detect_text(zh), Some("zh"));
        assert_eq!(detect_text(ja), Some("ja"));
        assert_eq!(detect_text(ko), Some("ko"));
    }

    #[test]
    fn latin_and_cyrillic_languages_by_trigrams() {
        for (text, lang) in [
            (
                "El sistema guarda los pedidos en PostgreSQL porque los datos son relacionales y necesitamos transacciones para cada pago.",
                "es",
            ),
            (
                "Hệ thống lưu đơn hàng trong PostgreSQL vì dữ liệu có quan hệ và cần giao dịch cho mỗi lần thanh toán của khách hàng.",
                "vi",
            ),
            (
                "Sistem menyimpan pesanan di PostgreSQL karena datanya relasional dan kami membutuhkan transaksi untuk setiap pembayaran.",
                "id",
            ),
            (
                "Das System speichert Bestellungen in PostgreSQL, weil die Daten relational sind und jede Zahlung eine Transaktion braucht.",
                "de",
            ),
            (
                "Система хранит заказы в PostgreSQL, потому что данные реляционные и для каждого платежа нужны транзакции.",
                "ru",
            ),
        ] {
            assert_eq!(detect_text(text), Some(lang), "{text}");
        }
        assert_eq!(detect_text("JWT, TLS"), None);
    }

    #[test]
    fn settings_parse_codes_and_auto() {
        assert_eq!(LanguageSetting::parse("auto"), Some(LanguageSetting::Auto));
        assert_eq!(
            LanguageSetting::parse("zh-Hant"),
            Some(LanguageSetting::Fixed(LangCode::new("zh-Hant").unwrap()))
        );
        assert_eq!(LanguageSetting::parse("Spanish"), None);
        assert_eq!(LanguageSetting::parse("e"), None);
    }

    #[test]
    fn tagged_entries_apply_to_their_language_only() {
        let v = Vocabulary::new(&[
            LangPattern::Any(r"(?i)\bbecause\b".into()),
            LangPattern::In(TaggedPattern {
                lang: Langs::One("fr".into()),
                pattern: r"(?i)\bcar\b".into(),
            }),
            LangPattern::In(TaggedPattern {
                lang: Langs::Many(vec!["zh".into(), "ja".into()]),
                pattern: "因为|ため".into(),
            }),
        ])
        .unwrap();
        assert!(!v.is_match("a car park", Some("en")));
        assert!(v.is_match("choisi car il est simple", Some("fr")));
        assert!(v.is_match("选择它是因为简单", Some("zh-Hans")));
        assert!(!v.is_match("选择它是因为简单", None));
        assert!(v.is_match("because", None));
    }

    #[test]
    fn cjk_and_accented_terms_match_inside_text() {
        // no spaces around CJK words; case folding beyond ASCII for accented words
        let v = Vocabulary::new(&[
            LangPattern::In(TaggedPattern {
                lang: Langs::One("zh".into()),
                pattern: "认证|身份验证".into(),
            }),
            LangPattern::In(TaggedPattern {
                lang: Langs::One("de".into()),
                pattern: "(?i)überwachung".into(),
            }),
        ])
        .unwrap();
        assert!(v.is_match("用户通过JWT进行身份验证，令牌有效期1小时", Some("zh")));
        assert!(v.is_match("ÜBERWACHUNG mit Grafana", Some("de")));
        assert!(v.is_match("Die Überwachung läuft", Some("de")));
    }

    #[test]
    fn a_bad_pattern_for_one_language_fails_the_pack_at_load() {
        let err = Vocabulary::new(&[LangPattern::In(TaggedPattern {
            lang: Langs::One("es".into()),
            pattern: "(sin cerrar".into(),
        })]);
        assert!(err.is_err());
    }
}
