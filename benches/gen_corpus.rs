//! A deterministic generator of Step-6-shaped technical specifications, for benchmarks,
//! the comparison script and fuzz seeds.
//!
//! Library-free on purpose: benches include it with `#[path = "gen_corpus.rs"] mod gen_corpus;`
//! and it also runs as an example:
//! `cargo run --release --example gen-corpus -- --out DIR --files 1000 --size 45000 --seed 1`.
//! The same seed and shape always give the same bytes (a small splitmix64 generator, no
//! hashing of pointers or clocks), so timings on two machines compare like with like.
//!
//! A generated spec has the template's 13 numbered sections and their subsections, with the
//! blocks real specs carry: a decision table, mermaid diagrams, TypeScript interfaces,
//! endpoint lists, JSON request/response examples, SQL DDL, an authorization matrix, YAML CI
//! workflows, an `env` block and MCP configuration. Its size grows by adding feature
//! components (§3.1.N with the matching §4.3.N endpoints and §5.3.N models), so 10× the size
//! is 10× the features, not one huge paragraph. Endpoints, SQL tables and environment
//! variables can each be scaled on their own for the scaling benches.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

/// What one generated spec looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    /// Approximate size in bytes: features are added until the spec is at least this long.
    pub size: usize,
    /// At least this many feature components.
    pub features: usize,
    /// Endpoints per feature (listed in §3.1.N, documented in §4.3.N).
    pub endpoints_per_feature: usize,
    /// SQL tables per feature (DDL in §5.3.N).
    pub tables_per_feature: usize,
    /// Variables in the §13.2 `env` block (each also referenced elsewhere).
    pub env_vars: usize,
}

impl Default for Shape {
    /// A typical spec: about 45 KB, the size of the specs in the shared corpus.
    fn default() -> Self {
        Shape {
            size: 45_000,
            features: 3,
            endpoints_per_feature: 5,
            tables_per_feature: 2,
            env_vars: 24,
        }
    }
}

/// splitmix64: tiny, fast, and the same everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const PROJECT_A: &[&str] = &[
    "Tide", "Ledger", "Bright", "Paw", "Harbor", "Cedar", "Lumen", "Quill", "Orbit", "Fern",
    "Atlas", "Maple", "Nimbus", "Pebble", "Sable", "Willow",
];
const PROJECT_B: &[&str] = &[
    "pool", "ly", "path", "desk", "works", "loop", "nest", "stack", "hub", "line", "base", "field",
];
const DOMAINS: &[&str] = &[
    "appointment booking for physiotherapy clinics",
    "shared expense tracking for households",
    "volunteer shift scheduling for food banks",
    "inventory and ordering for independent cafés",
    "tutoring marketplace for secondary-school students",
    "maintenance requests for residential landlords",
    "event ticketing for community theatres",
    "fleet servicing for delivery vans",
];
/// Resource nouns for features: (plural path segment, singular title).
const RESOURCES: &[(&str, &str)] = &[
    ("bookings", "Booking"),
    ("invoices", "Invoice"),
    ("members", "Member"),
    ("shifts", "Shift"),
    ("orders", "Order"),
    ("tickets", "Ticket"),
    ("vehicles", "Vehicle"),
    ("reports", "Report"),
    ("locations", "Location"),
    ("payments", "Payment"),
    ("messages", "Message"),
    ("documents", "Document"),
    ("reviews", "Review"),
    ("schedules", "Schedule"),
    ("suppliers", "Supplier"),
    ("rooms", "Room"),
];
const ACTIONS: &[&str] = &[
    "approve", "archive", "assign", "cancel", "confirm", "export", "publish", "refund", "restore",
    "submit",
];
const FRONTEND: &[&str] = &["React 18", "Vue 3.4", "SvelteKit 2", "Angular 17"];
const BACKEND: &[&str] = &[
    "Node.js 20 + Fastify 4",
    "Go 1.22 + chi",
    "Python 3.12 + FastAPI",
    "Kotlin + Ktor 2",
];
const CLOUDS: &[(&str, &str)] = &[
    ("AWS", "eu-west-1"),
    ("GCP", "europe-west1"),
    ("Azure", "westeurope"),
];
const WORDS: &[&str] = &[
    "the",
    "service",
    "validates",
    "each",
    "request",
    "against",
    "its",
    "schema",
    "before",
    "it",
    "reaches",
    "domain",
    "logic",
    "and",
    "records",
    "an",
    "audit",
    "entry",
    "with",
    "the",
    "caller",
    "identity",
    "so",
    "support",
    "staff",
    "can",
    "trace",
    "every",
    "change",
    "to",
    "a",
    "record",
    "within",
    "seconds",
    "because",
    "operators",
    "asked",
    "for",
    "it",
    "during",
    "discovery",
    "interviews",
    "retries",
    "use",
    "exponential",
    "backoff",
    "capped",
    "at",
    "thirty",
    "seconds",
    "queue",
    "workers",
    "process",
    "jobs",
    "in",
    "order",
    "per",
    "tenant",
    "which",
    "keeps",
    "reports",
    "consistent",
];

/// One specification as markdown.
pub fn spec(seed: u64, shape: &Shape) -> String {
    let mut g = Gen::new(seed, shape);
    g.build()
}

/// Write `files` specs under `dir`, each as `dir/spec-NNNN/docs/06-technical-specification.md`
/// (the built-in pack's file name), with seeds derived from `seed`. With `prereqs`, each
/// project also gets small `docs/01…05` files and a `.vibe-status.md`, as a real project has.
/// Returns the spec paths in order.
pub fn write_corpus(
    dir: &Path,
    files: usize,
    shape: &Shape,
    seed: u64,
    prereqs: bool,
) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::with_capacity(files);
    let width = files.saturating_sub(1).to_string().len().max(4);
    for i in 0..files {
        let project = dir.join(format!("spec-{i:0width$}"));
        let path = write_project(&project, shape, file_seed(seed, i), prereqs)?;
        out.push(path);
    }
    Ok(out)
}

