// The configuration schema: which blocks exist, their labels, attributes (type, default, the seed rule they
// enforce) and nested blocks. Structural validation, value decoding and docs/configuration.md follow it.
import { OWN_TAGS } from "./rules.js";

/**
 * Attribute types. Besides plain values, some attributes take a reference to a declared block or a literal
 * AWS identifier in its place (see `describeType`).
 */
export type AttrType =
  | "string"
  | "number"
  | "bool"
  | "list(string)"
  | "map(string)"
  | "account"
  | "list(account)"
  | "kms_key"
  | "list(kms_key)"
  | "rule_vault"
  | "copy_vault"
  | "list(allowed_vault)"
  | "list(guardrail_target)"
  | "resource_address"
  | "type"
  | "for_each"
  | "any";

export interface AttrSchema {
  type: AttrType;
  required?: boolean;
  /** The default, as documentation shows it. */
  default?: string;
  rule?: string;
  doc: string;
}

export interface BlockSchema {
  /** Label names; their count is enforced. */
  labels: string[];
  attrs: Record<string, AttrSchema>;
  blocks: Record<string, NestedBlockSchema>;
  /** Free-form attributes (locals). */
  anyAttrs?: boolean;
  doc: string;
}

export interface NestedBlockSchema extends BlockSchema {
  /** At most one per parent. */
  single?: boolean;
  required?: boolean;
}

export interface TopBlockSchema extends BlockSchema {
  /** At most one in the configuration. */
  single?: boolean;
  required?: boolean;
  /** Other blocks reference it as `<type>.<label>` (and as `<type>["label"]`). */
  referenceable?: boolean;
}

const lifecycleAttrs: Record<string, AttrSchema> = {
  move_to_cold_storage_after_days: { type: "number", doc: "Days after creation before the recovery point moves to cold storage; omit to stay in warm storage." },
  delete_after_days: { type: "number", rule: "[C5]", doc: "Days after creation before the recovery point is deleted; at least `move_to_cold_storage_after_days + 90` when both are set." },
};

const forEach: AttrSchema = {
  type: "for_each",
  doc: "Declares one instance per element of a map, or of a set/list of strings; `each.key` and `each.value` name the current one. May be known only after refresh (`accounts_in_ou`).",
};

/** `own`: crossvault's own tags on the resource, which count against AWS's 50 (OWN_TAGS). */
const tags = (doc: string, own = 0): AttrSchema => ({
  type: "map(string)", default: "{}",
  doc: `${doc} Keys up to 128 characters, values up to 256, at most ${50 - own} tags${own > 0 ? ` (AWS's 50, less crossvault's own ${own}, whose \`crossvault:\` prefix is theirs)` : ""}, no \`aws:\` prefix.`,
});

