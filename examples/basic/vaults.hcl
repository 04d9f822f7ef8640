# [S3] the destination vault is encrypted with a customer managed key.
kms_key "central" {
  account     = account.vault
  alias       = "alias/crossvault-central"
  description = "Copies from production"
}

vault "central" {
  account = account.vault
  name    = "central-copies"
  kms_key = kms_key.central
  tags    = { DestinationBackupVault = "true" }
}

vault "prod_local" {
  account = account.prod
  name    = "prod-local"
}
