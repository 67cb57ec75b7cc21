variable "project_id" {
  description = "Google Cloud project that runs the exports."
  type        = string
}

variable "region" {
  description = "Region for Cloud Run, Cloud Scheduler and the staging bucket."
  type        = string
  default     = "us-central1"
}

variable "images" {
  description = "Container image per service (built by .github/workflows/deploy.yml)."
  type = object({
    extractor        = string
    uploader         = string
    tracker_notifier = string
  })
}

variable "transport" {
  description = "How services receive messages: \"push\" (Pub/Sub push with OIDC to Cloud Run, for short work) or \"pull\" (streaming-pull workers with instance-based billing, for long uploads)."
  type        = string
  default     = "push"
  validation {
    condition     = contains(["push", "pull"], var.transport)
    error_message = "transport must be \"push\" or \"pull\"."
  }
}

variable "pull_min_instances" {
  description = "Minimum instances per service in pull mode (a pull worker must be running to receive anything)."
  type        = number
  default     = 1
}

variable "staging_bucket" {
  description = "Name of the bucket holding staged files, checkpoints, the delivery ledger and configs."
  type        = string
}

variable "staging_retention_days" {
  description = "Staged files older than this are deleted by a lifecycle rule (checkpoints and ledger entries are kept)."
  type        = number
  default     = 30
}

variable "source_datasets" {
  description = "BigQuery datasets the extractor reads (\"dataset\" or \"project.dataset\")."
  type        = list(string)
  default     = ["prod_staging"]
}

variable "history_dataset" {
  description = "BigQuery dataset of the history (metadata) table; must match metadata_table in the export configs."
  type        = string
  default     = "export_metadata"
}

variable "bigquery_location" {
  description = "Location of the history dataset."
  type        = string
  default     = "US"
}

variable "max_delivery_attempts" {
  description = "Deliveries of one message before Pub/Sub forwards it to the dead-letter topic (5 to 100)."
  type        = number
  default     = 10
  validation {
    condition     = var.max_delivery_attempts >= 5 && var.max_delivery_attempts <= 100
    error_message = "max_delivery_attempts must be between 5 and 100 (Pub/Sub's limits)."
  }
}

variable "retry_minimum_backoff" {
  type    = string
  default = "10s"
}

variable "retry_maximum_backoff" {
  type    = string
  default = "600s"
}

variable "schedules" {
  description = "Cloud Scheduler jobs: each publishes body (an export.requested message, the seed's {\"config\": \"default\"}) to export-requests."
  type = map(object({
    schedule  = string
    time_zone = string
    body      = string
  }))
  default = {
    default = {
      schedule  = "0 5 * * *"
      time_zone = "America/Chicago"
      body      = "{\"config\": \"default\"}"
    }
  }
  validation {
    condition     = alltrue([for s in values(var.schedules) : can(jsondecode(s.body).config)])
    error_message = "Every schedule body must be a JSON export.requested message with a \"config\" field."
  }
}

variable "freshness_schedules" {
  description = "Cloud Scheduler jobs publishing a freshness.tick for config to export-events (tracker-notifier's notifications.alerts.freshness_seconds check); none by default."
  type = map(object({
    schedule  = string
    time_zone = string
    config    = string
  }))
  default = {}
  validation {
    condition     = alltrue([for s in values(var.freshness_schedules) : can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", s.config))])
    error_message = "Every freshness schedule must name a config (letters, digits, _ and -)."
  }
}

variable "environment" {
  description = "Plain (non-secret) environment variables for all services, e.g. SFTP_HOST, SFTP_USERNAME."
  type        = map(string)
  default     = {}
}

variable "trace_exporter" {
  description = "Where the services send their spans: cloud-trace (default) or none."
  type        = string
  default     = "cloud-trace"
  validation {
    condition     = contains(["cloud-trace", "none"], var.trace_exporter)
    error_message = "trace_exporter must be cloud-trace or none."
  }
}

variable "trace_sample_ratio" {
  description = "Share of export runs traced, 0-1 (a run is one trace across the three services)."
  type        = string
  default     = "1"
}

variable "log_level" {
  type    = string
  default = "info"
}
