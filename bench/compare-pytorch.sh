#!/usr/bin/env bash
# EncDec against PyTorch on the same Transformer workload, in one run: shared vocabulary 8,000, dModel 256, 4 heads,
# ffn 1,024, 3+3 post-LN layers, dropout 0, tied embeddings, batch 64 x 30 source x 30 target tokens.
#
# Builds the CLI once (Release), runs 'encdec bench train --json', 'encdec bench generate --json' and
# bench/pytorch_transformer.py with the same thread count, and prints both figures and EncDec / PyTorch for training
# (forward, backward, Adam) and greedy decoding (EncDec: cached decoder states; PyTorch: the plain loop that re-runs
# the decoder over the whole prefix each step), plus EncDec's beam-4 (PyTorch has none). Decoding is timed twice:
# float32 (the default, against PyTorch's float32) and EncDec's opt-in int8 compute type (--compute-type int8: weights
# and inputs of every linear layer quantized, as CTranslate2's int8), also divided by PyTorch's float32 figure. Throughputs are target
# tokens per second at the median time. Without python3 or torch, EncDec's figures alone are shown.
# Last, the arithmetic of the matrix products (GFLOP per training step and per greedy decoding of the batch, counted
# from the workload's shape) is set against this machine's float32 FMA ceiling ('encdec bench peak', once per round,
# median): the share of that ceiling EncDec reaches, and the share a ratio target (2x in training, 20x in greedy
# decoding) would need at PyTorch's figure.
# The PyTorch script waits passively between OpenMP regions (OMP_WAIT_POLICY=PASSIVE unless set): see its header.
#
# Usage: bench/compare-pytorch.sh [--threads N] [--steps N] [--repeat N] [--rounds N]
#   --threads  threads for both (default: all cores)
#   --steps    timed training steps of each (default 20, after 3 warm-up steps)
#   --repeat   timed decodings of each (default 5, after one untimed one)
#   --rounds   run EncDec then PyTorch this many times, alternating (default 3); each round's ratios are printed and
#              the table shows each throughput's median over the rounds, so that a slow spell of a shared machine,
#              which lasts minutes and hits whichever program runs then, does not decide the ratio
# Environment: PYTHON (default /usr/bin/python3 when it exists, else python3).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
threads="$(nproc)"
steps=20
repeat=5
rounds=3
while [[ $# -gt 0 ]]; do
    case "$1" in
        --threads|--steps|--repeat|--rounds)
            [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || { echo "compare-pytorch.sh: $1 needs a positive integer" >&2; exit 2; }
            declare "${1#--}=$2"
            shift 2 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "compare-pytorch.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

command -v dotnet > /dev/null || { echo "compare-pytorch.sh: 'dotnet' is not on the PATH" >&2; exit 2; }
echo "Building src/EncDec.Cli (Release)..." >&2
dotnet build -c Release "$repo/src/EncDec.Cli" -v quiet -nologo > /dev/null
dll="$(find "$repo/src/EncDec.Cli/bin/Release" -name EncDec.Cli.dll -print -quit)"
[[ -n "$dll" ]] || { echo "compare-pytorch.sh: EncDec.Cli.dll not found after the build" >&2; exit 2; }

# One numeric field of a one-line JSON object.
field() { sed -n "s/.*\"$2\": *\(-\{0,1\}[0-9][0-9.eE+-]*\).*/\1/p" <<< "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }
number() { awk -v x="$1" 'BEGIN { printf "%.0f", x }'; }

python="${PYTHON:-$( [[ -x /usr/bin/python3 ]] && echo /usr/bin/python3 || echo python3 )}"
have_torch=0
if ! command -v "$python" > /dev/null; then
    echo "compare-pytorch.sh: $python not found; showing EncDec's figures only" >&2
elif ! "$python" -c "import torch" 2> /dev/null; then
    echo "compare-pytorch.sh: PyTorch is not installed for $python; showing EncDec's figures only" >&2
else
    have_torch=1
fi

# The median of its arguments.
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

all_train=(); all_greedy=(); all_beam=(); all_int8_greedy=(); all_int8_beam=(); all_theirs_train=(); all_theirs_greedy=()
all_peak=()
pytorch=""
for ((round = 1; round <= rounds; round++)); do
    [[ "$rounds" -eq 1 ]] || echo "Round $round of $rounds" >&2
    echo "Running encdec bench train (threads $threads, $steps steps)..." >&2
    train="$(dotnet "$dll" bench train --json --threads "$threads" --steps "$steps" --warmup 3)"
    echo "Running encdec bench generate (threads $threads, repeat $repeat)..." >&2
    generate="$(dotnet "$dll" bench generate --json --threads "$threads" --repeat "$repeat")"
    echo "Running encdec bench generate --compute-type int8 (threads $threads, repeat $repeat)..." >&2
    generate_int8="$(dotnet "$dll" bench generate --json --threads "$threads" --repeat "$repeat" --compute-type int8)"
    echo "Running encdec bench peak (threads $threads)..." >&2
    peak="$(dotnet "$dll" bench peak --json --threads "$threads")"
    all_peak+=("$(field "$peak" peak_gflops)")
    all_train+=("$(field "$train" train_target_tokens_per_s)")
    all_greedy+=("$(field "$generate" greedy_tokens_per_s)")
    all_beam+=("$(field "$generate" beam4_tokens_per_s)")
    all_int8_greedy+=("$(field "$generate_int8" greedy_tokens_per_s)")
    all_int8_beam+=("$(field "$generate_int8" beam4_tokens_per_s)")
    if [[ "$have_torch" -eq 1 ]]; then
        echo "Running bench/pytorch_transformer.py (threads $threads)..." >&2
        pytorch="$("$python" "$repo/bench/pytorch_transformer.py" --json --threads "$threads" --steps "$steps" --warmup 3 --repeat "$repeat")"
        all_theirs_train+=("$(field "$pytorch" train_target_tokens_per_s)")
        all_theirs_greedy+=("$(field "$pytorch" greedy_tokens_per_s)")
        [[ "$rounds" -eq 1 ]] || printf 'round %d: training %s, greedy %s, greedy int8 %s (EncDec/PyTorch)\n' "$round" \
            "$(ratio "${all_train[-1]}" "${all_theirs_train[-1]}")" "$(ratio "${all_greedy[-1]}" "${all_theirs_greedy[-1]}")" \
            "$(ratio "${all_int8_greedy[-1]}" "${all_theirs_greedy[-1]}")"
    fi
done

ours_train="$(median "${all_train[@]}")"
ours_greedy="$(median "${all_greedy[@]}")"
ours_beam="$(median "${all_beam[@]}")"
int8_greedy="$(median "${all_int8_greedy[@]}")"
int8_beam="$(median "${all_int8_beam[@]}")"
printf '\nTransformer workload (vocab 8000 shared and tied, 256/4/1024, 3+3 post-LN, batch 64 x 30 -> 30), %s threads\n' "$threads"
if [[ "$rounds" -eq 1 ]]; then printf 'target tokens per second at the median time\n\n'
else printf 'target tokens per second at the median time, median of %d rounds\n\n' "$rounds"; fi
if [[ -n "$pytorch" ]]; then
    theirs_train="$(median "${all_theirs_train[@]}")"
    theirs_greedy="$(median "${all_theirs_greedy[@]}")"
    version="$(sed -n 's/.*"torch": *"\([^"]*\)".*/\1/p' <<< "$pytorch")"
    printf '%-34s %12s %14s %16s\n' "" "EncDec" "PyTorch $version" "EncDec/PyTorch"
    printf '%-34s %12s %14s %16s\n' "training (fwd + bwd + Adam)" "$(number "$ours_train")" "$(number "$theirs_train")" "$(ratio "$ours_train" "$theirs_train")"
    printf '%-34s %12s %14s %16s\n' "greedy decoding" "$(number "$ours_greedy")" "$(number "$theirs_greedy")" "$(ratio "$ours_greedy" "$theirs_greedy")"
    printf '%-34s %12s %14s %16s\n' "beam-4 decoding" "$(number "$ours_beam")" "-" "-"
    printf '%-34s %12s %14s %16s\n' "greedy decoding, EncDec int8" "$(number "$int8_greedy")" "$(number "$theirs_greedy")" "$(ratio "$int8_greedy" "$theirs_greedy")"
    printf '%-34s %12s %14s %16s\n' "beam-4 decoding, EncDec int8" "$(number "$int8_beam")" "-" "-"
else
    printf '%-34s %12s\n' "" "EncDec"
    printf '%-34s %12s\n' "training (fwd + bwd + Adam)" "$(number "$ours_train")"
    printf '%-34s %12s\n' "greedy decoding" "$(number "$ours_greedy")"
    printf '%-34s %12s\n' "beam-4 decoding" "$(number "$ours_beam")"
    printf '%-34s %12s\n' "greedy decoding, EncDec int8" "$(number "$int8_greedy")"
    printf '%-34s %12s\n' "beam-4 decoding, EncDec int8" "$(number "$int8_beam")"
fi

# Processor seconds (all threads) move less than wall-clock time when other work shares the cores.
seconds() { awk -v x="$1" 'BEGIN { printf "%.3f", x }'; }
printf '\nprocessor seconds (all threads) per training step / per decoding of the batch%s\n\n' \
    "$([[ "$rounds" -eq 1 ]] || echo ', last round')"
if [[ -n "$pytorch" ]]; then
    printf '%-34s %12s %14s %16s\n' "" "EncDec" "PyTorch" "PyTorch/EncDec"
    printf '%-34s %12s %14s %16s\n' "training step" "$(seconds "$(field "$train" cpu_s_per_step)")" \
        "$(seconds "$(field "$pytorch" cpu_s_per_step)")" "$(ratio "$(field "$pytorch" cpu_s_per_step)" "$(field "$train" cpu_s_per_step)")"
    printf '%-34s %12s %14s %16s\n' "greedy decoding" "$(seconds "$(field "$generate" greedy_cpu_s)")" \
        "$(seconds "$(field "$pytorch" greedy_cpu_s)")" "$(ratio "$(field "$pytorch" greedy_cpu_s)" "$(field "$generate" greedy_cpu_s)")"
    printf '%-34s %12s %14s %16s\n' "beam-4 decoding" "$(seconds "$(field "$generate" beam4_cpu_s)")" "-" "-"
else
    printf '%-34s %12s\n' "training step" "$(seconds "$(field "$train" cpu_s_per_step)")"
    printf '%-34s %12s\n' "greedy decoding" "$(seconds "$(field "$generate" greedy_cpu_s)")"
    printf '%-34s %12s\n' "beam-4 decoding" "$(seconds "$(field "$generate" beam4_cpu_s)")"
fi
printf '\nEncDec train step best/median: %s / %s s, %s bytes allocated per step\n' \
    "$(seconds "$(field "$train" best_step_s)")" "$(seconds "$(field "$train" median_step_s)")" "$(number "$(field "$train" bytes_per_step)")"
[[ -z "$pytorch" ]] || printf 'PyTorch train step best/median: %s / %s s\n' \
    "$(seconds "$(field "$pytorch" best_step_s)")" "$(seconds "$(field "$pytorch" median_step_s)")"

# The arithmetic against the machine's ceiling: GFLOP/s at the median-of-rounds throughputs above, and what a ratio
# target asks of it. "at the ceiling" is the ratio an implementation of the same algorithm would reach if it ran every
# matrix product at the measured peak and spent no time on anything else.
peak_gflops="$(median "${all_peak[@]}")"
tokens="$(awk -v b="$(field "$generate" batch)" -v t="$(field "$generate" target_length)" 'BEGIN { print b * t }')"
rate() { awk -v g="$1" -v tps="$2" -v n="$tokens" 'BEGIN { printf "%.0f", g * tps / n }'; }
share() { awk -v g="$1" -v tps="$2" -v n="$tokens" -v p="$peak_gflops" 'BEGIN { printf "%.0f%%", 100 * g * tps / n / p }'; }
at_ceiling() { awk -v g="$1" -v tps="$2" -v n="$tokens" -v p="$peak_gflops" 'BEGIN { if (tps > 0) printf "%.1f", p * n / tps / g; else printf "-" }'; }
needed() { awk -v g="$1" -v tps="$2" -v n="$tokens" -v p="$peak_gflops" -v x="$3" 'BEGIN { if (tps > 0) printf "%.0f%% for %sx", 100 * x * g * tps / n / p, x; else printf "-" }'; }
train_gflop="$(field "$train" gflop_per_step)"
greedy_gflop="$(field "$generate" greedy_gflop)"
printf '\nmatrix-product arithmetic against the float32 FMA ceiling (encdec bench peak, %s threads: %s GFLOP/s%s)\n\n' \
    "$threads" "$(number "$peak_gflops")" "$([[ "$rounds" -eq 1 ]] || echo ", median of $rounds rounds")"
if [[ -n "$pytorch" ]]; then
    printf '%-34s %8s %14s %10s %22s %18s\n' "" "GFLOP" "EncDec GFLOP/s" "of peak" "EncDec/PyTorch at peak" "peak needed"
    printf '%-34s %8.1f %14s %10s %22s %18s\n' "training step" "$train_gflop" "$(rate "$train_gflop" "$ours_train")" \
        "$(share "$train_gflop" "$ours_train")" "$(at_ceiling "$train_gflop" "$theirs_train")" "$(needed "$train_gflop" "$theirs_train" 2)"
    printf '%-34s %8.1f %14s %10s %22s %18s\n' "greedy decoding, float32" "$greedy_gflop" "$(rate "$greedy_gflop" "$ours_greedy")" \
        "$(share "$greedy_gflop" "$ours_greedy")" "$(at_ceiling "$greedy_gflop" "$theirs_greedy")" "$(needed "$greedy_gflop" "$theirs_greedy" 20)"
else
    printf '%-34s %8s %14s %10s\n' "" "GFLOP" "EncDec GFLOP/s" "of peak"
    printf '%-34s %8.1f %14s %10s\n' "training step" "$train_gflop" "$(rate "$train_gflop" "$ours_train")" "$(share "$train_gflop" "$ours_train")"
    printf '%-34s %8.1f %14s %10s\n' "greedy decoding, float32" "$greedy_gflop" "$(rate "$greedy_gflop" "$ours_greedy")" \
        "$(share "$greedy_gflop" "$ours_greedy")"
fi
