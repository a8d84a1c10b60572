#!/usr/bin/env bash
# jixiao beside LibreOffice and a scripted openpyxl + reportlab pipeline, in one run on one
# machine, on the same distinct forms (benches/batch.rs makes them: half JSON, half xlsx).
#
#   bash benches/compare.sh [N]        # N forms, default 200; DIR=... to keep the files
#   JIXIAO=path/to/jixiao IN=folder bash benches/compare.sh   # a built binary, given forms
#
# - jixiao: `jixiao render IN -o OUT -q` (read, check, xlsx + PDF, 汇总表, manifest), on every
#   core and with -j 1;
# - LibreOffice: `soffice --headless --convert-to pdf` of the xlsx forms (it reads no JSON and
#   checks nothing: a workbook to PDF only), all of them in one call, with a profile of its own;
# - python: benches/compare.py (openpyxl reads, Decimal scores, openpyxl + reportlab write),
#   one process.
# Each prints its wall time, its CPU time (user + sys) and forms per second of wall time; the
# ratios at the end are jixiao's forms/s over the others'. Wall times move with the load of the
# machine: the CPU times are the steadier comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
forms=${1:-200}
dir=${DIR:-$(mktemp -d)}
mkdir -p "$dir"

jixiao=${JIXIAO:-}
if [ -z "$jixiao" ]; then
    cargo build --release --quiet
    jixiao=target/release/jixiao
fi
in=${IN:-}
if [ -z "$in" ]; then
    # Generates $dir/in-$forms once (kept while the count matches); no stage pass.
    JIXIAO_BENCH_FORMS=$forms JIXIAO_BENCH_DIR=$dir JIXIAO_BENCH_STAGES=0 \
        cargo bench --quiet --bench batch >/dev/null
    in=$dir/in-$forms
fi
forms=$(find "$in" -name '*.json' -o -name '*.xlsx' | wc -l)
xlsx_forms=$(find "$in" -name '*.xlsx' | wc -l)

# Runs "$@", sets wall and cpu (seconds).
timed() {
    local t
    t=$(mktemp)
    /usr/bin/time -f '%e %U %S' -o "$t" "$@" >/dev/null 2>&1
    read -r wall user sys <"$t"
    cpu=$(echo "$user + $sys" | bc)
    rm -f "$t"
}

report() { # name forms
    local rate
    rate=$(echo "scale=1; $2 / $wall" | bc)
    printf '%-24s %6d forms  %7.2f s wall  %7.2f s CPU  %8.1f forms/s  %6.2f ms CPU/form\n' \
        "$1" "$2" "$wall" "$cpu" "$rate" "$(echo "scale=3; 1000 * $cpu / $2" | bc)"
    eval "rate_$3=$rate"
    eval "cpu_$3=$(echo "scale=6; $cpu / $2" | bc)"
}

rm -rf "$dir/jixiao" "$dir/jixiao-1" "$dir/lo" "$dir/py"
timed "$jixiao" render "$in" -o "$dir/jixiao" -q
report "jixiao (all cores)" "$forms" jx
timed "$jixiao" render "$in" -o "$dir/jixiao-1" -q -j 1
report "jixiao (-j 1)" "$forms" jx1

profile=$(mktemp -d)
mkdir -p "$dir/lo"
find "$in" -name '*.xlsx' -print0 | sort -z >"$dir/lo.list"
timed xargs -0 -a "$dir/lo.list" soffice "-env:UserInstallation=file://$profile" \
    --headless --convert-to pdf --outdir "$dir/lo"
report "LibreOffice (xlsx only)" "$xlsx_forms" lo
rm -rf "$profile"
test "$(find "$dir/lo" -name '*.pdf' | wc -l)" -eq "$xlsx_forms"

timed python3 benches/compare.py "$in" "$dir/py"
report "openpyxl + reportlab" "$forms" py
test "$(find "$dir/py" -name '*.pdf' | wc -l)" -eq "$forms"

echo "jixiao (all cores) over LibreOffice: $(echo "scale=1; $rate_jx / $rate_lo" | bc)x forms/s," \
    "$(echo "scale=1; $cpu_lo / $cpu_jx" | bc)x less CPU a form"
echo "jixiao (all cores) over openpyxl + reportlab: $(echo "scale=1; $rate_jx / $rate_py" | bc)x forms/s;" \
    "jixiao -j 1 over it: $(echo "scale=1; $rate_jx1 / $rate_py" | bc)x forms/s," \
    "$(echo "scale=1; $cpu_py / $cpu_jx1" | bc)x less CPU a form"
echo "files in $dir"
