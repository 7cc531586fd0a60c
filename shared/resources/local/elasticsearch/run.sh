#!/bin/sh
# Starts the local Elasticsearch in the foreground for supervisord.
# Elasticsearch refuses to run as root; when we are root it runs as the unprivileged user
# AKHBAR_ES_USER (created by `akhbar up`). setpriv execs in place, so supervisord's signals reach it.
set -eu
: "${ES_HOME:?set by akhbar up}"
export ES_JAVA_OPTS="${AKHBAR_ES_JAVA_OPTS:--Xms512m -Xmx512m}"
if [ "$(id -u)" = "0" ]; then
  exec setpriv --reuid="$AKHBAR_ES_USER" --regid="$AKHBAR_ES_USER" --init-groups \
    "$ES_HOME/bin/elasticsearch"
fi
exec "$ES_HOME/bin/elasticsearch"
