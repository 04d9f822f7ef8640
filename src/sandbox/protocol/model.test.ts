import { describe, expect, it } from "vitest";
import { services } from "../services/index.js";
import { models, shapeOf } from "./model.js";

describe("trimmed models", () => {
  it("hold every operation a service implements, with resolvable shapes", () => {
    for (const [name, impl] of Object.entries(services)) {
      const model = models[name as keyof typeof models];
      for (const op of Object.keys(impl.operations)) {
        const m = model.operations[op];
        expect(m, `${name}:${op} is not in the ${name} model`).toBeDefined();
        expect(() => shapeOf(model, m!.input)).not.toThrow();
        expect(() => shapeOf(model, m!.output)).not.toThrow();
      }
    }
  });

  it("name each service's protocol, routes and error traits", () => {
    expect(models.backup.protocol).toBe("restJson1");
    expect(models.backup.operations.ListTags!.http).toEqual({ method: "GET", uri: "/tags/{ResourceArn}", code: 200 });
    expect(models.kms.targetPrefix).toBe("TrentService");
    expect(models.organizations.targetPrefix).toBe("AWSOrganizationsV20161128");
    expect(models.sts.protocol).toBe("awsQuery");
    expect(models.sts.shapes.MalformedPolicyDocumentException!.queryError).toEqual({ code: "MalformedPolicyDocument", status: 400 });
    expect(models.kms.shapes.NotFoundException!.httpError).toBe(404);
    expect(models.backup.shapes.BackupVaultName!.pattern).toBe("^[a-zA-Z0-9\\-\\_]{2,50}$");
  });
});
