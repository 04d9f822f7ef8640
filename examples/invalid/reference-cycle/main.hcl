crossvault {
  stack              = "invalid"
  management_account = account.management
  default_region     = "eu-west-1"
}

account "management" {
  id = "111111111111"
}

locals {
  primary   = local.secondary
  secondary = local.primary
}
