kms_key "central" {
  account              = account.vault
  alias                = "alias/crossvault-central"
  description          = "Encrypts the organization's backup copies"
  deletion_window_days = 30
  tags                 = { team = "platform" }
}

# One key per workload account for its local vault; shared with the vault account for copies [S5].
kms_key "workload" {
  for_each = local.workloads
  account  = account[each.key]
  alias    = "alias/crossvault-backup"
}

vault "central" {
  account = account.vault
  name    = "org-central"
  kms_key = kms_key.central                     # [S3]
  tags    = { DestinationBackupVault = "true" } # [G1]

  # [S4] organization-level sharing: every account of the organization may copy in (aws:PrincipalOrgID),
  # beyond the routes declared below; the guardrails decide where copies may go.
  allow_copy_from {
    organization = true
  }

  lock {
    min_retention_days = 30
    max_retention_days = 3650
  }

  lifecycle {
    prevent_destroy = true
  }
}

vault "local" {
  for_each = local.workloads
  account  = account[each.key]
  name     = "local-${each.key}"
  kms_key  = kms_key.workload[each.key]
}
