crossvault {
  stack              = "invalid"
  management_account = account.management
}

account "prod" {
  id = "222222222222"
}
