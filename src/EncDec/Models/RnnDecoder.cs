using EncDec.Nn;
using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Models;

/// <summary>
/// A recurrent decoder built from one cell per layer, stepping one token at a time:
/// <list type="bullet">
/// <item>None (Sutskever et al. 2014): embedding → stacked cells → output projection of the top h.</item>
/// <item>Bahdanau (2015): attend with the previous top h; the cells read [embedding; context]; the output
/// projection reads [new top h; context].</item>
/// <item>Luong (2015): the cells read [embedding; previous h̃] (h̃ only with input feeding); attend with the
/// new top h; h̃ = tanh(W_c [context; h]); the output projection reads h̃.</item>
/// <item>GNMT (Wu et al. 2016, <see cref="RnnDecoderConfig.AttentionFromBottomLayer"/>): the bottom cell reads the
/// embedding; its new h queries Bahdanau attention; the upper cells read [h below; context]; the output projection
/// reads [top output; context].</item>
/// </list>
/// Cells from <see cref="RnnDecoderConfig.ResidualFromLayer"/> pass up their h plus their input from below.
/// <see cref="Forward"/> runs the very same step over every target position (teacher forcing), so step t's
/// logits equal Forward's logits at position t by construction. Initial states: the encoder's final states
/// (through the <c>bridge</c> Linear when their width differs from the hidden size) when
/// <see cref="RnnDecoderConfig.InitFromEncoder"/>, else zeros.
/// </summary>
public sealed class RnnDecoder : Module, IDecoder
{
    private readonly Embedding _embedding;
    private readonly Dropout _dropout;
    private readonly IReadOnlyList<RnnCell> _cells;
    private readonly BahdanauAttention? _bahdanau;
    private readonly LuongAttention? _luong;
    private readonly Linear? _bridge;
    private readonly Linear _output;

    /// <summary>Builds the decoder with weights drawn from <paramref name="rng"/> (which also drives dropout).</summary>
    /// <param name="config">The decoder's shape.</param>
    /// <param name="memoryDim">The encoder's <see cref="IEncoder.OutputDim"/> (also the width of its final states).</param>
    /// <param name="rng">Initialisation and dropout randomness.</param>
    /// <param name="sharedEmbedding">The encoder's (vocab, emb) embedding to use instead of an own one (source/target
    /// tying); not registered here, so its table is listed, counted and updated once, under the encoder.</param>
    public RnnDecoder(RnnDecoderConfig config, int memoryDim, RandomGenerator rng, Embedding? sharedEmbedding = null)
    {
        config.Validate(memoryDim);
        Config = config;
        MemoryDim = memoryDim;
        int hidden = config.HiddenSize;
        _embedding = sharedEmbedding ?? RegisterModule("embedding", new Embedding(config.TargetVocabulary, config.EmbeddingDim, rng));
        _dropout = RegisterModule("dropout", new Dropout(config.Dropout, rng));
        int firstInput = config.EmbeddingDim
            + (config.Attention == RnnAttentionKind.Bahdanau && !config.AttentionFromBottomLayer ? memoryDim : 0)
            + (config.IsLuong && config.InputFeeding ? hidden : 0);
        var cells = new RnnCell[config.Layers];
        for (int layer = 0; layer < cells.Length; layer++)
        {
            int input = layer == 0 ? firstInput : hidden + (config.AttentionFromBottomLayer ? memoryDim : 0);
            cells[layer] = config.CellType == RnnCellType.Lstm ? new LstmCell(input, hidden, rng) : new GruCell(input, hidden, rng);
        }
        _cells = RegisterModules("cells", cells);
        if (config.Attention == RnnAttentionKind.Bahdanau)
            _bahdanau = RegisterModule("attention", new BahdanauAttention(hidden, memoryDim, hidden, rng));
        else if (config.IsLuong)
            _luong = RegisterModule("attention", new LuongAttention(LuongKind(config.Attention), hidden, memoryDim, rng));
        if (config.InitFromEncoder && memoryDim != hidden)
            _bridge = RegisterModule("bridge", new Linear(memoryDim, hidden, rng));
        int outputInput = config.Attention == RnnAttentionKind.Bahdanau ? hidden + memoryDim : hidden;
        _output = RegisterModule("output", new Linear(outputInput, config.TargetVocabulary, rng));
    }

