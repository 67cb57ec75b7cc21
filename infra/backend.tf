# State in a GCS bucket, given at init: terraform init -backend-config="bucket=<state bucket>"
terraform {
  backend "gcs" {
    prefix = "bq-sftp-export"
  }
}
