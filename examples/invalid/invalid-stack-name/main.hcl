crossvault {
  stack              = "Backup Core"
  management_account = account.management
  default_region     = "eu-west-1"
}

account "management" {
  id = "111111111111"
}
