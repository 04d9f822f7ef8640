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

organization {
  cross_account_backup = true
}

vault "one" {
  account = account.prod
  name    = "backups"
}

vault "two" {
  account = account.prod
  name    = "backups"
}