/// Write one project (`dir/docs/06-technical-specification.md`, optionally with prerequisites).
pub fn write_project(dir: &Path, shape: &Shape, seed: u64, prereqs: bool) -> io::Result<PathBuf> {
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs)?;
    let path = docs.join("06-technical-specification.md");
    std::fs::write(&path, spec(seed, shape))?;
    if prereqs {
        for (name, title) in PREREQUISITES {
            std::fs::write(
                docs.join(name),
                format!("# {title}\n\nWritten in an earlier step of the project.\n"),
            )?;
        }
        std::fs::write(dir.join(".vibe-status.md"), VIBE_STATUS)?;
    }
    Ok(path)
}

/// The seed of the `i`th file of a corpus.
pub fn file_seed(seed: u64, i: usize) -> u64 {
    seed.wrapping_mul(0x100_0000_01B3) ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// A shape for one spec of at least `bytes` (the ≥ 5 MB file). Features are larger than
/// usual (40 endpoints, 8 tables each) so that 5 MB stays under 999 subsections, the most a
/// heading number component may have (`4.3.1000` reads as a year-like number, not `4.3.x`).
pub fn large_shape(bytes: usize) -> Shape {
    Shape {
        size: bytes,
        endpoints_per_feature: 40,
        tables_per_feature: 8,
        env_vars: 200,
        ..Shape::default()
    }
}

pub const PREREQUISITES: &[(&str, &str)] = &[
    ("01-project-specification.md", "Project Specification"),
    ("02-technical-architecture.md", "Technical Architecture"),
    ("03-ux-design.md", "UX Design"),
    ("04-design-system.md", "Design System"),
    ("05-interface-states.md", "Interface States"),
];

const VIBE_STATUS: &str = "# Vibe Coding Status\n\n\
- [x] Step 1: Project Specification\n\
- [x] Step 2: Technical Architecture\n\
- [x] Step 3: UX Design\n\
- [x] Step 4: Design System\n\
- [x] Step 5: Interface States\n\
- [x] Step 6: Technical Specification\n";

struct Feature {
    number: usize,
    plural: String,
    title: String,
    endpoints: Vec<(String, String, String)>, // method, path, purpose
}

struct Gen<'s> {
    rng: Rng,
    shape: &'s Shape,
    project: String,
    slug: String,
    domain: &'static str,
    frontend: &'static str,
    backend: &'static str,
    cloud: (&'static str, &'static str),
    env: Vec<(String, String)>,
}

impl<'s> Gen<'s> {
    fn new(seed: u64, shape: &'s Shape) -> Self {
        let mut rng = Rng::new(seed);
        let project = format!("{}{}", rng.pick(PROJECT_A), rng.pick(PROJECT_B));
        let slug = project.to_lowercase();
        let domain = rng.pick(DOMAINS);
        let frontend = rng.pick(FRONTEND);
        let backend = rng.pick(BACKEND);
        let cloud = CLOUDS[rng.below(CLOUDS.len())];
        let mut g = Gen {
            rng,
            shape,
            project,
            slug,
            domain,
            frontend,
            backend,
            cloud,
            env: Vec::new(),
        };
        g.env = g.env_vars();
        g
    }

    /// A sentence of plausible prose, `words` long.
    fn prose(&mut self, words: usize) -> String {
        let mut s = String::new();
        for i in 0..words {
            let w = self.rng.pick(WORDS);
            if i == 0 {
                let mut c = w.chars();
                if let Some(f) = c.next() {
                    s.extend(f.to_uppercase());
                    s.push_str(c.as_str());
                }
            } else {
                s.push(' ');
                s.push_str(w);
            }
        }
        s.push('.');
        s
    }

    fn env_vars(&mut self) -> Vec<(String, String)> {
        let slug = self.slug.clone();
        let base: Vec<(String, String)> = vec![
            ("NODE_ENV".into(), "production".into()),
            ("APP_BASE_URL".into(), format!("https://app.{slug}.example")),
            ("LOG_LEVEL".into(), "info".into()),
            (
                "DATABASE_URL".into(),
                format!("sm://{slug}/production/database-url"),
            ),
            ("DATABASE_POOL_SIZE".into(), "20".into()),
            (
                "REDIS_URL".into(),
                format!("sm://{slug}/production/redis-url"),
            ),
            (
                "JWT_PRIVATE_KEY".into(),
                format!("sm://{slug}/production/jwt-private-key"),
            ),
            (
                "JWT_PUBLIC_KEY".into(),
                format!("sm://{slug}/production/jwt-public-key"),
            ),
            ("JWT_ACCESS_TTL".into(), "15m".into()),
            (
                "STORAGE_BUCKET".into(),
                format!("{slug}-production-uploads"),
            ),
            (
                "EMAIL_API_TOKEN".into(),
                format!("sm://{slug}/production/email-api-token"),
            ),
            ("EMAIL_FROM".into(), format!("hello@{slug}.example")),
            (
                "SENTRY_DSN".into(),
                format!("sm://{slug}/production/sentry-dsn"),
            ),
            ("SENTRY_ENVIRONMENT".into(), "production".into()),
            (
                "GITHUB_TOKEN".into(),
                format!("sm://{slug}/tooling/github-mcp-token"),
            ),
        ];
        let mut out: Vec<(String, String)> = base.into_iter().take(self.shape.env_vars).collect();
        let mut i = 0;
        while out.len() < self.shape.env_vars {
            let (plural, _) = RESOURCES[i % RESOURCES.len()];
            let key =
                ["TIMEOUT_MS", "BATCH_SIZE", "CACHE_TTL", "MAX_RETRIES"][(i / RESOURCES.len()) % 4];
            let round = i / (RESOURCES.len() * 4);
            let name = if round == 0 {
                format!("{}_{key}", plural.to_uppercase())
            } else {
                format!("{}_{key}_{round}", plural.to_uppercase())
            };
            let value = (100 + self.rng.below(900)).to_string();
            out.push((name, value));
            i += 1;
        }
        out
    }

