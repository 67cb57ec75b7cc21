# The three services on Cloud Run. In push mode Pub/Sub calls each service with an OIDC token of
# the push invoker (the only identity granted run.invoker), which Cloud Run and then the runtime
# itself verify (PUSH_AUDIENCE, PUSH_SERVICE_ACCOUNT); in pull mode each service is a
# streaming-pull worker with CPU always allocated (instance-based billing) and min instances,
# so long uploads keep their lease.

locals {
  images = {
    extractor        = var.images.extractor
    uploader         = var.images.uploader
    tracker_notifier = var.images.tracker_notifier
  }
  common_env = merge(var.environment, {
    GOOGLE_CLOUD_PROJECT = var.project_id
    STAGING_BUCKET       = google_storage_bucket.staging.name
    CONFIG_SOURCE        = "gs://${google_storage_bucket.staging.name}/configs"
    TRANSPORT            = var.transport
    LOG_LEVEL            = var.log_level
    # Cloud Run delivers to $PORT from outside the container: listen on every interface.
    BIND_HOST = "0.0.0.0"
    # Spans go to Cloud Trace (the services' accounts hold roles/cloudtrace.agent, iam.tf).
    TRACE_EXPORTER     = var.trace_exporter
    TRACE_SAMPLE_RATIO = var.trace_sample_ratio
  })
  # Memory, V8 heap cap and request timeout of each service, from the figures of `./dev bench`
  # (root README, "Performance"). The container limit leaves room beyond the heap: a service's
  # process floor is ~145 MB idle (code, the Google client libraries, native buffers), and V8's
  # young generation adds up to ~192 MB above the old-space cap on Node 24 (infra/test checks
  # heap_size_limit at each cap stays within 75 % of the limit). The same caps are in the image
  # (Dockerfile) and in the demo's child processes (packages/demo, SERVICE_HEAP_LIMITS_MB).
  sizing = {
    extractor = {
      # Measured: process peak RSS 504 MB end to end at 83 MB of CSV and 496 MB at 331 MB (1M
      # rows), flat in the output size, uncapped; 347 MB with a 128 MB heap cap at 83 MB.
      # Parquet keeps one 20k-row group in the heap (767-862 MB RSS uncapped, 1M rows, not yet
      # measured under a cap), so its cap is twice the tried 128 MB. 1 GiB is ~2x the capped
      # CSV peak and the cap plus young generation (448 MB) plus the floor, with margin.
      memory  = "1Gi"
      heap_mb = 256
      # Request timeout (push): 1M rows end to end took 67 s locally, bound by the BigQuery
      # read (~15k rows/s); 900 s covers ~13M rows at that rate, real BigQuery reads faster.
      timeout = "900s"
    }
    uploader = {
      # Measured: peak RSS 293 MB at 100 MB and 337 MB at 2 GB uploaded (bench process, flat),
      # 303 MB as a process end to end uncapped and 256 MB with a 128 MB heap cap; 512 MiB is
      # 2x the capped figure and 1.5x the uncapped 2 GB one.
      memory  = "512Mi"
      heap_mb = 128
      # The upload streams: 2 GB took ~40 s at the measured 52 MB/s (local GCS -> SFTP), but
      # partner links are slower; 3600 s, Cloud Run's maximum, covers 2 GB at >= 0.6 MB/s.
      timeout = "3600s"
    }
    tracker_notifier = {
      # Not measured on its own: one small event at a time (a BigQuery row, an email, a Slack
      # post), so the uploader's capped figures without the transfer buffers bound it.
      memory  = "512Mi"
      heap_mb = 128
      # One event: median 180 ms (event latency, bench); the slowest path is SMTP's 30 s
      # timeouts per phase and Slack's 10 s per attempt, well inside 300 s; 600 s, because a push
      # request's timeout must not be shorter than the push ack deadline (600 s, see below).
      timeout = "600s"
    }
  }
  # The audience of each service's push tokens. A fixed string, because a service's URL exists only
  # after the service does and its own environment cannot name it; Cloud Run accepts it as a custom
  # audience, and the runtime checks it (PUSH_AUDIENCE) on every push request.
  push_audiences = {
    for key, s in local.services : key => "https://${var.project_id}.bq-sftp-export/bqx-${replace(key, "_", "-")}"
  }
}

resource "google_cloud_run_v2_service" "service" {
  for_each            = local.services
  name                = "bqx-${replace(each.key, "_", "-")}"
  location            = var.region
  ingress             = var.transport == "push" ? "INGRESS_TRAFFIC_ALL" : "INGRESS_TRAFFIC_INTERNAL_ONLY"
  custom_audiences    = var.transport == "push" ? [local.push_audiences[each.key]] : []
  deletion_protection = false

  template {
    service_account = google_service_account.service[each.key].email
    # The longest request a push delivery may take (local.sizing has the reasons). In push mode it
    # must not be shorter than the push ack deadline (local.push_ack_deadline_seconds, 600 s), or
    # Cloud Run would answer 504 while Pub/Sub still waits; Pub/Sub stops waiting at the ack
    # deadline, so a longer timeout gives no single push request more time. In pull mode no request
    # carries work (only /healthz). On scale-down Cloud Run sends SIGTERM and waits 10 s; the
    # runtime stops within that.
    timeout = local.sizing[each.key].timeout

    scaling {
      min_instance_count = var.transport == "pull" ? var.pull_min_instances : 0
      max_instance_count = 10
    }

    containers {
      image = local.images[each.key]

      ports {
        container_port = 8080
      }

      resources {
        limits = {
          cpu    = "1"
          memory = local.sizing[each.key].memory
        }
        cpu_idle = var.transport == "push"
      }

      dynamic "env" {
        for_each = local.common_env
        content {
          name  = env.key
          value = env.value
        }
      }

      # Caps V8's old space below the container limit (local.sizing), so the heap is collected
      # before Cloud Run's limit is reached; a run that needs more dies with V8's "heap out of
      # memory" and its message is redelivered.
      env {
        name  = "NODE_OPTIONS"
        value = "--max-old-space-size=${local.sizing[each.key].heap_mb}"
      }

      env {
        name  = "SUBSCRIPTION"
        value = each.value.subscription
      }

      # Push: the runtime verifies each request's OIDC token against the subscription's oidc_token.
      dynamic "env" {
        for_each = {
          for name, value in {
            PUSH_AUDIENCE             = local.push_audiences[each.key]
            PUSH_SERVICE_ACCOUNT      = google_service_account.push_invoker.email
            PUSH_ACK_DEADLINE_SECONDS = tostring(local.push_ack_deadline_seconds)
          } : name => value if var.transport == "push"
        }
        content {
          name  = env.key
          value = env.value
        }
      }

      dynamic "env" {
        for_each = { for id, s in local.secrets : id => s if contains(s.readers, each.key) }
        content {
          name = env.value.env
          value_source {
            secret_key_ref {
              secret  = google_secret_manager_secret.secret[env.key].secret_id
              version = "latest"
            }
          }
        }
      }

      startup_probe {
        http_get {
          path = "/healthz"
        }
      }

      liveness_probe {
        http_get {
          path = "/healthz"
        }
      }
    }
  }

  depends_on = [google_secret_manager_secret_iam_member.accessor]
}

resource "google_cloud_run_v2_service_iam_member" "push_invoker" {
  for_each = var.transport == "push" ? local.services : {}
  name     = google_cloud_run_v2_service.service[each.key].name
  location = var.region
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.push_invoker.email}"
}
