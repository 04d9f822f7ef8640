// Policy values as patterns: wildcards (`*`, `?`), policy variables (`${aws:PrincipalAccount}`,
// `${key, 'default'}`) and the escapes `${*}`, `${?}`, `${$}`. A value without variables compiles once;
// one with variables is resolved against each request, and never matches when a variable cannot be resolved.

import { arnComponents, wildcardMatch } from "./wildcard.js";

/** A resolved value: as text (for exact comparison) and as a wildcard pattern (for Like matching). */
interface Resolved {
  text: string;
  /** Resolved variable values and `${*}`-style escapes have their `*`, `?` and `\\` escaped with `\\`. */
  pattern: string;
}

export type ContextLookup = (key: string) => string | string[] | undefined;

const VARIABLE = /\$\{([^}]*)\}/g;

/** Resolves policy variables; undefined when a variable has no single value and no default. */
export function resolveValue(value: string, lookup: ContextLookup | undefined): Resolved | undefined {
  return resolve(value, lookup, false);
}

/** As resolveValue, but a variable without a value becomes `*`: what the value could match at most. */
export function resolveValueLoosely(value: string, lookup: ContextLookup): Resolved {
  return resolve(value, lookup, true)!;
}

function resolve(value: string, lookup: ContextLookup | undefined, loose: boolean): Resolved | undefined {
  if (lookup === undefined || !value.includes("${")) {
    return { text: value, pattern: escapeBackslashes(value) };
  }
  let text = "";
  let pattern = "";
  let last = 0;
  VARIABLE.lastIndex = 0;
  for (let m = VARIABLE.exec(value); m !== null; m = VARIABLE.exec(value)) {
    const before = value.slice(last, m.index);
    text += before;
    pattern += escapeBackslashes(before);
    last = m.index + m[0].length;
    const inner = m[1]!;
    let literal: string | undefined;
    if (inner === "*" || inner === "?" || inner === "$") literal = inner;
    else {
      const comma = inner.indexOf(",");
      const name = (comma < 0 ? inner : inner.slice(0, comma)).trim();
      const found = lookup(name);
      if (typeof found === "string") literal = found;
      else if (comma >= 0) {
        const fallback = /^\s*'([^']*)'\s*$/.exec(inner.slice(comma + 1));
        if (fallback) literal = fallback[1]!;
      }
    }
    if (literal === undefined) {
      if (!loose) return undefined;
      text += "*";
      pattern += "*";
      continue;
    }
    text += literal;
    pattern += literal.replace(/[\\*?]/g, "\\$&");
  }
  const rest = value.slice(last);
  return { text: text + rest, pattern: pattern + escapeBackslashes(rest) };
}

function escapeBackslashes(s: string): string {
  return s.includes("\\") ? s.replace(/\\/g, "\\\\") : s;
}

/**
 * Like-matching of a resolved pattern, where `\*` and `\?` are literal. Patterns without escapes (the usual
 * case) go through the cached wildcard matcher.
 */
export function likeMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (!pattern.includes("\\")) return wildcardMatch(pattern, value, ignoreCase);
  let source = "^";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "\\" && i + 1 < pattern.length) {
      source += escapeRegex(pattern[++i]!);
    } else if (ch === "*") source += "[\\s\\S]*";
    else if (ch === "?") source += "[\\s\\S]";
    else source += escapeRegex(ch);
  }
  return new RegExp(source + "$", ignoreCase ? "i" : "").test(value);
}

function escapeRegex(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/**
 * ArnLike / ArnEquals: the six colon-separated components are matched one by one.
 * Returns undefined when either side is not an ARN (the operator then reports no decision for the value).
 */
export function arnLikeMatch(pattern: string, arn: string): boolean | undefined {
  if (pattern === "*") return true;
  const p = splitPattern(pattern);
  const v = arnComponents(arn);
  if (p === undefined || v === undefined) return undefined;
  for (let i = 0; i < 6; i++) {
    if (!likeMatch(p[i]!, v[i]!)) return false;
  }
  return true;
}

/** Splits a wildcard pattern into six ARN components at unescaped colons. */
function splitPattern(pattern: string): string[] | undefined {
  if (!pattern.includes("\\")) return arnComponents(pattern);
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "\\" && i + 1 < pattern.length) {
      current += ch + pattern[++i]!;
    } else if (ch === ":" && parts.length < 5) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts.length === 6 ? parts : undefined;
}

/**
 * The Resource element: a full six-component ARN pattern is matched component by component (the resource
 * part as a whole, so `*` there spans `/` and `:`); a shorter pattern is accepted only when it ends in `*`,
 * which then extends past the colons, as the IAM reference describes for a trailing wildcard.
 */
export function resourcePatternMatch(pattern: string, resource: string): boolean {
  if (pattern === "*") return true;
  const components = splitPattern(pattern);
  if (components === undefined) return pattern.endsWith("*") && likeMatch(pattern, resource);
  const v = arnComponents(resource);
  if (v === undefined) return false;
  for (let i = 0; i < 6; i++) {
    // Partition, service, region and account are identifiers AWS compares without regard to case.
    if (!likeMatch(components[i]!, v[i]!, i > 0 && i < 5)) return false;
  }
  return true;
}
