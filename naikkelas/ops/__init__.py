"""Running an office's server: backups that restore, NIK key rotation, upgrades, health and metrics."""
