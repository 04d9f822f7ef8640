crossvault {
  stack              = "demo"
  management_account = account.management
}

account "management" {
  id = "111111111111"
}
