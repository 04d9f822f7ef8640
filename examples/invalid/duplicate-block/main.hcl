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

account "prod" {
  id = "333333333333"
}
