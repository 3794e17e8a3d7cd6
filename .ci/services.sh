#!/usr/bin/env bash
# Starts the machine's PostgreSQL and RabbitMQ (with its management plugin) when they are down,
# and waits until both accept connections. Used by .ci/run; safe to run again.
set -euo pipefail

wait_for() { # name, attempts, command...
  local name=$1 attempts=$2
  shift 2
  for _ in $(seq "$attempts"); do
    if "$@" >/dev/null 2>&1; then echo "$name is up"; return 0; fi
    sleep 1
  done
  echo "$name did not come up" >&2
  return 1
}

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
fi
wait_for PostgreSQL 60 pg_isready -h 127.0.0.1 -p 5432 -q

if ! (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
  rabbitmq-server -detached
fi
wait_for RabbitMQ 120 bash -c 'exec 3<>/dev/tcp/127.0.0.1/5672'
# The management API creates per-test vhosts; admins use its UI.
if ! (exec 3<>/dev/tcp/127.0.0.1/15672) 2>/dev/null; then
  rabbitmq-plugins enable rabbitmq_management >/dev/null
fi
wait_for "RabbitMQ management" 60 curl -sf -u guest:guest http://127.0.0.1:15672/api/overview