    fn build(&mut self) -> String {
        // Sections before and after the feature-driven ones are written once; features are
        // added (to §3, §4 and §5 at the same time) until the target size is reached.
        let mut head = String::new();
        self.title(&mut head);
        self.s1(&mut head);
        self.s2(&mut head);
        let mut tail = String::new();
        self.s6_to_12(&mut tail);
        self.s13(&mut tail);

        let mut s3 = String::new();
        let mut s4 = String::new();
        let mut s5 = String::new();
        let mut s4_auth = String::new();
        self.s4_auth(&mut s4_auth);
        let mut s3_shared = String::new();
        self.s3_shared(&mut s3_shared);
        let mut s4_head = String::new();
        self.s4_head(&mut s4_head);
        let mut s5_head = String::new();
        self.s5_head(&mut s5_head);
        let mut s5_tail = String::new();
        self.s5_tail(&mut s5_tail);
        // + the §3 heading and §4.4, written last because §4.4 counts the features
        let fixed = head.len()
            + tail.len()
            + s4_auth.len()
            + s3_shared.len()
            + s4_head.len()
            + s5_head.len()
            + s5_tail.len()
            + 400;
        let mut n = 0;
        while n < self.shape.features || fixed + s3.len() + s4.len() + s5.len() < self.shape.size {
            n += 1;
            let f = self.feature(n);
            self.s3_feature(&mut s3, &f);
            self.s4_feature(&mut s4, &f);
            self.s5_feature(&mut s5, &f);
        }

        let mut out = head;
        out.reserve(fixed + s3.len() + s4.len() + s5.len());
        out.push_str(
            "## 3. Detailed Component Specifications\n\n### 3.1 Core Feature Components\n\n",
        );
        out.push_str(&s3);
        out.push_str(&s3_shared);
        out.push_str(&s4_head);
        out.push_str(&s4_auth);
        out.push_str(&s4);
        self.s4_ws(&mut out, n);
        out.push_str(&s5_head);
        out.push_str(&s5);
        out.push_str(&s5_tail);
        out.push_str(&tail);
        out
    }

    fn feature(&mut self, n: usize) -> Feature {
        let (plural, singular) = RESOURCES[(n - 1) % RESOURCES.len()];
        let round = (n - 1) / RESOURCES.len();
        let (plural, title) = if round == 0 {
            (plural.to_string(), singular.to_string())
        } else {
            (format!("{plural}-{round}"), format!("{singular} {round}"))
        };
        let base = format!("/api/v1/{plural}");
        let mut endpoints = Vec::new();
        let standard = [
            ("GET", base.clone(), format!("List {plural}")),
            (
                "POST",
                base.clone(),
                format!("Create a {}", title.to_lowercase()),
            ),
            (
                "GET",
                format!("{base}/:id"),
                format!("Get one {}", title.to_lowercase()),
            ),
            (
                "PATCH",
                format!("{base}/:id"),
                format!("Update a {}", title.to_lowercase()),
            ),
            (
                "DELETE",
                format!("{base}/:id"),
                format!("Archive a {}", title.to_lowercase()),
            ),
        ];
        for (i, (m, p, d)) in standard.into_iter().enumerate() {
            if i < self.shape.endpoints_per_feature {
                endpoints.push((m.to_string(), p, d));
            }
        }
        let mut k = 0;
        while endpoints.len() < self.shape.endpoints_per_feature {
            let action = ACTIONS[k % ACTIONS.len()];
            let round = k / ACTIONS.len();
            let path = if round == 0 {
                format!("{base}/:id/{action}")
            } else {
                format!("{base}/:id/{action}-{round}")
            };
            endpoints.push((
                "POST".into(),
                path,
                format!("{action} a {}", title.to_lowercase()),
            ));
            k += 1;
        }
        Feature {
            number: n,
            plural,
            title,
            endpoints,
        }
    }

    fn title(&mut self, out: &mut String) {
        let _ = writeln!(
            out,
            "# {} Technical Specification & Development Blueprint\n",
            self.project
        );
    }

    fn s1(&mut self, out: &mut String) {
        let p = self.project.clone();
        let (cloud, region) = self.cloud;
        let extra = self.prose(24);
        let _ = write!(
            out,
            "## 1. Executive Summary\n\n### 1.1 Project Overview\n\
{p} is {domain}. It replaces spreadsheets and phone calls with one web application, so that \
staff spend less time on coordination and customers get answers within minutes. {extra}\n\n\
### 1.2 Key Technical Decisions\n\
- **Architecture Pattern:** Modular monolith, because one team of five ships faster with one deployable and module boundaries keep a later split cheap.\n\
- **Technology Stack:** {fe} and {be}, chosen because the team already runs both in production.\n\
- **Development Approach:** Two-week sprints with trunk-based development, because short-lived branches keep merges small.\n\
- **Deployment Strategy:** Containers on {cloud} {region}, because managed PostgreSQL and Redis remove most operations work.\n\n\
### 1.3 High-Level Architecture\n\
```mermaid\ngraph TD\n    Browser[Web client] -->|HTTPS| CDN[CDN]\n    CDN --> API[{p} API]\n    API --> DB[(PostgreSQL 16)]\n    API --> Cache[(Redis 7)]\n    API --> Queue[Job queue]\n    Queue --> Worker[Worker]\n    Worker --> Email[Email provider]\n    API --> Errors[Sentry]\n```\n\n\
### 1.4 Technology Stack Recommendations\n\
| Layer | Choice | Version | Rationale |\n\
|-------|--------|---------|-----------|\n\
| Frontend | {fe} | current LTS | Team experience and a mature component ecosystem |\n\
| Backend | {be} | current LTS | Typed request validation and good throughput per core |\n\
| Database | PostgreSQL | 16 | Transactions, JSONB and partial indexes cover every query |\n\
| Cache | Redis | 7 | Rate limits, sessions and short-lived feeds |\n\
| Infrastructure | {cloud} containers | n/a | Managed services keep on-call load low |\n\
| Testing | Vitest, Playwright, k6 | 1.6, 1.44, 0.50 | One runner per layer, all scriptable in CI |\n\n\
### 1.5 Development Timeline Overview\n\
- **Phase 1 (Weeks 1-4):** Foundation: accounts, data model, CI/CD and staging.\n\
- **Phase 2 (Weeks 5-9):** Core features and business logic.\n\
- **Phase 3 (Weeks 10-12):** Performance work, security review and launch.\n\n",
            domain = self.domain,
            fe = self.frontend,
            be = self.backend,
        );
    }