export const schema: Record<string, TopBlockSchema> = {
  crossvault: {
    labels: [],
    single: true,
    required: true,
    doc: "Settings of the stack. Exactly one per configuration.",
    attrs: {
      stack: { type: "string", required: true, doc: "Stack name, `[a-z0-9-]{1,32}`: names the ownership tags and the policy Sid prefixes of everything crossvault manages." },
      management_account: { type: "account", required: true, rule: "[P3]", doc: "The organization's management account, a declared `account` (only it can turn cross-account backup on)." },
      assume_role_name: { type: "string", default: '"OrganizationAccountAccessRole"', doc: "Role assumed in every other account unless the account sets `role_arn` or `profile`." },
      default_region: { type: "string", doc: "Region of resources that do not set `region`." },
    },
    blocks: {},
  },
  variable: {
    labels: ["name"],
    doc: "An input variable, set with `--var name=value`, `--var-file FILE` or the environment variable `CROSSVAULT_VAR_name`.",
    attrs: {
      type: { type: "type", default: "any", doc: "`string`, `number`, `bool`, `any`, `list(T)`, `set(T)` or `map(T)`." },
      default: { type: "any", doc: "The value when none is given; without a default the variable is required." },
      description: { type: "string", doc: "What the variable is for." },
    },
    blocks: {
      validation: {
        labels: [],
        doc: "A condition the value must meet.",
        attrs: {
          condition: { type: "bool", required: true, doc: "An expression over `var.<name>` that must be true." },
          error_message: { type: "string", required: true, doc: "Shown when the condition is false." },
        },
        blocks: {},
      },
    },
  },
  locals: {
    labels: [],
    anyAttrs: true,
    doc: "Named values (`local.<name>`), computed from expressions. Any number of `locals` blocks; each name once.",
    attrs: {},
    blocks: {},
  },
  account: {
    labels: ["name"],
    referenceable: true,
    doc: "An AWS account of the organization. Reference: `account.<name>` (attributes `id`, `name`).",
    attrs: {
      id: { type: "string", required: true, rule: "[S1]", doc: "The 12-digit account id." },
      role_arn: { type: "string", doc: "Role to assume in this account, overriding `assume_role_name`." },
      profile: { type: "string", doc: "A named AWS profile to use instead of assuming a role." },
    },
    blocks: {},
  },
  organization: {
    labels: [],
    single: true,
    doc: "Organization-wide settings, applied with the management account's credentials.",
    attrs: {
      cross_account_backup: { type: "bool", default: "false", rule: "[S2]", doc: "Enable trusted access for AWS Backup and the cross-account backup setting." },
    },
    blocks: {},
  },
  kms_key: {
    labels: ["name"],
    referenceable: true,
    doc: "A customer managed KMS key: created by crossvault (set `alias`) or an existing one (set `arn`). Reference: `kms_key.<name>` (attributes `arn`, `alias`, `region`).",
    attrs: {
      for_each: forEach,
      arn: { type: "string", doc: "ARN of an existing key: not created, but its shares are still managed. Excludes every other attribute." },
      account: { type: "account", doc: "Account of a created key (required unless `arn` is set)." },
      region: { type: "string", default: "`default_region`", doc: "Region of a created key." },
      alias: { type: "string", doc: "`alias/<name>` of a created key (required unless `arn` is set); never `alias/aws/...`." },
      description: { type: "string", doc: "Key description." },
      deletion_window_days: { type: "number", default: "30", doc: "Waiting period before deletion, 7..30." },
      enable_key_rotation: { type: "bool", default: "true", doc: "Yearly automatic rotation." },
      tags: tags("Tags on the key, besides crossvault's ownership tags.", OWN_TAGS.kms_key),
    },
    blocks: {},
  },
  vault: {
    labels: ["name"],
    referenceable: true,
    doc: "A backup vault. Reference: `vault.<name>` (attributes `name`, `arn`, `region`).",
    attrs: {
      for_each: forEach,
      account: { type: "account", required: true, doc: "Account that owns the vault." },
      region: { type: "string", default: "`default_region`", doc: "Region of the vault." },
      name: { type: "string", default: "the label", doc: "The vault name, `^[a-zA-Z0-9\\-_]{2,50}$`." },
      kms_key: { type: "kms_key", rule: "[S3]", doc: "Encryption key: a `kms_key` reference or a key ARN. Without it the vault uses the AWS managed key and cannot receive cross-account copies." },
      tags: tags("Tags on the vault ([G1]: `DestinationBackupVault` for `require_destination_tag`).", OWN_TAGS.vault),
    },
    blocks: {
      allow_copy_from: {
        labels: [],
        single: true,
        doc: "[S4] Extra sharing in the vault access policy, beyond what copy routes derive. Allows `backup:CopyIntoBackupVault` only.",
        attrs: {
          accounts: { type: "list(account)", default: "[]", rule: "[S4]", doc: "Source accounts (references or ids)." },
          roles: { type: "list(string)", default: "[]", rule: "[S4]", doc: "IAM role ARNs." },
          organization: { type: "bool", default: "false", rule: "[S4]", doc: "Every account of the organization (`aws:PrincipalOrgID`)." },
          org_paths: { type: "list(string)", default: "[]", rule: "[S4]", doc: "Organization paths `o-.../r-.../ou-.../` (`aws:PrincipalOrgPaths`, `ForAnyValue:StringLike`)." },
        },
        blocks: {},
      },
      lock: {
        labels: [],
        single: true,
        doc: "Vault Lock.",
        attrs: {
          min_retention_days: { type: "number", doc: "Minimum retention of recovery points, at least 1." },
          max_retention_days: { type: "number", doc: "Maximum retention, at most 36500." },
          changeable_for_days: { type: "number", doc: "Compliance mode: the lock becomes immutable after this many days (at least 3). Omit for governance mode." },
        },
        blocks: {},
      },
      lifecycle: {
        labels: [],
        single: true,
        doc: "crossvault's own handling of the vault.",
        attrs: {
          prevent_destroy: { type: "bool", default: "false", doc: "Refuse any plan that would delete the vault." },
        },
        blocks: {},
      },
    },
  },
  backup_plan: {
    labels: ["name"],
    referenceable: true,
    doc: "[S6] A backup plan in a source account, with its rules, copy routes and selections.",
    attrs: {
      for_each: forEach,
      account: { type: "account", required: true, rule: "[P1]", doc: "Source account that owns the plan." },
      region: { type: "string", default: "`default_region`", doc: "Region of the plan." },
      name: { type: "string", default: "the label", doc: "The plan name, `^[a-zA-Z0-9\\-_.]{1,50}$`." },
      windows_vss: { type: "bool", default: "false", rule: "[S6]", doc: "Windows VSS backups for EC2." },
      tags: tags("Tags on the plan.", OWN_TAGS.backup_plan),
    },
    blocks: {
      rule: {
        labels: ["name"],
        required: true,
        doc: "A backup rule (label: the rule name, `^[a-zA-Z0-9\\-_.]{1,50}$`).",
        attrs: {
          vault: { type: "rule_vault", required: true, doc: "Target vault in the plan's account and region: a `vault` reference or an existing vault's name." },
          schedule: { type: "string", doc: "`cron(...)` (six fields, UTC unless `schedule_timezone`) or `rate(N unit)`." },
          schedule_timezone: { type: "string", default: '"Etc/UTC"', doc: "IANA time zone of the schedule." },
          start_window_minutes: { type: "number", default: "480", doc: "Minutes in which a backup must start, at least 60." },
          completion_window_minutes: { type: "number", default: "10080", doc: "Minutes in which a backup must complete, at least `start_window_minutes + 60`." },
          enable_continuous_backup: { type: "bool", default: "false", doc: "Point-in-time recovery for supported types (no cold storage)." },
          recovery_point_tags: tags("Tags on the recovery points."),
        },
        blocks: {
          lifecycle: { labels: [], single: true, doc: "Lifecycle of the recovery points.", attrs: lifecycleAttrs, blocks: {} },
          copy: {
            labels: [],
            doc: "A copy route: copies every recovery point of the rule to another vault, usually in another account.",
            attrs: {
              to: { type: "copy_vault", rule: "[S6]", doc: "A declared destination `vault`. Set exactly one of `to` and `to_arn`." },
              to_arn: { type: "string", rule: "[S6]", doc: "An external destination vault ARN `arn:aws:backup:REGION:ACCOUNT:backup-vault:NAME`." },
              share_keys: { type: "list(kms_key)", default: "[]", rule: "[S5] [C3]", doc: "Keys of the source resources to share with the destination account." },
            },
            blocks: {
              lifecycle: { labels: [], single: true, doc: "Lifecycle of the copies; without it a copy keeps the source's retention.", attrs: lifecycleAttrs, blocks: {} },
            },
          },
        },
      },
      selection: {
        labels: ["name"],
        doc: "Resources the plan backs up (label: the selection name).",
        attrs: {
          iam_role_arn: { type: "string", required: true, rule: "[P1]", doc: "IAM role ARN AWS Backup assumes, `arn:aws:iam::ACCOUNT:role/...`." },
          resources: { type: "list(string)", default: "[]", doc: "Resource ARNs (wildcards allowed)." },
          not_resources: { type: "list(string)", default: "[]", doc: "Resource ARNs to exclude." },
        },
        blocks: {
          selection_tag: {
            labels: [],
            doc: "Selects resources by tag; several are combined with OR.",
            attrs: {
              type: { type: "string", default: '"STRINGEQUALS"', doc: "Only `STRINGEQUALS`." },
              key: { type: "string", required: true, doc: "Tag key." },
              value: { type: "string", required: true, doc: "Tag value." },
            },
            blocks: {},
          },
        },
      },
    },
  },
  import: {
    labels: [],
    doc: "Adopts an existing AWS object that is not this stack's into a declared resource: the next apply tags it with the stack (a key also gets the stack's marker alias) and makes it match the configuration. Once adopted, the block changes nothing; it may stay or go. Any number of `import` blocks.",
    attrs: {
      to: { type: "resource_address", required: true, doc: "The resource that takes the object over: `vault.NAME`, `kms_key.NAME` (a key crossvault creates, with `alias`) or `backup_plan.NAME`; `TYPE.NAME[\"KEY\"]` for one instance of a `for_each` block, `TYPE.NAME` alone for all of them. A static address: no expressions." },
      id: { type: "string", doc: "The object's AWS identity, checked against the configuration: a vault's name or ARN, a plan's name, a key's alias (`alias/...`). Optional: the configuration already names the object. Not allowed with a whole `for_each` block." },
    },
    blocks: {},
  },
  guardrail: {
    labels: ["name"],
    referenceable: true,
    doc: "A service control policy from the seed, attached to accounts or OUs.",
    attrs: {
      for_each: forEach,
      kind: { type: "string", required: true, rule: "[G1] [G2] [G3] [X3]", doc: "`require_destination_tag` [G1], `restrict_copy_targets` [G2], `restrict_copy_target_ous` [G3] or `deny_leave_organization` [X3]." },
      targets: { type: "list(guardrail_target)", required: true, doc: "Where the policy is attached: account references or ids, OU ids `ou-...`, root ids `r-...`." },
      description: { type: "string", doc: "Policy description." },
      allowed_vaults: { type: "list(allowed_vault)", rule: "[G2]", doc: "`restrict_copy_targets` only (required): vault references or vault ARN patterns copies may go to." },
      allowed_org_paths: { type: "list(string)", rule: "[G3]", doc: "`restrict_copy_target_ous` only (required): organization path patterns `o-.../r-.../ou-.../*` copies may go to." },
      tag_key: { type: "string", default: '"DestinationBackupVault"', rule: "[G1]", doc: "`require_destination_tag` only: the tag a destination vault must carry." },
    },
    blocks: {},
  },
};

