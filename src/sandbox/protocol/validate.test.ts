import { describe, expect, it } from "vitest";
import { models } from "./model.js";
import { validateInput, validationError, validationMessage } from "./validate.js";

describe("validateInput", () => {
  it("reports missing required members with AWS's lower-camel path", () => {
    const v = validateInput(models.sts, "AssumeRole", { RoleSessionName: "ok-name" });
    expect(v).toMatchObject([{ kind: "required", path: "roleArn" }]);
    expect(validationMessage(v)).toBe("1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
  });

  it("checks lengths, ranges, patterns and enums, nested ones included", () => {
    const v = validateInput(models.kms, "CreateKey", { KeyUsage: "NOPE", Tags: [{ TagKey: "", TagValue: "v" }] });
    expect(v.map((x) => [x.kind, x.path])).toEqual([
      ["enum", "keyUsage"],
      ["minLength", "tags.1.member.tagKey"],
    ]);
    expect(validateInput(models.backup, "CreateBackupVault", { BackupVaultName: "x y" })[0]).toMatchObject({ kind: "pattern", path: "backupVaultName" });
    expect(validateInput(models.organizations, "ListAccounts", { MaxResults: 21 })[0]).toMatchObject({ kind: "maxValue" });
    expect(validateInput(models.organizations, "ListAccounts", { MaxResults: 20 })).toEqual([]);
  });

  it("counts characters, not UTF-16 units, for lengths", () => {
    expect(validateInput(models.kms, "CreateKey", { Description: "😀".repeat(8192) })).toEqual([]);
    expect(validateInput(models.kms, "CreateKey", { Description: "😀".repeat(8193) })).toMatchObject([{ kind: "maxLength", path: "description" }]);
  });

  it("does not echo sensitive values", () => {
    const v = validateInput(models.organizations, "CreateAccount", { Email: "secret-but-bad", AccountName: "n" });
    expect(v).toMatchObject([{ kind: "pattern", path: "email", sensitive: true }]);
    expect(validationMessage(v)).toContain("Value '***' at 'email'");
    expect(validationMessage(v)).not.toContain("secret-but-bad");
  });
});

describe("validationError", () => {
  const v = validateInput(models.organizations, "ListAccounts", { MaxResults: 0 });
  it("uses each service's error", () => {
    expect(validationError("kms", v).code).toBe("ValidationException");
    expect(validationError("sts", v).code).toBe("ValidationError");
    expect(validationError("organizations", v)).toMatchObject({ code: "InvalidInputException", fields: { Reason: "MIN_VALUE_EXCEEDED" } });
    expect(validationError("backup", v).code).toBe("InvalidParameterValueException");
    expect(validationError("backup", [{ kind: "required", path: "backupPlan", value: null, constraint: "", sensitive: false }]).code).toBe("MissingParameterValueException");
  });
});
