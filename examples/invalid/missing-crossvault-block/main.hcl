account "management" {
  id = "111111111111"
}