    /// <summary>The configuration the decoder was built from.</summary>
    public RnnDecoderConfig Config { get; }

    /// <inheritdoc/>
    public int MemoryDim { get; }

    /// <inheritdoc/>
    public int VocabularySize => Config.TargetVocabulary;

    /// <inheritdoc/>
    public Tensor Forward(IntTensor targetInput, EncoderOutput encoded)
    {
        if (targetInput.Rank != 2 || targetInput.Shape[0] != encoded.BatchSize || targetInput.Shape[1] == 0)
            throw new ArgumentException($"RnnDecoder: target {targetInput} must be (batch, tgtLen ≥ 1) with batch {encoded.BatchSize}");
        int batch = targetInput.Shape[0], length = targetInput.Shape[1];
        var state = CreateState(encoded, persistent: false);
        var embedded = _embedding.Forward(targetInput);   // (batch, tgtLen, emb)
        var logits = new Tensor[length];
        for (int t = 0; t < length; t++)
        {
            var embeddedStep = embedded.Narrow(1, t, 1).Reshape(batch, Config.EmbeddingDim);    // (batch, emb)
            logits[t] = StepEmbedded(embeddedStep, state).Reshape(batch, 1, VocabularySize);   // (batch, 1, vocab)
        }
        return TensorOps.Concat(1, logits);
    }

    /// <inheritdoc/>
    public IDecoderState Start(EncoderOutput encoded) => CreateState(encoded, persistent: true);

    /// <inheritdoc/>
    public Tensor Step(IntTensor tokens, IDecoderState state)
    {
        if (state is not RnnDecoderState rnnState)
            throw new ArgumentException($"RnnDecoder: expected a state from RnnDecoder.Start, got {state.GetType().Name}");
        if (tokens.Rank != 1 || tokens.Shape[0] != rnnState.BatchSize)
            throw new ArgumentException($"RnnDecoder: tokens {tokens} must be (batch) with batch {rnnState.BatchSize}");
        return StepEmbedded(_embedding.Forward(tokens), rnnState);
    }

    /// <summary>One decoder step from already embedded tokens; advances <paramref name="state"/>.</summary>
    /// <param name="embedded">(batch, emb)</param>
    /// <param name="state">The state to read and advance.</param>
    /// <returns>(batch, vocab) logits</returns>
    private Tensor StepEmbedded(Tensor embedded, RnnDecoderState state)
    {
        var input = _dropout.Forward(embedded);   // (batch, emb); extended below to the first cell's input
        Tensor? bahdanauContext = null;           // (batch, memoryDim)
        if (Config.AttentionFromBottomLayer)
        {
            var gnmtTop = RunCells(input, state, bahdanauAttention: true, out var gnmtContext);   // (batch, hidden)
            state.Length++;
            return _output.Forward(_dropout.Forward(TensorOps.Concat(1, gnmtTop, gnmtContext!)));
        }
        if (_bahdanau is not null)
        {
            (bahdanauContext, var weights) = _bahdanau.Forward(state.Hidden[^1], state.Memory, state.Keys, state.Mask);
            state.LastAttention = weights;
            input = TensorOps.Concat(1, input, bahdanauContext);
        }
        else if (state.Feed is not null)
        {
            input = TensorOps.Concat(1, input, state.Feed);
        }
        var top = RunCells(input, state, bahdanauAttention: false, out _);   // (batch, hidden)
        Tensor features;                          // what the output projection reads
        if (_luong is not null)
        {
            var (context, weights) = _luong.Forward(top, state.Memory, state.Keys, state.Mask);
            state.LastAttention = weights;
            features = _luong.Combine(context, top);   // h̃ (batch, hidden)
            if (Config.InputFeeding) state.Feed = features;
        }
        else
        {
            features = bahdanauContext is null ? top : TensorOps.Concat(1, top, bahdanauContext);
        }
        state.Length++;
        return _output.Forward(_dropout.Forward(features));
    }