    fn s2(&mut self, out: &mut String) {
        let p = self.project.clone();
        let _ = write!(
            out,
            "## 2. System Architecture\n\n### 2.1 Architecture Overview\n\
**Architecture Pattern:** Modular monolith with a separate background worker.\n\
**Rationale:** One deployable keeps releases simple for a small team; the worker isolates slow jobs from request latency.\n\n\
#### 2.1.1 System Components\n\
- **Frontend Application:** Single-page application served from the CDN.\n\
  - User Interface Layer: route-level components, forms and tables\n\
  - Business Logic Layer: hooks that wrap API calls and validation\n\
  - Data Access Layer: a typed API client with request caching\n\
- **Backend Services:** One API process per container and one worker process.\n\
  - API Gateway: routing, authentication, rate limiting\n\
  - Business Services: one module per feature area\n\
  - Data Layer: query builder over PostgreSQL, Redis for caching\n\
- **External Integrations:** Email provider, error tracking, object storage.\n\n\
#### 2.1.2 Data Flow Architecture\n\
```mermaid\nsequenceDiagram\n    participant C as Client\n    participant A as {p} API\n    participant D as PostgreSQL\n    participant Q as Queue\n    C->>A: POST /api/v1/auth/login\n    A->>D: SELECT user by email\n    D-->>A: user row\n    A-->>C: 200 access token\n    C->>A: POST /api/v1/bookings\n    A->>D: INSERT booking\n    A->>Q: enqueue confirmation email\n    A-->>C: 201 Created\n```\n\n\
### 2.2 Frontend Architecture\n\n#### 2.2.1 Technology Stack Detail\n\
- **Framework:** {fe}, because the team knows it and its router supports code splitting.\n\
- **State Management:** Server state in a query cache; local UI state in components.\n\
- **Routing:** File-based routes with lazy-loaded feature areas.\n\
- **Styling:** Design tokens from step 4 compiled to CSS variables.\n\
- **Build Tools:** Vite 5 with TypeScript 5.4 in strict mode.\n\n\
#### 2.2.2 Component Architecture\n\
```text\nsrc/\n  components/   shared UI from the design system\n  features/     one folder per feature area\n  hooks/        data hooks around the API client\n  lib/          API client, formatting, validation\n```\n\n\
#### 2.2.3 State Management Strategy\n\
- **Global State:** Session and feature flags only.\n\
- **Server State:** Query cache with 30 s staleness and background refresh.\n\
- **Form State:** Schema-validated forms with inline errors.\n\n\
### 2.3 Backend Architecture\n\n#### 2.3.1 API Design Principles\n\
- **RESTful Design:** Resource URLs under `/api/v1`, plural nouns, standard verbs.\n\
- **Error Handling:** One error envelope with a stable `code` for every failure.\n\
- **Versioning:** URL prefix; a new version only for breaking changes.\n\
- **Documentation:** OpenAPI 3.1 generated from the route schemas.\n\n\
#### 2.3.2 Service Layer Architecture\n\
```typescript\ninterface ServiceContext {{\n  userId: string;\n  role: \"admin\" | \"staff\" | \"customer\";\n  requestId: string;\n}}\n\ninterface Repository<T> {{\n  get(id: string): Promise<T | null>;\n  list(cursor?: string, limit?: number): Promise<T[]>;\n}}\n```\n\n\
#### 2.3.3 Database Schema Design\nSee section 5: one schema, UUID keys, `created_at`/`updated_at` on every table, foreign keys indexed.\n\n\
### 2.4 Security Architecture\n\n#### 2.4.1 Authentication & Authorization\n\
- **Authentication:** Email and password with short-lived JWT access tokens and rotating refresh tokens.\n\
- **Authorization:** Role-based access control enforced in the service layer; see 6.1.2.\n\
- **Session Management:** Refresh tokens stored hashed and revoked on logout.\n\n\
#### 2.4.2 Data Security\n\
- **Encryption at Rest:** AES-256 with managed keys for the database, backups and object storage.\n\
- **Encryption in Transit:** TLS 1.2 or later everywhere, HSTS on the web origin.\n\
- **Data Privacy:** Personal data minimised; exports and deletion on request.\n\n\
#### 2.4.3 Compliance Requirements\n\
- **GDPR:** Data processing records, export within 30 days, deletion within 30 days.\n\
- **Audit:** Administrative actions logged for one year.\n\n",
            fe = self.frontend,
        );
    }

    fn s3_feature(&mut self, out: &mut String, f: &Feature) {
        let n = f.number;
        let t = &f.title;
        let _ = write!(
            out,
            "#### 3.1.{n} {t} Management Component System\n\
**Purpose:** Staff and customers create, review and update {pl} from one screen.\n\
**Priority:** P{prio} - {pname}\n**Complexity:** {cx}\n\n\
##### Technical Implementation\n\
```typescript\ninterface {ty}FormProps {{\n  initial?: {ty};\n  onSaved: (value: {ty}) => void;\n}}\n\ninterface {ty}State {{\n  status: \"idle\" | \"saving\" | \"saved\" | \"error\";\n  errors: Record<string, string>;\n}}\n```\n\n\
##### API Endpoints\n```\n",
            pl = f.plural,
            prio = self.rng.below(3),
            pname = self
                .rng
                .pick(&["Critical Path", "Important", "Nice to have"]),
            cx = self.rng.pick(&["High", "Medium", "Low"]),
            ty = t.replace(' ', ""),
        );
        for (m, p, d) in &f.endpoints {
            let _ = writeln!(out, "{m:<6} {p:<40} # {d}");
        }
        let _ = write!(
            out,
            "```\n\n##### Database Schema\nTables for {pl} are defined in 5.3.{n1}.\n\n\
##### Business Logic Requirements\n- {a}\n- {b}\n- A {lt} can be edited by its owner or an admin; every change writes an audit entry.\n\n\
##### Performance Considerations\n\
- **Caching Strategy:** Lists cached in Redis for 30 s and invalidated on write.\n\
- **Query Optimization:** Keyset pagination on `({pls}_owner_id, created_at)`.\n\
- **Load Testing Targets:** {rpm} writes per minute with p95 < {p95} ms.\n\n",
            pl = f.plural,
            pls = f.plural.replace('-', "_"),
            n1 = n + 1,
            a = self.prose(18),
            b = self.prose(14),
            lt = t.to_lowercase(),
            rpm = 100 + self.rng.below(400),
            p95 = 200 + self.rng.below(200),
        );
    }

