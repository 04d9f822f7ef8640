account "management" {
  id = "111111111111"
}

account "vault" {
  id       = "999999999999"
  role_arn = "arn:aws:iam::999999999999:role/CrossvaultAdmin"
}

account "payments" {
  id = "200000000001"
}

account "orders" {
  id = "200000000002"
}

account "search" {
  id = "200000000003"
}

account "analytics" {
  id = "200000000004"
}

account "identity" {
  id = "200000000005"
}