    /// <summary>Steps every layer; returns the top layer's output (batch, hidden) and stores the new states. Layers from
    /// <see cref="RnnDecoderConfig.ResidualFromLayer"/> pass up h plus their input from below (their state stays h).
    /// With <paramref name="bahdanauAttention"/> (GNMT) the bottom h queries the attention and the context
    /// (batch, memoryDim), returned in <paramref name="context"/>, joins every upper layer's input.</summary>
    private Tensor RunCells(Tensor input, RnnDecoderState state, bool bahdanauAttention, out Tensor? context)
    {
        var hidden = new Tensor[_cells.Count];
        var cells = state.Cells is null ? null : new Tensor[_cells.Count];
        context = null;
        var below = input;   // what the current layer reads from the layer below (batch, in)
        for (int layer = 0; layer < _cells.Count; layer++)
        {
            if (layer > 0) below = _dropout.Forward(below);
            var x = context is null ? below : TensorOps.Concat(1, below, context);   // (batch, in)
            if (_cells[layer] is LstmCell lstm)
            {
                var next = lstm.Step(x, new LstmState(state.Hidden[layer], state.Cells![layer]));
                hidden[layer] = next.H;
                cells![layer] = next.C;
            }
            else
            {
                hidden[layer] = ((GruCell)_cells[layer]).Step(x, state.Hidden[layer]);
            }
            bool residual = Config.ResidualFromLayer > 0 && layer >= Config.ResidualFromLayer;
            below = residual ? hidden[layer] + below : hidden[layer];
            if (layer == 0 && bahdanauAttention)
            {
                (context, var weights) = _bahdanau!.Forward(hidden[0], state.Memory, state.Keys, state.Mask);
                state.LastAttention = weights;
            }
        }
        state.SetStates(hidden, cells);
        return below;
    }

    private RnnDecoderState CreateState(EncoderOutput encoded, bool persistent)
    {
        if (encoded.MemoryDim != MemoryDim)
            throw new ArgumentException($"RnnDecoder: memory width {encoded.MemoryDim} differs from the configured {MemoryDim}");
        int batch = encoded.BatchSize, hidden = Config.HiddenSize;
        bool lstm = Config.CellType == RnnCellType.Lstm;
        var h = new Tensor[Config.Layers];
        var c = lstm ? new Tensor[Config.Layers] : null;
        for (int layer = 0; layer < Config.Layers; layer++)
        {
            h[layer] = Tensor.Zeros(batch, hidden);
            if (c is not null) c[layer] = Tensor.Zeros(batch, hidden);
        }
        if (Config.InitFromEncoder) InitialiseFromEncoder(encoded.FinalStates, h, c);
        Tensor? keys = _bahdanau?.PrecomputeKeys(encoded.Memory) ?? _luong?.PrecomputeKeys(encoded.Memory);
        var feed = _luong is not null && Config.InputFeeding ? Tensor.Zeros(batch, hidden) : null;
        return new RnnDecoderState(h, c, feed, encoded.Memory, encoded.PaddingMask, keys, persistent);
    }

    /// <summary>Layer l starts from the encoder's layer l (h then c for LSTMs), bridged to the hidden size.</summary>
    private void InitialiseFromEncoder(IReadOnlyList<Tensor> finalStates, Tensor[] h, Tensor[]? c)
    {
        int perLayer = c is null ? 1 : 2;
        if (finalStates.Count != Config.Layers * perLayer)
            throw new ArgumentException(
                $"RnnDecoder: InitFromEncoder needs {Config.Layers * perLayer} encoder final states ({Config.Layers} {Config.CellType} layers), got {finalStates.Count}");
        foreach (var state in finalStates)
            if (state.Shape[^1] != MemoryDim)
                throw new ArgumentException(
                    $"RnnDecoder: InitFromEncoder needs every encoder final state {MemoryDim} wide, got {state.Shape[^1]} (a bidirectional-bottom-only encoder cannot initialise the decoder)");
        for (int layer = 0; layer < Config.Layers; layer++)
        {
            h[layer] = Bridge(finalStates[perLayer * layer]);
            if (c is not null) c[layer] = Bridge(finalStates[perLayer * layer + 1]);
        }
    }

    private Tensor Bridge(Tensor state) => _bridge is null ? state : _bridge.Forward(state);

    private static LuongAttentionKind LuongKind(RnnAttentionKind kind) => kind switch
    {
        RnnAttentionKind.LuongDot => LuongAttentionKind.Dot,
        RnnAttentionKind.LuongGeneral => LuongAttentionKind.General,
        _ => LuongAttentionKind.Concat,
    };
}
