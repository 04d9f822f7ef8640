// Pairing desired resources with live ones. The identity (AWS's account, region and name) decides; a desired
// resource whose identity found nothing may still be a renamed object of ours at the same address in the same
// account and region (a vault renamed in the config, a key whose alias changed): diff shows a replace or update.
import type { DesiredResource, LiveResource } from "../model/resource.js";
import type { Finding } from "./plan-types.js";

export interface Pair {
  desired: DesiredResource;
  live?: LiveResource;
}

export interface Matching {
  pairs: Pair[];
  /** Live objects no desired resource claims (ours among them are deleted). */
  unclaimed: LiveResource[];
}

export function matchResources(desired: readonly DesiredResource[], live: readonly LiveResource[], findings: Finding[]): Matching {
  const liveByIdentity = new Map<string, LiveResource>();
  for (const l of live) if (!liveByIdentity.has(l.identity)) liveByIdentity.set(l.identity, l);

  const claimed = new Set<LiveResource>();
  const seenIdentity = new Map<string, DesiredResource>();
  const pairs: Pair[] = [];
  for (const d of desired) {
    const first = seenIdentity.get(d.identity);
    if (first) {
      findings.push({
        severity: "error",
        code: "duplicate-identity",
        address: d.address,
        message: `${d.address} and ${first.address} are the same AWS object (${d.identity})`,
        hint: "Give one of them another name, account or region.",
      });
      continue;
    }
    seenIdentity.set(d.identity, d);
    const l = liveByIdentity.get(d.identity);
    if (l) claimed.add(l);
    pairs.push(l ? { desired: d, live: l } : { desired: d });
  }

  // Second pass: an object of ours that kept its address but changed its name (and so its identity).
  const oursByAddress = new Map<string, LiveResource>();
  for (const l of live) if (!claimed.has(l) && l.ownership === "ours" && !oursByAddress.has(l.address)) oursByAddress.set(l.address, l);
  for (const p of pairs) {
    if (p.live) continue;
    const l = oursByAddress.get(p.desired.address);
    // Only in the same account and region: a move is a create there and a delete here, each where it happens.
    if (l && l.type === p.desired.type && l.accountId === p.desired.accountId && l.region === p.desired.region && !claimed.has(l)) {
      claimed.add(l);
      p.live = l;
    }
  }
  return { pairs, unclaimed: live.filter((l) => !claimed.has(l)) };
}
