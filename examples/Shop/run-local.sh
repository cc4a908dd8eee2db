#!/usr/bin/env bash
# The shop without Docker: every process on this machine, the Local registry (or Consul when CONSUL_HTTP_ADDR is
# set), traces to OTEL_EXPORTER_OTLP_ENDPOINT when set (a Jaeger: docker run -p 16686:16686 -p 4317:4317
# jaegertracing/all-in-one). Starts inventory.py behind the Mesh sidecar, two Shop.Catalog instances and
# Shop.Frontend on http://127.0.0.1:${SHOP_PORT:-8080}; Ctrl+C stops them all (each drains and deregisters).
set -euo pipefail
cd "$(dirname "$0")/../.."

python=""
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c 'import grpc' >/dev/null 2>&1; then python=$candidate; break; fi
done
if [ -z "$python" ]; then
  echo "run-local.sh: no python3 with grpcio; install it (Debian: apt-get install python3-grpcio)" >&2
  exit 1
fi

dotnet build src/Mesh.Sidecar -c Release -nologo -v quiet
dotnet build examples/Shop/Shop.Catalog -c Release -nologo -v quiet
dotnet build examples/Shop/Shop.Frontend -c Release -nologo -v quiet

# Without a collector, export nothing rather than print every span to the console.
if [ -z "${OTEL_EXPORTER_OTLP_ENDPOINT:-}" ]; then
  export OTEL_TRACES_EXPORTER="${OTEL_TRACES_EXPORTER:-none}" OTEL_METRICS_EXPORTER="${OTEL_METRICS_EXPORTER:-none}"
fi
export Mesh__Registration__DrainDelay="${Mesh__Registration__DrainDelay:-2s}"

pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

log=$(mktemp -d)
"$python" examples/Shop/Inventory/inventory.py 0 >"$log/inventory.log" 2>&1 & pids+=($!)
until grep -q '^listening ' "$log/inventory.log"; do
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$log/inventory.log"; exit 1; }
  sleep 0.2
done
app_port=$(awk '/^listening /{print $2}' "$log/inventory.log")

src/Mesh.Sidecar/bin/Release/net10.0/Mesh.Sidecar --service inventory --app-port "$app_port" \
  --Mesh:Sidecar:Inbound=http://127.0.0.1:4143 >"$log/sidecar.log" 2>&1 & pids+=($!)
for i in 1 2; do
  examples/Shop/Shop.Catalog/bin/Release/net10.0/Shop.Catalog --urls http://127.0.0.1:0 >"$log/catalog-$i.log" 2>&1 & pids+=($!)
done
examples/Shop/Shop.Frontend/bin/Release/net10.0/Shop.Frontend --urls "http://127.0.0.1:${SHOP_PORT:-8080}" >"$log/frontend.log" 2>&1 & pids+=($!)

echo "shop: inventory.py on 127.0.0.1:$app_port behind the sidecar (admin http://127.0.0.1:4191/endpoints),"
echo "      two catalogs, frontend http://127.0.0.1:${SHOP_PORT:-8080}/products/apple   (logs in $log)"
echo "      kill one catalog to see calls move to the other: kill -9 ${pids[2]}"
# Until Ctrl+C or the front end exits: a catalog killed on purpose must not stop the shop.
wait "${pids[-1]}" || true
