crossvault {
  stack              = "invalid"
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

kms_key "central" {
  account = account.vault
  alias   = "alias/central-copies"
}

vault "central" {
  account = account.vault
  name    = "central-copies"
  kms_key = kms_key.central
}

# The id names another vault than the one the configuration declares.
import {
  to = vault.central
  id = "central"
}

# A key is found by its alias, not by its key id.
import {
  to = kms_key.central
  id = "1234abcd-12ab-34cd-56ef-1234567890ab"
}
