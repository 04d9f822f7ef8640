# [G1] only vaults tagged DestinationBackupVault may receive copies.
guardrail "destination_tag" {
  kind    = "require_destination_tag"
  targets = [account.vault]
}

# [G2] copies may only go to the central vault (or the platform team's cab-* vaults).
guardrail "copy_targets" {
  kind           = "restrict_copy_targets"
  targets        = [local.workloads_ou]
  allowed_vaults = [vault.central, "arn:aws:backup:*:999999999999:backup-vault:cab-*"]
}

# [G3] copies may only go to accounts under the organization's root.
guardrail "copy_target_ous" {
  kind              = "restrict_copy_target_ous"
  targets           = [local.workloads_ou]
  allowed_org_paths = ["${local.org_id}/r-f6g7/*"]
}

# [X3] the vault account keeps the copies: it must not leave the organization.
guardrail "stay_in_org" {
  kind        = "deny_leave_organization"
  targets     = [account.vault]
  description = "The central backup vault account cannot leave the organization"
}
