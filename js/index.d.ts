// TypeScript declarations of the httpdx npm package: the report is the same object as the
// CLI's `--json` (docs/protocol.md). tests/typescript.rs checks these interfaces against the
// reports the Rust engine serialises for every fixture: keep them in step with src/report.rs.

export type Severity = "error" | "warning" | "info";

export type Format =
  | "raw-http" | "curl-verbose" | "curl-trace" | "wget" | "har" | "console"
  | "client-error" | "panel" | "log" | "json-body" | "unrecognized";

/** What httpdx writes for people, as segments: a string is plain text, `{code}` a header,
 * value or command (everything quoted from the input is code), `{em}` stressed words.
 * Render each segment as a text node or element; never parse the text as markup. */
export type Text = TextSegment[];

export type TextSegment = string | CodeSegment | EmphasisSegment;

export interface CodeSegment {
  code: string;
}

export interface EmphasisSegment {
  em: string;
}

export interface Span {
  start: number;
  end: number;
}

export interface Evidence {
  location: string;
  quote: string;
  span?: Span;
}

export interface Fix {
  caller?: Text;
  owner?: Text;
}

export interface Finding {
  /** A stable finding ID (docs/findings.md), e.g. "auth.token-expired". */
  id: string;
  severity: Severity;
  title: Text;
  evidence: Evidence[];
  explanation: Text;
  fix: Fix;
  reference?: string;
}

export interface Truncated {
  kept: number;
  total: number;
}

export interface Body {
  text: string;
  missing_bytes?: number;
  truncated?: Truncated;
}

/** A header as [name, value]. */
export type Header = [string, string];

export interface Request {
  method: string | null;
  url: string;
  version?: string;
  headers: Header[];
  body?: Body;
  handed?: Header[];
}

export interface Response {
  status: number;
  reason: string;
  version?: string;
  headers: Header[];
  body?: Body;
  interim?: number[];
}

export interface TransportError {
  code: string;
  message: string;
}

export interface Timings {
  started?: string;
  total_ms?: number;
  /** HAR `timings`: the phases in ms; a phase the producer marked -1 is absent. */
  phases?: Phases;
}

export interface Phases {
  blocked?: number;
  dns?: number;
  /** Includes `ssl`, as HAR 1.2 counts it. */
  connect?: number;
  ssl?: number;
  send?: number;
  wait?: number;
  receive?: number;
}

export interface Note {
  text: string;
}

export interface Summary {
  outcome: string;
  meaning: Text;
  likely_cause?: Text;
}

export interface StatusExplanation {
  code: number;
  name: string;
  meaning: string;
  causes: string[];
  debug: string[];
  fix_caller: string;
  fix_owner: string;
  reference: string;
}

export interface ExchangeReport {
  index: number;
  request: Request | null;
  response: Response | null;
  transport_error: TransportError | null;
  timings?: Timings;
  page_origin?: string;
  notes?: Note[];
  failed: boolean;
  summary?: Summary;
  findings: Finding[];
  status_explanation?: StatusExplanation;
  span?: Span;
  entry?: number;
  /** How to show `findings`: one card per cause, the verdict first (docs/protocol.md). */
  cards?: Card[];
  /** The request with the findings' mechanical fixes made, when a finding has one. */
  fixed_request?: FixedRequest;
  /** Every JWT the exchange carries, decoded (docs/protocol.md, DecodedToken). */
  tokens?: DecodedToken[];
}

/** One cause: the finding that names it, the findings that restate it, and the evidence of
 *  all of them, each quotation once in the exchange. */
export interface Card {
  group: "verdict" | "error" | "contributing" | "context";
  /** The most severe of its findings. */
  severity: Severity;
  /** Indices into the exchange's `findings`; the first leads the card. */
  findings: number[];
  /** `[finding, evidence]` indices of the quotations to show. */
  evidence: [number, number][];
}

