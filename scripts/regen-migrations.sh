#!/usr/bin/env bash
# Regenerates the single "Initial" migration for both providers from the current model.
# Pantau has not shipped a database yet, so the schema is kept as one migration per provider.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for p in Sqlite Postgres; do
  rm -rf "src/Pantau.Data.$p/Migrations"
  dotnet ef migrations add Initial --project "src/Pantau.Data.$p" --startup-project "src/Pantau.Data.$p" >/dev/null
  echo "regenerated src/Pantau.Data.$p/Migrations"
done
