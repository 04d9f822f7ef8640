# The smallest useful crossvault stack: production backs up into its own vault every night, and each
# recovery point is copied to a central vault in a separate account, encrypted with a key crossvault creates.

crossvault {
  stack              = "demo"
  management_account = account.management
  default_region     = "eu-west-1"
}

account "management" {
  id = "111111111111"
}

account "prod" {
  id = "222222222222"
}

account "vault" {
  id = "333333333333"
}

# [S2] trusted access for AWS Backup and the cross-account backup setting.
organization {
  cross_account_backup = true
}
