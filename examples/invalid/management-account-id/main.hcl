crossvault {
  stack              = "invalid"
  management_account = "111111111111"
}
