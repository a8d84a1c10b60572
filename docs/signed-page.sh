#!/usr/bin/env bash
# Regenerates docs/signed-page.png, the README's picture of a sealed, digitally signed page:
# the notes and the sign-off block of the last page of samples/001.json, rendered with the
# test seal (tests/fixtures/seal.png, a made-up 示例单位 seal) and a throwaway certificate made
# here with openssl (CN=张三, O=示例单位), at 110 dpi. Needs openssl and poppler-utils.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/ca.key" -out "$tmp/ca.pem" -days 2 \
  -subj "/CN=jixiao docs CA" -addext "basicConstraints=critical,CA:TRUE" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/signer.key"
openssl req -new -utf8 -key "$tmp/signer.key" -subj "/C=CN/O=示例单位/CN=张三" -out "$tmp/signer.csr"
printf 'keyUsage=critical,digitalSignature,nonRepudiation\n' > "$tmp/ext.cnf"
openssl x509 -req -in "$tmp/signer.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -CAcreateserial \
  -days 2 -extfile "$tmp/ext.cnf" -out "$tmp/signer.pem" 2>/dev/null
openssl pkcs12 -export -inkey "$tmp/signer.key" -in "$tmp/signer.pem" -certfile "$tmp/ca.pem" \
  -out "$tmp/signer.p12" -passout pass:docs

JIXIAO_SIGN_PASSWORD=docs cargo run --quiet -- render samples/001.json -o "$tmp/out" \
  --format pdf --date 2025-03-01 --signoff 填表人=张三 --signoff 审核人=李四 \
  --sign "$tmp/signer.p12" --seal tests/fixtures/seal.png --quiet
pdfsig "$tmp/out/001.pdf" | grep -E "Signature Validation|Total document"
pages=$(pdfinfo "$tmp/out/001.pdf" | awk '/^Pages:/ {print $2}')
# A4 at 110 dpi is 910 × 1287 pixels: the notes, the sign-off block and the seal.
pdftoppm -r 110 -f "$pages" -l "$pages" -x 40 -y 840 -W 830 -H 345 -png -singlefile \
  "$tmp/out/001.pdf" docs/signed-page
echo "docs/signed-page.png: $(stat -c %s docs/signed-page.png) bytes"
