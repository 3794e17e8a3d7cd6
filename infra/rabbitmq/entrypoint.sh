#!/bin/sh
# Starts RabbitMQ with the topology from packages/contracts (definitions.json) plus one administrator, the
# user from .env. Definitions imported at boot replace the image's default user, and RabbitMQ has no setting
# that adds a user to them, so this writes the combined file that rabbitmq.conf loads, then hands over to
# the image's own entrypoint. Runs on every start, so a changed password in .env applies on restart.
set -eu

source_file=${FOREMAN_TOPOLOGY_FILE:-/etc/foreman/definitions.json}
target_file=${FOREMAN_DEFINITIONS_FILE:-/etc/rabbitmq/definitions.json}
user=${RABBITMQ_USER:-}
password=${RABBITMQ_PASSWORD:-}

# Only characters that need no escaping in JSON or in the services' amqp:// URL.
safe='^[A-Za-z0-9._~-]+$'
if ! printf '%s' "$user" | grep -Eq "$safe"; then
  echo "RABBITMQ_USER: expected letters, digits, '.', '_', '~' or '-' (got \"$user\")" >&2
  exit 1
fi
if ! printf '%s' "$password" | grep -Eq "$safe"; then
  echo "RABBITMQ_PASSWORD: expected letters, digits, '.', '_', '~' or '-' (not set or has other characters)" >&2
  exit 1
fi
case "$password" in
  guest | password | changeme | rabbitmq | foreman)
    echo 'RABBITMQ_PASSWORD: must not be a well-known default' >&2
    exit 1
    ;;
esac

# The topology file is one JSON object: put the user and its permissions in front of its other members.
umask 077
{
  printf '{"users":[{"name":"%s","password":"%s","tags":["administrator"]}],' "$user" "$password"
  printf '"permissions":[{"user":"%s","vhost":"/","configure":".*","write":".*","read":".*"}],' "$user"
  tail -c +2 "$source_file"
} >"$target_file"
if [ "$(id -u)" = 0 ] && id rabbitmq >/dev/null 2>&1; then chown rabbitmq:rabbitmq "$target_file"; fi

exec "${FOREMAN_NEXT_ENTRYPOINT:-docker-entrypoint.sh}" "$@"