    fn s3_shared(&mut self, out: &mut String) {
        let _ = write!(
            out,
            "### 3.2 Shared Component Library\n\n#### 3.2.1 Design System Components\n\
- **Button, Input, Select, DatePicker:** Built on the step 4 tokens, keyboard accessible.\n\
- **DataTable:** Sorting, keyset pagination and virtual scrolling above 100 rows.\n\
- **Dialog and Toast:** Focus-trapped dialogs, polite live-region toasts.\n\n\
#### 3.2.2 Utility Components\n\
- **ErrorBoundary:** Reports to Sentry and shows a retry action.\n\
- **RequireRole:** Hides routes the session's role may not use.\n\n"
        );
    }

    fn s4_head(&mut self, out: &mut String) {
        let _ = write!(
            out,
            "## 4. API Specification\n\n### 4.1 API Architecture Overview\n\
- **Base URL:** `https://api.{slug}.example/api/v1`\n\
- **Authentication:** Bearer JWT in the `Authorization` header.\n\
- **Rate Limiting:** 100 requests per minute per user, 300 per IP.\n\
- **Content Type:** `application/json` in both directions.\n\n\
### 4.2 Common Response Formats\n\n#### Success Response\n\
```json\n{{\n  \"status\": \"success\",\n  \"data\": {{ \"id\": \"00000000-0000-4000-8000-000000000001\" }},\n  \"meta\": {{ \"requestId\": \"req-0001\", \"timestamp\": \"2026-03-14T09:30:00Z\" }}\n}}\n```\n\n\
#### Error Response\n\
```json\n{{\n  \"status\": \"error\",\n  \"error\": {{ \"code\": \"VALIDATION_FAILED\", \"message\": \"email is required\", \"details\": [{{ \"field\": \"email\" }}] }},\n  \"meta\": {{ \"requestId\": \"req-0002\", \"timestamp\": \"2026-03-14T09:30:01Z\" }}\n}}\n```\n\n\
#### Status Codes\n\
| Code | Meaning |\n|------|---------|\n| 200 | OK |\n| 201 | Created |\n| 400 | Malformed request |\n| 401 | Missing or invalid token |\n| 403 | Role not allowed |\n| 404 | Not found |\n| 409 | Conflict |\n| 422 | Validation failed |\n| 429 | Rate limited |\n\n\
### 4.3 Endpoint Specifications\n\n",
            slug = self.slug
        );
    }

    fn s4_auth(&mut self, out: &mut String) {
        out.push_str(
            "#### 4.3.1 Authentication Endpoints\n```\n\
POST   /api/v1/auth/register                # Create an account\n\
POST   /api/v1/auth/login                   # Sign in with email and password\n\
POST   /api/v1/auth/refresh                 # Rotate the refresh token\n\
POST   /api/v1/auth/logout                  # Revoke the current refresh token\n\
```\n**Auth:** Public, except `logout`, which requires the Bearer token. 10 attempts per 15 minutes per IP.\n\n\
Request `POST /api/v1/auth/login`:\n\
```json\n{ \"email\": \"ana@example.com\", \"password\": \"example-password-1\" }\n```\n\
Response `200 OK`:\n\
```json\n{ \"status\": \"success\", \"data\": { \"accessToken\": \"example.access.jwt\", \"expiresIn\": 900 }, \"meta\": { \"requestId\": \"req-0003\", \"timestamp\": \"2026-03-14T09:31:00Z\" } }\n```\n\
**Errors:** `400` malformed body, `401 INVALID_CREDENTIALS`, `429` too many attempts.\n\n",
        );
    }

    fn s4_feature(&mut self, out: &mut String, f: &Feature) {
        let _ = write!(
            out,
            "#### 4.3.{} {} Endpoints\n**Auth:** Bearer JWT; deleting requires role `admin`.\n\n",
            f.number + 1,
            f.title
        );
        for (i, (m, p, d)) in f.endpoints.iter().enumerate() {
            let status = if m == "POST" && !p.contains(":id") {
                "201 Created"
            } else {
                "200 OK"
            };
            let _ = writeln!(out, "`{m} {p}` — {d}.");
            if m == "POST" || m == "PATCH" {
                let _ = write!(
                    out,
                    "Request:\n```json\n{{ \"name\": \"Example {i}\", \"notes\": \"{w}\", \"quantity\": {q} }}\n```\n",
                    w = self.rng.pick(WORDS),
                    q = self.rng.below(50),
                );
            }
            let _ = write!(
                out,
                "Response `{status}`:\n```json\n{{ \"status\": \"success\", \"data\": {{ \"id\": \"00000000-0000-4000-8000-{id:012}\", \"kind\": \"{k}\" }}, \"meta\": {{ \"requestId\": \"req-{r:04}\" }} }}\n```\n\
**Errors:** `401`, `403` role not allowed, `404` not found, `422` validation failed.\n\n",
                id = f.number * 1000 + i,
                k = f.plural,
                r = self.rng.below(10_000),
            );
        }
    }

    fn s4_ws(&mut self, out: &mut String, features: usize) {
        let _ = write!(
            out,
            "### 4.4 WebSocket Specifications\n\
- **Endpoint:** `wss://api.{slug}.example/ws`, authenticated with the access token in the first message.\n\
- **Events:** `record.updated` and `record.deleted` for the {features} feature areas.\n\
- **Heartbeat:** Ping every 25 s; the server closes idle connections after 60 s.\n\n",
            slug = self.slug
        );
    }

    fn s5_head(&mut self, out: &mut String) {
        out.push_str(
            "## 5. Database Design\n\n### 5.1 Database Selection Rationale\n\
- **Primary Database:** PostgreSQL 16, because the data is relational, transactions matter and the team knows it.\n\
- **Caching Layer:** Redis 7 for rate limits and short-lived feeds.\n\
- **Search Engine:** PostgreSQL full-text search; a separate engine is not needed at this scale.\n\n\
### 5.2 Schema Design Principles\n\
- **Normalization Strategy:** Third normal form; counters denormalised only where a list needs them.\n\
- **Indexing Strategy:** Every foreign key indexed; composite indexes match list ordering.\n\
- **Data Types:** UUID keys, `TIMESTAMPTZ` timestamps, `NUMERIC(12,2)` money.\n\n\
### 5.3 Core Data Models\n\n#### 5.3.1 User Model\n\
```sql\nCREATE TABLE users (\n  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),\n  email TEXT NOT NULL,\n  password_hash TEXT NOT NULL,\n  role TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'customer')),\n  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),\n  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()\n);\nCREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));\n```\n\n",
        );
    }

