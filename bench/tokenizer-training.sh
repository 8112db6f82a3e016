#!/usr/bin/env bash
# Vocabulary training, encdec against SentencePiece's spm_train (0.1.97), on the full Multi30k training data.
#
# For each model type (bpe, unigram) it trains an 8,000-piece joint vocabulary on train.en + train.de (58,000
# lines) with both tools, one thread each, and reports:
#   - the training time of each (wall clock of the whole command, and encdec's own figure, which leaves out
#     start-up and the summary's re-encoding of the training data),
#   - the tokens per line of each model on val.en + val.de (2,028 lines), both encoded by spm_encode, so the
#     encoder is the same and only the vocabularies differ,
#   - the relative difference of encdec's tokens per line from spm_train's, and how many pieces the two share.
#
# Usage: bench/tokenizer-training.sh [DATA_DIR] [SIZE]
#   DATA_DIR  folder with Multi30k's {train,val}.{en,de}.gz (default: ../shared/data/multi30k beside the repository)
#   SIZE      vocabulary size (default 8000)
# Needs: dotnet, spm_train, spm_encode, spm_export_vocab on the PATH.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
data="${1:-$repo/../shared/data/multi30k}"
size="${2:-8000}"
for tool in dotnet spm_train spm_encode spm_export_vocab; do
    command -v "$tool" > /dev/null || { echo "tokenizer-training.sh: '$tool' is not on the PATH" >&2; exit 2; }
done
for file in train.en.gz train.de.gz val.en.gz val.de.gz; do
    [[ -f "$data/$file" ]] || { echo "tokenizer-training.sh: '$data/$file' does not exist" >&2; exit 2; }
done

work="$(mktemp -d -t encdec-vocab-bench-XXXXXX)"
trap 'rm -rf "$work"' EXIT

dotnet build "$repo/src/EncDec.Cli/EncDec.Cli.csproj" -c Release -o "$work/cli" > "$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
zcat "$data/train.en.gz" "$data/train.de.gz" > "$work/train.txt"      # spm_train reads plain text only
zcat "$data/val.en.gz" "$data/val.de.gz" > "$work/val.txt"

now() { date +%s.%N; }
tokens_per_line() { spm_encode --model="$1" --output_format=id < "$work/val.txt" | awk '{ n += NF } END { printf "%.4f", n / NR }'; }
pieces() { spm_export_vocab --model="$1" | cut -f1 | sort; }

echo "# $size pieces, train.en + train.de ($(wc -l < "$work/train.txt") lines), tokens per line on val.en + val.de ($(wc -l < "$work/val.txt") lines), one thread"
printf '%-8s %10s %10s %12s %12s %12s %10s %8s\n' type spm_train_s encdec_s encdec_train spm_tok/line encdec_tok/ln diff_% shared
for type in bpe unigram; do
    start=$(now)
    spm_train --input="$work/train.txt" --model_prefix="$work/spm-$type" --vocab_size="$size" --model_type="$type" \
        --num_threads=1 --minloglevel=2 > /dev/null 2>&1
    spm_seconds=$(echo "$(now) - $start" | bc)

    start=$(now)
    dotnet "$work/cli/EncDec.Cli.dll" vocab train --input "$data/train.en.gz" "$data/train.de.gz" --size "$size" \
        --type "$type" --out "$work/encdec-$type.model" --threads 1 > "$work/encdec-$type.log"
    encdec_seconds=$(echo "$(now) - $start" | bc)
    encdec_train=$(sed -n 's/.* in \([0-9.]*\) s$/\1/p' "$work/encdec-$type.log" | head -1)

    spm_tokens=$(tokens_per_line "$work/spm-$type.model")
    encdec_tokens=$(tokens_per_line "$work/encdec-$type.model")
    diff=$(echo "scale=6; ($encdec_tokens - $spm_tokens) * 100 / $spm_tokens" | bc)
    shared=$(comm -12 <(pieces "$work/spm-$type.model") <(pieces "$work/encdec-$type.model") | wc -l)
    printf '%-8s %10.2f %10.2f %12.2f %12.4f %12.4f %10.3f %8d\n' "$type" "$spm_seconds" "$encdec_seconds" \
        "$encdec_train" "$spm_tokens" "$encdec_tokens" "$diff" "$shared"
done
