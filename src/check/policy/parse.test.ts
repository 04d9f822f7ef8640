import { describe, expect, it } from "vitest";
import { parsePolicy } from "./index.js";

const statement = (s: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [s] });

describe("parsePolicy", () => {
  it("accepts the documented vault policy forms, a single statement object and policies without Version", () => {
    const ok = parsePolicy(
      statement({
        Effect: "Allow",
        Principal: "*",
        Action: "backup:CopyIntoBackupVault",
        Resource: "*",
        Condition: { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"] } },
      }),
    );
    expect(ok.error).toBeUndefined();
    expect(ok.document?.Version).toBe("2012-10-17");
    expect(parsePolicy(JSON.stringify({ Statement: { Effect: "Deny", Action: "*", Resource: "*" } })).error).toBeUndefined();
  });

  it("names what is wrong and where", () => {
    const cases: Array<[string, RegExp]> = [
      ["{", /not valid JSON/],
      ["[]", /must be a JSON object/],
      [JSON.stringify({ Version: "2012-10-17" }), /no Statement/],
      [JSON.stringify({ Version: "2020-01-01", Statement: [] }), /Version/],
      [statement({ Effect: "allow", Action: "*", Resource: "*" }), /Statement\[0\]: Effect/],
      [statement({ Effect: "Allow", Resource: "*" }), /Statement\[0\] needs Action or NotAction/],
      [statement({ Effect: "Allow", Action: "*" }), /needs Resource or NotResource/],
      [statement({ Effect: "Allow", Action: "*", NotAction: "s3:*", Resource: "*" }), /both Action and NotAction/],
      [statement({ Effect: "Allow", Action: [], Resource: "*" }), /Action is empty/],
      [statement({ Effect: "Allow", Action: "*", Resource: "*", Principal: "*", NotPrincipal: "*" }), /both Principal and NotPrincipal/],
      [statement({ Effect: "Allow", Action: "*", Resource: "*", Principal: { Group: "x" } }), /unknown principal type "Group"/],
      [statement({ Effect: "Allow", Action: "*", Resource: "*", Condition: { StringSortOf: { k: "v" } } }), /unsupported condition operator "StringSortOf"/],
      [statement({ Effect: "Allow", Action: "*", Resource: "*", Condition: { NullIfExists: { k: "true" } } }), /unsupported condition operator/],
      [statement({ Effect: "Allow", Action: "*", Resource: "*", Condition: { StringEquals: { k: [] } } }), /has no values/],
      [statement({ Effect: "Allow", Action: "*", Resource: "*", Condition: { StringEquals: { k: { a: 1 } } } }), /values must be/],
      [statement({ Effect: "Allow", Action: "*", Resource: "*", Extra: 1 }), /unknown element "Extra"/],
    ];
    for (const [text, message] of cases) expect(parsePolicy(text).error, text).toMatch(message);
  });
});