    fn s5_feature(&mut self, out: &mut String, f: &Feature) {
        let _ = write!(
            out,
            "#### 5.3.{} {} Models\n```sql\n",
            f.number + 1,
            f.title
        );
        let base = f.plural.replace('-', "_");
        for t in 0..self.shape.tables_per_feature {
            let name = if t == 0 {
                base.clone()
            } else {
                format!("{base}_detail_{t}")
            };
            let parent = if t == 0 {
                "users".to_string()
            } else {
                base.clone()
            };
            let fk = if t == 0 {
                "owner_id".to_string()
            } else {
                format!("{base}_id")
            };
            let _ = write!(
                out,
                "CREATE TABLE {name} (\n  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),\n  {fk} UUID NOT NULL REFERENCES {parent}(id) ON DELETE CASCADE,\n  title TEXT NOT NULL,\n  amount NUMERIC(12,2) NOT NULL DEFAULT 0,\n  status TEXT NOT NULL DEFAULT 'draft',\n  version INTEGER NOT NULL DEFAULT {v},\n  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),\n  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()\n);\nCREATE INDEX {name}_{fk}_idx ON {name} ({fk}, created_at);\n\n",
                v = self.rng.below(3),
            );
        }
        out.push_str("```\n\n");
    }

    fn s5_tail(&mut self, out: &mut String) {
        out.push_str(
            "### 5.4 Database Optimization\n\
- **Query Performance:** List endpoints use keyset pagination on indexes that match their `ORDER BY`; `pg_stat_statements` is reviewed weekly.\n\
- **Connection Pooling:** 20 connections per API container behind PgBouncer.\n\
- **Read Replicas:** One replica for reporting once primary CPU stays above 60%.\n\
- **Data Archival:** Audit rows older than one year move to cold storage monthly.\n\n",
        );
    }

