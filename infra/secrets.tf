# Secret Manager holds every credential; Terraform creates the secrets, operators add versions
# (`gcloud secrets versions add NAME --data-file=-`), so no secret value ever sits in state.
locals {
  secrets = {
    "bqx-sftp-password"              = { env = "SFTP_PASSWORD", readers = ["uploader"] }
    "bqx-sftp-private-key"           = { env = "SFTP_PRIVATE_KEY", readers = ["uploader"] }
    "bqx-sftp-private-key-passphrase" = { env = "SFTP_PRIVATE_KEY_PASSPHRASE", readers = ["uploader"] }
    "bqx-sftp-host-key-fingerprints" = { env = "SFTP_HOST_KEY_FINGERPRINTS", readers = ["uploader"] }
    "bqx-email-password"             = { env = "EMAIL_PASSWORD", readers = ["tracker_notifier"] }
    "bqx-slack-webhook-url"          = { env = "SLACK_WEBHOOK_URL", readers = ["tracker_notifier"] }
  }
  secret_grants = { for pair in flatten([for id, s in local.secrets : [for r in s.readers : { id = id, svc = r }]]) :
  "${pair.id}:${pair.svc}" => pair }
}

resource "google_secret_manager_secret" "secret" {
  for_each  = local.secrets
  secret_id = each.key
  replication {
    auto {}
  }
  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret_iam_member" "accessor" {
  for_each  = local.secret_grants
  secret_id = google_secret_manager_secret.secret[each.value.id].id
  role      = "roles/secretmanager.secretAccessor"
  member    = local.sa[each.value.svc]
}
