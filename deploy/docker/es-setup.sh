#!/bin/sh
# One-shot security set-up for the compose deployment: the kibana_system password, and the two
# least-privilege users Akhbar needs (services: akhbar / akhbar_writer; Kibana set-up job:
# akhbar_kibana_setup / akhbar_kibana_setup). Safe to run again: every call is a PUT or POST of the same.
set -eu
es="http://elasticsearch:9200"
auth="elastic:${ELASTIC_PASSWORD:?}"
call() { curl -fsS -u "$auth" -H 'Content-Type: application/json' "$@"; echo; }

until curl -fsS -u "$auth" "$es/_cluster/health?wait_for_status=yellow&timeout=5s" >/dev/null; do
  echo "waiting for Elasticsearch"; sleep 3
done
call -X POST "$es/_security/user/kibana_system/_password" -d "{\"password\":\"${KIBANA_SYSTEM_PASSWORD:?}\"}"
call -X PUT "$es/_security/role/akhbar_writer" --data-binary @/setup/security/akhbar_writer.json
call -X PUT "$es/_security/role/akhbar_kibana_setup" --data-binary @/setup/security/akhbar_kibana_setup.json
call -X PUT "$es/_security/user/akhbar" \
  -d "{\"password\":\"${AKHBAR_ES_PASSWORD:?}\",\"roles\":[\"akhbar_writer\"]}"
call -X PUT "$es/_security/user/akhbar_kibana_setup" \
  -d "{\"password\":\"${AKHBAR_KIBANA_SETUP_PASSWORD:?}\",\"roles\":[\"akhbar_kibana_setup\"]}"
echo "security set up"