    fn s6_to_12(&mut self, out: &mut String) {
        let (cloud, region) = self.cloud;
        let slug = self.slug.clone();
        let _ = write!(
            out,
            "## 6. Security Specifications\n\n### 6.1 Application Security\n\n#### 6.1.1 Authentication Implementation\n\
```typescript\ninterface AccessTokenPayload {{\n  sub: string;\n  role: \"admin\" | \"staff\" | \"customer\";\n  exp: number; // iat + 900 seconds\n}}\n```\n\
Access tokens are signed with Ed25519; refresh tokens are 256-bit random values stored as SHA-256 hashes. Passwords are hashed with argon2id (19 MiB, 2 iterations).\n\n\
#### 6.1.2 Authorization Matrix\n\
| Role | Resource | Create | Read | Update | Delete |\n|------|----------|--------|------|--------|--------|\n\
| Admin | All records | ✓ | ✓ | ✓ | ✓ |\n| Staff | Records of their location | ✓ | ✓ | ✓ | ✗ |\n| Customer | Own records | ✓ | ✓ | ✓ | ✗ |\n| Guest | Public pages | ✗ | ✓ | ✗ | ✗ |\n\n\
#### 6.1.3 Input Validation Rules\n\
- **Email:** RFC 5322 syntax, at most 254 characters.\n\
- **Password:** 10 to 128 characters, checked against a breached-password list.\n\
- **File Uploads:** PDF, JPEG or PNG up to 10 MB, scanned before use.\n\
- **API Inputs:** Schemas reject unknown keys; every query is parameterised.\n\n\
### 6.2 Infrastructure Security\n\
- **SSL/TLS:** TLS 1.2 minimum, certificates renewed automatically, HSTS for one year.\n\
- **Firewall Rules:** Database and cache reachable only from the application subnets.\n\
- **DDoS Protection:** Provider edge protection plus a WAF rate rule.\n\
- **Rate Limiting:** 100 requests per minute per user; 10 login attempts per 15 minutes per IP.\n\
- **Secrets Management:** All secrets in the cloud secret manager, injected at start; `gitleaks` runs in CI.\n\n\
### 6.3 Compliance Implementation\n\
- **Data Privacy:** GDPR export and deletion within 30 days.\n\
- **Audit Logging:** Administrative actions kept for one year in an append-only log.\n\
- **Data Encryption:** AES-256 at rest with customer-managed keys.\n\n\
## 7. Performance Optimization\n\n### 7.1 Frontend Performance\n\n#### 7.1.1 Bundle Optimization\n\
- **Code Splitting:** One chunk per feature area.\n- **Tree Shaking:** ES modules only.\n- **Lazy Loading:** Charts and the admin console load on demand.\n\n\
#### 7.1.2 Runtime Performance\n\
- **Virtual Scrolling:** Tables above 100 rows.\n- **Debouncing/Throttling:** Search inputs debounced by 300 ms.\n\n\
### 7.2 Backend Performance\n\n#### 7.2.1 API Optimization\n\
- **Response Caching:** Feeds cached for 30 s.\n- **Pagination:** Cursor-based, default 20, maximum 100.\n- **Compression:** Brotli above 1 KB.\n\n\
#### 7.2.2 Scalability Planning\n\
- **Horizontal Scaling:** API scales from 2 to 8 containers at 60% CPU.\n- **Message Queues:** Background jobs for email and exports.\n\n\
### 7.3 Performance Targets\n\
- **API latency:** p95 < {p95} ms and p99 < {p99} ms for reads.\n\
- **Largest Contentful Paint:** < 2.5 s at p75 on a mid-range phone over 4G.\n\
- **Availability:** 99.9% monthly uptime for the API.\n\
- **Capacity:** {users} concurrent users at < 70% CPU.\n\n\
## 8. Testing Strategy\n\n### 8.1 Testing Pyramid\n\
```\n      /\\\n     /  \\    E2E Tests (10%): Playwright\n    /----\\\n   /      \\  Integration Tests (30%): Vitest + Testcontainers\n  /--------\\\n /          \\ Unit Tests (60%): Vitest\n/____________\\\n```\n\n\
### 8.2 Frontend Testing\n\n#### 8.2.1 Unit Testing\n- **Framework:** Vitest 1.6 + Testing Library\n- **Coverage Target:** 80% line coverage\n\n\
#### 8.2.2 Integration Testing\n- **API Mocking:** MSW handlers built from the shared schemas\n\n\
#### 8.2.3 E2E Testing\n- **Framework:** Playwright 1.44\n- **Cross-Browser:** Chromium, WebKit and Firefox\n\n\
### 8.3 Backend Testing\n\n#### 8.3.1 Unit Testing\n- **Framework:** Vitest 1.6\n- **Coverage Target:** 85% line coverage\n\n\
#### 8.3.2 Integration Testing\n- **Database Testing:** Testcontainers with PostgreSQL 16 and Redis 7\n\n\
#### 8.3.3 Performance Testing\n- **Load Testing:** k6 0.50 at twice launch load before each release\n\n\
### 8.4 Quality Assurance Process\n- **Code Review:** One approval; two for migrations\n- **Bug Tracking:** Severity labels; S1 fixed within 2 business days\n\n\
## 9. DevOps & Deployment\n\n### 9.1 Development Environment\n\n#### 9.1.1 Local Development Setup\n\
```bash\n# Prerequisites: Node.js 20, pnpm 9, Docker 24\npnpm install\ndocker compose up -d postgres redis\npnpm db:migrate\npnpm dev\n```\n\n\
#### 9.1.2 Environment Configuration\n\
- **Development:** Docker Compose services and test API keys.\n\
- **Staging:** Production-shaped infrastructure at smaller sizes.\n\
- **Production:** Multi-zone database and 2 to 8 API containers.\n\n\
### 9.2 CI/CD Pipeline\n\n#### 9.2.1 Build Pipeline\n\
```yaml\nname: ci-cd\non:\n  push:\n    branches: [main]\n  pull_request:\n    branches: [main]\njobs:\n  verify:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v4\n      - run: pnpm install --frozen-lockfile\n      - run: pnpm lint && pnpm typecheck\n      - run: pnpm test --coverage\n      - run: pnpm build\n  deploy:\n    needs: verify\n    if: github.ref == 'refs/heads/main'\n    runs-on: ubuntu-24.04\n    environment: production\n    steps:\n      - run: ./scripts/deploy.sh production\n```\n\n\
#### 9.2.2 Deployment Pipeline\n\
- **Staging:** Every merge to main deploys to staging and runs smoke tests.\n\
- **Production:** Manual approval, blue-green switch, automatic rollback when the error rate exceeds 2% for 5 minutes.\n\n\
### 9.3 Infrastructure Configuration\n\n#### 9.3.1 Hosting Architecture\n\
- **Compute:** Containers on {cloud} in {region}.\n- **Database:** Managed PostgreSQL 16, multi-zone.\n- **CDN:** Edge caching for the web client.\n\n\
#### 9.3.2 Monitoring & Logging\n\
- **Application Monitoring:** Sentry for errors, provider metrics for latency.\n\
- **Log Aggregation:** JSON logs retained for 30 days.\n\
- **Alerting:** p95 latency above target for 10 minutes pages the on-call engineer.\n\n\
### 9.4 Backup & Disaster Recovery\n\
- **Database Backups:** Daily snapshots kept 35 days plus point-in-time recovery.\n\
- **Recovery Objectives:** RPO 5 minutes, RTO 1 hour, restore drill every quarter.\n\n\
## 10. Development Workflow\n\n### 10.1 Version Control Strategy\n\
- **Branching Model:** Trunk-based with short-lived feature branches.\n- **Commit Convention:** Conventional Commits.\n\n\
### 10.2 Code Standards\n\n#### 10.2.1 Frontend Standards\n- **Linting:** ESLint with the strict TypeScript preset.\n- **Formatting:** Prettier.\n\n\
#### 10.2.2 Backend Standards\n- **Linting:** The language's standard linter in CI.\n- **Error Handling:** Typed errors mapped to the error envelope.\n\n\
### 10.3 Documentation Requirements\n- **API Documentation:** OpenAPI generated in CI.\n- **Architecture Decisions:** ADRs in `docs/adr/`.\n\n\
## 11. Team Structure & Responsibilities\n\n### 11.1 Development Team Roles\n\
- **Tech Lead:** Architecture and reviews.\n- **Full-Stack Engineers (3):** Feature delivery.\n- **QA Engineer:** Test plans and automation.\n\n\
### 11.2 Development Phases\n\n#### Phase 1: Foundation (Weeks 1-4)\n- Accounts, data model, CI/CD and staging.\n\n\
#### Phase 2: Core Features (Weeks 5-9)\n- Core features and business logic.\n\n\
#### Phase 3: Polish & Launch (Weeks 10-12)\n- Performance work, security review and launch.\n\n\
### 11.3 Communication & Collaboration\n- **Daily Standups:** 15 minutes.\n- **Sprint Reviews:** Every two weeks with stakeholders.\n\n\
## 12. Risk Mitigation & Contingency Planning\n\n### 12.1 Technical Risks\n\
| Risk | Likelihood | Impact | Mitigation |\n|------|------------|--------|------------|\n\
| Email provider outage | Medium | Medium | Queue and retry; fallback provider behind a flag |\n\
| Slow list queries as data grows | Medium | High | Keyset pagination and index review each sprint |\n\
| Token leak | Low | High | Short-lived tokens, refresh rotation, revocation list |\n\n\
### 12.2 Project Risks\n- **Scope Creep:** Changes go through the product owner and the sprint backlog.\n- **Key Person Risk:** Pairing and written runbooks.\n\n\
### 12.3 Contingency Plans\n- **Rollback:** Previous container image redeployed within 10 minutes.\n- **Incident Response:** On-call rotation with a written runbook for {slug}.\n\n",
            p95 = 200 + self.rng.below(100),
            p99 = 500 + self.rng.below(300),
            users = 1000 + self.rng.below(4000),
        );
    }