/** The person's request, fixed, as a curl command and a fetch call (docs/protocol.md). */
export interface FixedRequest {
  /** Each change, in words, and the finding it fixes. */
  changes: FixedRequestChange[];
  /** Credentials left out: variables to set first (`export TOKEN=…`). */
  placeholders?: Placeholder[];
  /** The curl command in segments; joined, the text to copy. */
  curl: CommandSegment[];
  /** The fetch call in segments. */
  fetch: CommandSegment[];
}

export interface FixedRequestChange {
  what: Text;
  finding: string;
}

export interface Placeholder {
  /** The variable: `TOKEN`, `PASSWORD`, `COOKIE` … */
  name: string;
  /** What it holds, in words. */
  what: string;
}

/** A piece of text; `changed` marks what the fix changed. */
export interface CommandSegment {
  text: string;
  changed?: boolean;
}

/** A JWT found in an exchange, decoded without verifying it; never its signature. */
export interface DecodedToken {
  /** Where it was: "request header Authorization", "response body access_token" … */
  location: string;
  span?: Span;
  /** The JOSE header: alg, typ, kid … */
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  times?: TokenTime[];
  badges?: TokenBadge[];
  used_by?: ClaimUse[];
}

export interface TokenTime {
  claim: "exp" | "nbf" | "iat";
  /** Seconds since the epoch. */
  at: number;
  /** "2026-11-25 09:23:45 UTC" */
  utc: string;
  /** "expired 2 h 14 min before this response"; absent without a clock. */
  relative?: string;
}

export interface TokenBadge {
  kind: "expired" | "not-yet-valid" | "audience-mismatch" | "unsigned";
  text: string;
}

export interface ClaimUse {
  /** The finding's ID. */
  finding: string;
  /** The claim it read: "exp", "aud", "scope" … */
  claim: string;
}

export interface Report {
  schema: "httpdx.report/2";
  format: Format;
  detected_by?: Text;
  reference_time?: number;
  findings: Finding[];
  exchanges: ExchangeReport[];
  /** The first failure that explains later ones, when the capture has such a cascade. */
  root_failure?: RootFailure;
}

/** A failure that explains the failures after it (docs/protocol.md). */
export interface RootFailure {
  /** The `index` of the exchange that failed first. */
  root: number;
  /** The `index` of each later failure it explains, in order. */
  consequences: number[];
  kind: "auth" | "dependency" | "cors";
  /** The cascade in one sentence, for a heading. */
  summary: Text;
}

export interface DiagnoseOptions {
  /** Read the input as this format instead of detecting it ("auto" or absent: detect). */
  format?: Format | "auto";
  /** Seconds since 1970: "now" for time-dependent findings where a response has no Date. */
  referenceTime?: number;
}

export interface ShareOptions extends DiagnoseOptions {
  /** HAR entries to share, by index (default: all). */
  exchanges?: number[];
  /** Also hide JWT claims, not only signatures. */
  redactClaims?: boolean;
  /** Values redaction would remove that should stay. */
  keep?: string[];
  /** More text to redact wherever it appears. */
  redact?: string[];
}

/** Diagnoses pasted text (a raw response, curl -v output, a HAR, a console error, a JSON body). Throws an Error when the input cannot be read at all. */
export function diagnose(text: string, options?: DiagnoseOptions): Report;

/** A link to the diagnosis under `base` (an httpdx page): the input, redacted, in the fragment. */
export function shareLink(text: string, base: string, options?: ShareOptions): { url: string; redactions: number };

/** The input a share link carries, and its diagnosis. */
export function openLink(link: string): { text: string; report: Report };

/** The diagnosis as Markdown for an issue tracker, computed on the redacted input. */
export function markdown(text: string, options?: ShareOptions): string;

/** The whole input with every secret masked. */
export function redact(text: string, options?: ShareOptions): { text: string; redactions: number };

/** Loads the WebAssembly module. In Node it is loaded on import (this resolves at once); in a browser, await it before the first call. */
export default function init(moduleOrPath?: unknown): Promise<unknown>;
