# An organization-wide stack: five workload accounts each back up into a local vault, and every recovery
# point is copied to one central vault that the whole organization may copy into. Four guardrail SCPs keep
# copies from going anywhere else and keep the vault account inside the organization.

crossvault {
  stack              = "org-backup"
  management_account = account.management
  default_region     = "eu-west-1"
}

organization {
  cross_account_backup = true # [S2]
}

variable "retention_days" {
  type        = number
  default     = 35
  description = "Days a local recovery point is kept"

  validation {
    condition     = var.retention_days >= 7
    error_message = "Keep local recovery points at least a week."
  }
}

locals {
  workloads    = toset(["payments", "orders", "search", "analytics", "identity"])
  org_id       = "o-a1b2c3d4e5"
  workloads_ou = "ou-def0-awsbbbbb"
}
