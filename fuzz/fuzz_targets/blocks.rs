//! The block checks (env, SQL, YAML, mermaid, JSON, endpoint lists) with arbitrary block
//! bodies, placed where a spec puts them so that the section-scoped checks run on them.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "soundness.rs"]
mod soundness;

/// (section heading path, fence info) per block kind.
const PLACES: &[(&str, &str)] = &[
    (
        "## 13. Service Integration Specifications\n\n### 13.2 Environment Variables & Configuration\n\n#### Required Environment Variables\n",
        "env",
    ),
    (
        "## 5. Database Design\n\n### 5.3 Core Data Models\n\n#### 5.3.1 User Model\n",
        "sql",
    ),
    (
        "## 9. DevOps & Deployment\n\n### 9.2 CI/CD Pipeline\n\n#### 9.2.1 Build Pipeline\n",
        "yaml",
    ),
    (
        "## 1. Executive Summary\n\n### 1.3 High-Level Architecture\n",
        "mermaid",
    ),
    (
        "## 4. API Specification\n\n### 4.2 Common Response Formats\n\n#### Success Response\n",
        "json",
    ),
    (
        "## 3. Detailed Component Specifications\n\n### 3.1 Core Feature Components\n\n#### 3.1.1 Booking Component System\n\n##### API Endpoints\n",
        "",
    ),
    (
        "## 4. API Specification\n\n### 4.3 Endpoint Specifications\n\n#### 4.3.1 Authentication Endpoints\n",
        "http",
    ),
];

const OUTLINE: &[&str] = &[
    "## 1. Executive Summary",
    "## 2. System Architecture",
    "## 3. Detailed Component Specifications",
    "## 4. API Specification",
    "## 5. Database Design",
    "## 6. Security Specifications",
    "## 7. Performance Optimization",
    "## 8. Testing Strategy",
    "## 9. DevOps & Deployment",
    "## 10. Development Workflow",
    "## 11. Team Structure & Responsibilities",
    "## 12. Risk Mitigation & Contingency Planning",
    "## 13. Service Integration Specifications",
];

fuzz_target!(|input: (u8, bool, &str)| {
    let (kind, fenced_twice, body) = input;
    let (place, lang) = PLACES[kind as usize % PLACES.len()];
    let mut text = String::from("# Fuzz Technical Specification\n\n");
    for h in OUTLINE {
        if place.starts_with(h) {
            text.push_str(place);
            text.push_str(&format!("```{lang}\n{body}\n```\n\n"));
            if fenced_twice {
                // the same body again, unfenced, in prose: cross-references see it too
                text.push_str(body);
                text.push_str("\n\n");
            }
        } else {
            text.push_str(h);
            text.push_str("\n\nSee the other sections.\n\n");
        }
    }
    soundness::check_text(&text);
});
