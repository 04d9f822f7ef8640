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

import {
  to = vault.central
}

import {
  to = vault.central
  id = "central-copies"
}
