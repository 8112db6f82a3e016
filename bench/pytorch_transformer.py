#!/usr/bin/env python3
"""The workload of `encdec bench train` and `encdec bench generate`, written in PyTorch as a plain user writes it.

Shared vocabulary 8,000 (one nn.Embedding for source and target, also the output projection), embeddings scaled by
sqrt(d_model) plus sinusoidal positions, nn.Transformer(d_model=256, nhead=4, 3+3 layers, dim_feedforward=1024,
dropout=0, batch_first=True; post-LN), Xavier-uniform matrices as in PyTorch's translation tutorial, CrossEntropyLoss, torch.optim.Adam; batches of 64 sentences with 30 source and
30 target tokens. Note that nn.Transformer also puts a final LayerNorm after each stack even when post-LN, which
EncDec's post-LN preset does not (two LayerNorms of 256, a negligible cost).

Training: warm-up steps, then timed steps (forward, loss, backward, Adam step, zero_grad); the median step time
gives train_target_tokens_per_s = 64 * 30 / median seconds.
Processor time (time.process_time: all threads) per step and per decoding is reported too; on a busy machine it moves
less than wall-clock time.
Greedy decoding, under torch.no_grad(): encode once with model.encoder, then for each of the 30 steps re-run
model.decoder over the whole prefix with a causal mask and take the argmax of the last position; never stops early.
PyTorch has no beam search, so there is no beam4 figure. OMP_WAIT_POLICY defaults to PASSIVE (see below).

Usage: /usr/bin/python3 bench/pytorch_transformer.py [--threads N] [--steps N] [--warmup N] [--repeat N] [--json]
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

# Debian's torch runs its own kernels on OpenMP threads and its GEMMs on OpenBLAS's threads. OpenMP's default
# busy-waiting between parallel regions then competes with OpenBLAS's threads (and with any other process) for the
# cores: on a shared 2-core machine that measured 2-6x slower steps. Passive waiting is PyTorch at its best here;
# set OMP_WAIT_POLICY=ACTIVE in the environment to measure the default.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402  (after the OpenMP setting, which is read when the runtime loads)
from torch import nn

VOCAB, D_MODEL, HEADS, FFN, LAYERS = 8000, 256, 4, 1024, 3
BATCH, SRC_LEN, TGT_LEN = 64, 30, 30
START_ID = 1


class Seq2SeqTransformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, D_MODEL)
        self.transformer = nn.Transformer(d_model=D_MODEL, nhead=HEADS, num_encoder_layers=LAYERS,
                                          num_decoder_layers=LAYERS, dim_feedforward=FFN, dropout=0.0,
                                          batch_first=True)
        self.generator = nn.Linear(D_MODEL, VOCAB, bias=False)
        self.generator.weight = self.embedding.weight          # tied output projection
        position = torch.arange(512).unsqueeze(1)
        frequency = torch.exp(torch.arange(0, D_MODEL, 2) * (-math.log(10000.0) / D_MODEL))
        table = torch.zeros(512, D_MODEL)
        table[:, 0::2] = torch.sin(position * frequency)
        table[:, 1::2] = torch.cos(position * frequency)
        self.register_buffer("positions", table)
        for parameter in self.parameters():                     # as PyTorch's nn.Transformer translation tutorial
            if parameter.dim() > 1:
                nn.init.xavier_uniform_(parameter)

    def embed(self, ids):
        return self.embedding(ids) * math.sqrt(D_MODEL) + self.positions[: ids.size(1)]

    def forward(self, source, target_input):
        causal = self.transformer.generate_square_subsequent_mask(target_input.size(1))
        hidden = self.transformer(self.embed(source), self.embed(target_input), tgt_mask=causal)
        return self.generator(hidden)

    def encode(self, source):
        return self.transformer.encoder(self.embed(source))

    def decode_last(self, prefix, memory):
        causal = self.transformer.generate_square_subsequent_mask(prefix.size(1))
        hidden = self.transformer.decoder(self.embed(prefix), memory, tgt_mask=causal)
        return self.generator(hidden[:, -1])


def measure_training(model, warmup, steps):
    generator = torch.Generator().manual_seed(2)
    source = torch.randint(VOCAB, (BATCH, SRC_LEN), generator=generator)
    target = torch.randint(VOCAB, (BATCH, TGT_LEN + 1), generator=generator)
    target[:, 0] = START_ID
    target_input, target_output = target[:, :-1], target[:, 1:]
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()

    def step():
        logits = model(source, target_input)
        loss = criterion(logits.reshape(-1, VOCAB), target_output.reshape(-1))
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        return loss.item()

    first_loss = step()
    for _ in range(warmup - 1):
        step()
    seconds, loss, cpu = [], first_loss, time.process_time()
    for _ in range(steps):
        start = time.perf_counter()
        loss = step()
        seconds.append(time.perf_counter() - start)
    return seconds, (time.process_time() - cpu) / steps, first_loss, loss


def greedy(model, source):
    with torch.no_grad():
        memory = model.encode(source)
        prefix = torch.full((source.size(0), 1), START_ID, dtype=torch.long)
        for _ in range(TGT_LEN):
            next_tokens = model.decode_last(prefix, memory).argmax(-1)
            prefix = torch.cat([prefix, next_tokens.unsqueeze(1)], dim=1)
    return prefix[:, 1:]


def measure_greedy(model, repeat):
    source = torch.randint(VOCAB, (BATCH, SRC_LEN), generator=torch.Generator().manual_seed(3))
    model.eval()
    greedy(model, source)                                      # untimed, as in encdec bench generate
    seconds, cpu = [], time.process_time()
    for _ in range(repeat):
        start = time.perf_counter()
        output = greedy(model, source)
        seconds.append(time.perf_counter() - start)
        assert output.shape == (BATCH, TGT_LEN), output.shape
    return seconds, (time.process_time() - cpu) / repeat


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=torch.get_num_threads(), help="torch.set_num_threads(N)")
    parser.add_argument("--steps", type=int, default=20, help="timed training steps after warm-up")
    parser.add_argument("--warmup", type=int, default=3, help="untimed training steps first")
    parser.add_argument("--repeat", type=int, default=5, help="timed greedy decodings after one untimed one")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args()
    for name in ("threads", "steps", "warmup", "repeat"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    model = Seq2SeqTransformer()
    parameters = sum(p.numel() for p in model.parameters())    # the tied table is counted once
    train_seconds, train_cpu, first_loss, last_loss = measure_training(model, args.warmup, args.steps)
    greedy_seconds, greedy_cpu = measure_greedy(model, args.repeat)
    train_median, greedy_median = statistics.median(train_seconds), statistics.median(greedy_seconds)
    result = {
        "benchmark": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(),
        "omp_wait_policy": os.environ["OMP_WAIT_POLICY"],
        "vocabulary": VOCAB, "d_model": D_MODEL, "heads": HEADS, "ffn_dim": FFN, "layers": LAYERS,
        "batch": BATCH, "source_length": SRC_LEN, "target_length": TGT_LEN, "parameters": parameters,
        "warmup": args.warmup, "steps": args.steps, "best_step_s": min(train_seconds), "median_step_s": train_median,
        "train_target_tokens_per_s": BATCH * TGT_LEN / train_median, "cpu_s_per_step": train_cpu, "first_loss": first_loss, "last_loss": last_loss,
        "repeat": args.repeat, "greedy_best_s": min(greedy_seconds), "greedy_median_s": greedy_median,
        "greedy_tokens_per_s": BATCH * TGT_LEN / greedy_median, "greedy_cpu_s": greedy_cpu,
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"PyTorch {torch.__version__} Transformer, {result['threads']} threads, {parameters:,} parameters, "
          f"OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}")
    print(f"  training step best / median   {min(train_seconds) * 1e3:.1f} / {train_median * 1e3:.1f} ms")
    print(f"  train target tokens/s         {result['train_target_tokens_per_s']:.0f} (median)")
    print(f"  processor time per step       {train_cpu * 1e3:.1f} ms (all threads)")
    print(f"  loss first / last             {first_loss:.4f} / {last_loss:.4f}")
    print(f"  greedy best / median          {min(greedy_seconds):.3f} / {greedy_median:.3f} s")
    print(f"  greedy tokens/s               {result['greedy_tokens_per_s']:.0f} (median)")
    print(f"  greedy processor time         {greedy_cpu:.3f} s (all threads)")


if __name__ == "__main__":
    sys.exit(main())
