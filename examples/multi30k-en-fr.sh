#!/usr/bin/env bash
# Trains the Multi30k English-to-French model of README "A real run" and scores it on test_2016_flickr.
# Run from the repository root; needs ../shared/data/multi30k. Extra arguments go to `encdec train`
# (e.g. training.time_limit_minutes=90, or --resume to continue an interrupted run).
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/multi30k
run=runs/multi30k-en-fr
dotnet build src/EncDec.Cli -c Release -o .build/encdec >/dev/null
encdec=.build/encdec/EncDec.Cli

"$encdec" train --config examples/multi30k-en-fr.yaml "$@"

zcat "$data/test_2016_flickr.en.gz" > "$run/test.en"
zcat "$data/test_2016_flickr.fr.gz" > "$run/test.fr"
start=$(date +%s.%N)
"$encdec" translate --model "$run/model" --beam 4 < "$run/test.en" > "$run/test.hyp.fr"
echo "translated $(wc -l < "$run/test.en") sentences with beam 4 in $(echo "$(date +%s.%N) - $start" | bc) s"
"$encdec" eval --hyp "$run/test.hyp.fr" --ref "$run/test.fr" --json
