crossvault {
  stack              = "invalid"
  management_account = account.management
  default_region     = "eu-west-1"
}

account "management" {
  id = "111111111111"
}

kms_key "legacy" {
  arn   = "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  alias = "alias/legacy"
}
