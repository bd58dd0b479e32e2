#!/usr/bin/env bash
# Prints the compliance workbook of the sandbox organization as LibreOffice
# does (A4), renders its pages to PNG, and counts the Summary sheet's
# pages. Run from the repository's root:  bash docs/compliance/make.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
if ((${#need[@]})); then
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi
out=docs/compliance
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/bin/ilms-bulk" ./cmd/ilms-bulk
export HOME=$work XDG_CACHE_HOME=$work XDG_CONFIG_HOME=$work   # a sandbox of the seed
"$work/bin/ilms-bulk" export compliance --sandbox --as-of 2026-09-30 -o "$out/compliance.xlsx" -q
"$work/bin/ilms-bulk" export compliance --sandbox --as-of 2026-09-30 -o "$out/summary.html" -q
soffice --headless --convert-to pdf --outdir "$work" "$out/compliance.xlsx" >/dev/null
cp "$work/compliance.pdf" "$out/compliance.pdf"
rm -f "$out"/page-*.png
pdftoppm -r 50 -png "$out/compliance.pdf" "$out/page"
pages=$(pdfinfo "$out/compliance.pdf" | awk '/^Pages:/ {print $2}')
# The Summary sheet's pages: those before the first page of By Department
# (its header's first column).
summary=0
for ((p = 1; p <= pages; p++)); do
  text=$(pdftotext -f "$p" -l "$p" -layout "$out/compliance.pdf" -)
  if [[ $text == *"Region / Division / Department"* ]]; then
    break
  fi
  summary=$p
done
echo "compliance.pdf: $pages pages; the Summary sheet: $summary page(s)"
