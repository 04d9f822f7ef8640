crossvault {
  stack              = "invalid"
  management_account = account.management
  default_region     = "eu-west-1"
}

account "management" {
  id = "111111111111"
}

variable "retention_days" {
  type    = number
  default = 3

  validation {
    condition     = var.retention_days >= 7
    error_message = "Keep recovery points at least a week."
  }
}
