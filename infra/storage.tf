resource "google_storage_bucket" "staging" {
  name                        = var.staging_bucket
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  # Staged files (prefix "exports/", the config default) are kept long enough to resend; checkpoints, ledger and notification records
  # live under other prefixes and are never expired.
  lifecycle_rule {
    condition {
      age            = var.staging_retention_days
      matches_prefix = ["exports/"]
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}