    fn s13(&mut self, out: &mut String) {
        let slug = self.slug.clone();
        let (cloud, region) = self.cloud;
        let has = |name: &str, env: &[(String, String)]| env.iter().any(|(k, _)| k == name);
        let db = if has("DATABASE_URL", &self.env) {
            "`DATABASE_URL`"
        } else {
            "a connection string"
        };
        let _ = write!(
            out,
            "## 13. Service Integration Specifications\n\n### 13.1 Required Services & Authentication\n\n\
#### Database Services\n**Primary Database:** Managed PostgreSQL 16\n\
- **Authentication Method:** Username and password in a connection string over TLS.\n\
- **Credential Location:** {db}, stored in the secret manager at `{slug}/production/database-url`.\n\
- **Connection Configuration:**\n  ```\n  Production: {slug}-prod.internal:5432, database {slug}\n  Staging: {slug}-staging.internal:5432, database {slug}\n  Development: Docker Compose on localhost:5432\n  ```\n\
- **Backup & Recovery:** See 9.4.\n\n\
**Cache Layer:** Managed Redis 7\n- **Authentication:** AUTH token inside `REDIS_URL`, stored in the secret manager.\n\n\
#### Authentication Services\n**Primary Auth Provider:** First-party JWT authentication\n\
- **Authentication Method:** Ed25519 key pair in `JWT_PRIVATE_KEY` and `JWT_PUBLIC_KEY` (secret manager).\n\
- **Token Management:** Access tokens 15 minutes, refresh tokens 30 days with rotation.\n\n\
#### Monitoring & Error Tracking\n**Error Tracking:** Sentry\n\
- **Authentication Method:** Project DSN in `SENTRY_DSN` (secret manager).\n\
- **Alert Channels:** Slack and the on-call pager.\n\n\
#### Cloud Services\n**Primary Cloud Provider:** {cloud} {region}\n\
- **Authentication Method:** Workload identity roles only; no static access keys exist.\n\
- **Storage:** Bucket from `STORAGE_BUCKET`, private, encrypted.\n\n\
### 13.2 Environment Variables & Configuration\n\n#### Required Environment Variables\n\
Values starting with `sm://` name secret-manager entries injected at start; they are not secrets.\n```env\n"
        );
        for (i, (k, v)) in self.env.iter().enumerate() {
            if i % 8 == 0 {
                let _ = writeln!(
                    out,
                    "{}# Group {}",
                    if i > 0 { "\n" } else { "" },
                    i / 8 + 1
                );
            }
            let _ = writeln!(out, "{k}={v}");
        }
        out.push_str("```\n\n#### Configuration Reference\n");
        for (k, _) in &self.env {
            let _ = writeln!(out, "- `{k}`: read at start by the API and the worker.");
        }
        let _ = write!(
            out,
            "\n#### Environment-Specific Configuration\n\
- **Development:** Docker Compose services and test keys.\n\
- **Staging:** Production-shaped, alerts to Slack only.\n\
- **Production:** Secrets readable only by the runtime roles.\n\n\
### 13.3 MCP Tools Integration\n\n#### Required MCP Tools\n\
- [x] **GitHub** - Pull requests and Actions logs\n  - Authentication: Fine-grained token in `GITHUB_TOKEN`\n\n\
#### MCP Tool Configuration\n```yaml\nmcp_tools:\n  github:\n    enabled: true\n    token: ${{GITHUB_TOKEN}}\n    organization: \"{slug}\"\n```\n\n\
### 13.4 Authentication & Setup Procedures\n\n#### Service Connection Testing\n```bash\n"
        );
        for (k, _) in self.env.iter().filter(|(k, _)| k.ends_with("_URL")) {
            let _ = writeln!(out, "test -n \"${k}\" && echo \"{k} is set\"");
        }
        out.push_str(
            "curl -fsS https://api.example.test/health\n```\n\n\
### 13.5 Service Integration Checklist\n\n#### Pre-Development Setup\n\
- [x] Staging account provisioned\n- [x] Environment variables documented in 13.2\n- [ ] Alerts tested end to end\n",
        );
    }
}

/// The example's command line: `--out DIR --files N --size BYTES --seed S [--large BYTES]
/// [--endpoints N] [--tables N] [--env-vars N] [--prereqs]`.
pub fn main() {
    if let Err(e) = cli() {
        eprintln!("gen-corpus: {e}");
        std::process::exit(2);
    }
}

fn cli() -> Result<(), String> {
    let mut out: Option<PathBuf> = None;
    let mut files = 1000usize;
    let mut seed = 1u64;
    let mut large: Option<usize> = None;
    let mut prereqs = false;
    let mut shape = Shape::default();
    let mut args = std::env::args().skip(1);
    let num = |v: Option<String>, name: &str| -> Result<usize, String> {
        v.ok_or(format!("{name} needs a value"))?
            .replace('_', "")
            .parse()
            .map_err(|e| format!("{name}: {e}"))
    };
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out = args.next().map(PathBuf::from),
            "--files" => files = num(args.next(), "--files")?,
            "--size" => shape.size = num(args.next(), "--size")?,
            "--seed" => seed = num(args.next(), "--seed")? as u64,
            "--large" => large = Some(num(args.next(), "--large")?),
            "--endpoints" => shape.endpoints_per_feature = num(args.next(), "--endpoints")?,
            "--tables" => shape.tables_per_feature = num(args.next(), "--tables")?,
            "--env-vars" => shape.env_vars = num(args.next(), "--env-vars")?,
            "--features" => shape.features = num(args.next(), "--features")?,
            "--prereqs" => prereqs = true,
            "-h" | "--help" => {
                println!(
                    "usage: gen-corpus --out DIR [--files N] [--size BYTES] [--seed S] [--large BYTES]\n\
                     \x20                 [--features N] [--endpoints N] [--tables N] [--env-vars N] [--prereqs]\n\
                     Writes DIR/spec-NNNN/docs/06-technical-specification.md (and, with --large,\n\
                     DIR/large/docs/06-technical-specification.md of at least BYTES)."
                );
                return Ok(());
            }
            other => return Err(format!("unknown argument `{other}` (try --help)")),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    let paths = write_corpus(&out, files, &shape, seed, prereqs).map_err(|e| e.to_string())?;
    let bytes: u64 = paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "wrote {} specs ({} bytes) under {}",
        paths.len(),
        bytes,
        out.display()
    );
    if let Some(size) = large {
        let p = write_project(
            &out.join("large"),
            &large_shape(size),
            seed ^ 0xB16,
            prereqs,
        )
        .map_err(|e| e.to_string())?;
        let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        println!("wrote {} ({} bytes)", p.display(), len);
    }
    Ok(())
}
