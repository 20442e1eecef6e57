"""What operations see of a running bot: health checks, Prometheus metrics, JSON logs."""
