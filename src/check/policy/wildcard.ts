// Wildcard matching (`*` any run, `?` one character) for actions, resources and the Like / Arn condition
// operators. Patterns compile once to anchored regular expressions: the sandbox matches on every copy job.

const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 5_000;

function compile(pattern: string, ignoreCase: boolean): RegExp {
  const key = (ignoreCase ? "i" : "c") + pattern;
  let re = cache.get(key);
  if (re === undefined) {
    let source = "^";
    for (const ch of pattern) {
      if (ch === "*") source += "[\\s\\S]*";
      else if (ch === "?") source += "[\\s\\S]";
      else source += ch.replace(/[.+^${}()|[\]\\/-]/g, "\\$&");
    }
    re = new RegExp(source + "$", ignoreCase ? "i" : "");
    // A policy set is small and stable; a bound only guards against unbounded random inputs.
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, re);
  }
  return re;
}

export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === "*") return true;
  if (!pattern.includes("*") && !pattern.includes("?")) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  return compile(pattern, ignoreCase).test(value);
}

/** Actions match without regard to case, service prefix included. */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatch(pattern, action, true);
}

/**
 * Splits an ARN into its six components; the resource part keeps its own colons.
 * Returns undefined for text with fewer than six components.
 */
export function arnComponents(arn: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const colon = arn.indexOf(":", start);
    if (colon < 0) return undefined;
    parts.push(arn.slice(start, colon));
    start = colon + 1;
  }
  parts.push(arn.slice(start));
  return parts;
}