/** Guardrail kinds: the seed rule each implements and the attributes it needs and allows beyond the common ones. */
export const guardrailKinds: Record<string, { rule: string; required: string[]; allowed: string[] }> = {
  require_destination_tag: { rule: "[G1]", required: [], allowed: ["tag_key"] },
  restrict_copy_targets: { rule: "[G2]", required: ["allowed_vaults"], allowed: ["allowed_vaults"] },
  restrict_copy_target_ous: { rule: "[G3]", required: ["allowed_org_paths"], allowed: ["allowed_org_paths"] },
  deny_leave_organization: { rule: "[X3]", required: [], allowed: [] },
};

/** How documentation spells an attribute type. */
export function describeType(t: AttrType): string {
  switch (t) {
    case "account": return "account reference, or a 12-digit account id";
    case "list(account)": return "list of account references or ids";
    case "kms_key": return "kms_key reference, or a key ARN";
    case "list(kms_key)": return "list of kms_key references or key ARNs";
    case "rule_vault": return "vault reference, or an existing vault name";
    case "copy_vault": return "vault reference";
    case "list(allowed_vault)": return "list of vault references or vault ARN patterns";
    case "list(guardrail_target)": return "list of account references/ids, OU ids or root ids";
    case "resource_address": return "resource address";
    case "type": return "type constraint";
    case "for_each": return "map, or set/list of strings";
    default: return t;
  }
}
