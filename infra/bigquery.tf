# The history dataset. tracker-notifier creates the history table (the seed's metadata table,
# named by metadata_table in each config) and its views itself, append-only.
resource "google_bigquery_dataset" "history" {
  dataset_id                 = var.history_dataset
  location                   = var.bigquery_location
  description                = "bq-sftp-export history: one row per export event, plus latest-state views."
  delete_contents_on_destroy = false
  depends_on                 = [google_project_service.apis]
}
