backup_plan "daily" {
  for_each = local.workloads
  account  = account[each.key]

  rule "daily" {
    vault                     = vault.local[each.key]
    schedule                  = "cron(0 5 ? * * *)"
    start_window_minutes      = 60
    completion_window_minutes = 240

    lifecycle {
      delete_after_days = var.retention_days
    }

    recovery_point_tags = { source = each.key }

    copy {
      to         = vault.central
      share_keys = [kms_key.workload[each.key]]
      lifecycle {
        move_to_cold_storage_after_days = 30
        delete_after_days               = 365
      }
    }
  }

  selection "tagged" {
    iam_role_arn = "arn:aws:iam::${account[each.key].id}:role/service-role/AWSBackupDefaultServiceRole"
    resources    = ["arn:aws:ec2:*:*:volume/*", "arn:aws:rds:*:*:db:*"]
    selection_tag {
      key   = "backup"
      value = "daily"
    }
  }
}
