variable "retention_days" {
  type        = number
  default     = 35
  description = "Days a local recovery point is kept"
}

backup_plan "daily" {
  account = account.prod

  rule "nightly" {
    vault    = vault.prod_local
    schedule = "cron(0 5 ? * * *)"

    lifecycle {
      delete_after_days = var.retention_days
    }

    # The copy route: every recovery point also goes to the central vault account.
    copy {
      to = vault.central
      lifecycle {
        move_to_cold_storage_after_days = 30
        delete_after_days               = 365
      }
    }
  }

  selection "tagged" {
    iam_role_arn = "arn:aws:iam::222222222222:role/service-role/AWSBackupDefaultServiceRole"
    # A DynamoDB table: AWS Backup fully manages it, so its copies may cross accounts although prod_local uses
    # the AWS managed key [C3]. EBS volumes or RDS databases would need a customer managed key there.
    resources = ["arn:aws:dynamodb:eu-west-1:222222222222:table/orders"]
    selection_tag {
      key   = "backup"
      value = "daily"
    }
  }
}
