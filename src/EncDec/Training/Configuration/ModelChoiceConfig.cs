using EncDec.Models;

namespace EncDec.Training.Configuration;

/// <summary>The architecture of a training run (section <c>model</c>): a preset from <see cref="ModelPresets"/>,
/// with a few common overrides; unset overrides keep the preset's value.</summary>
/// <param name="Preset">A preset name (see <see cref="ModelPresets.Names"/>).</param>
/// <param name="Dropout">Replaces the preset's dropout.</param>
/// <param name="Layers">Transformer: encoder and decoder layers; RNN: stacked layers.</param>
/// <param name="DModel">Transformer: model width.</param>
/// <param name="FfnDim">Transformer: feed-forward hidden size.</param>
/// <param name="Heads">Transformer: attention heads.</param>
/// <param name="HiddenSize">RNN: hidden size of every encoder and decoder layer (per direction).</param>
/// <param name="EmbeddingDim">RNN: width of the source and target embeddings.</param>
/// <param name="TieEmbeddings">Share one embedding table between encoder and decoder (needs a joint vocabulary).</param>
/// <param name="Seed">Initialisation and dropout seed.</param>
public sealed record ModelChoiceConfig(
    string Preset = "transformer",
    float? Dropout = null,
    int? Layers = null,
    int? DModel = null,
    int? FfnDim = null,
    int? Heads = null,
    int? HiddenSize = null,
    int? EmbeddingDim = null,
    bool TieEmbeddings = false,
    ulong Seed = 1)
{
    /// <summary>Throws <see cref="ArgumentException"/> for an unknown preset or an out-of-range override.</summary>
    public void Validate()
    {
        if (!ModelPresets.Names.Contains(Preset, StringComparer.OrdinalIgnoreCase))
            throw new ArgumentException($"unknown preset '{Preset}'; presets: {string.Join(", ", ModelPresets.Names)}");
        if (Dropout is { } p && !(p >= 0 && p < 1)) throw new ArgumentException($"dropout {p} is outside [0, 1)");
        if (Layers is <= 0) throw new ArgumentException($"layers {Layers} must be positive");
        if (DModel is <= 0) throw new ArgumentException($"d_model {DModel} must be positive");
        if (FfnDim is <= 0) throw new ArgumentException($"ffn_dim {FfnDim} must be positive");
        if (Heads is <= 0) throw new ArgumentException($"heads {Heads} must be positive");
        if (HiddenSize is <= 0) throw new ArgumentException($"hidden_size {HiddenSize} must be positive");
        if (EmbeddingDim is <= 0) throw new ArgumentException($"embedding_dim {EmbeddingDim} must be positive");
    }

    /// <summary>The preset for the given vocabularies with the overrides applied.</summary>
    public ModelConfig Build(int sourceVocabulary, int targetVocabulary)
    {
        var config = ModelPresets.Get(Preset, sourceVocabulary, targetVocabulary) with { Seed = Seed, TieSourceTargetEmbeddings = TieEmbeddings };
        if (config.Transformer is { } t)
        {
            if (HiddenSize is not null || EmbeddingDim is not null)
                throw new ArgumentException($"hidden_size and embedding_dim apply to RNN presets; '{Preset}' takes d_model");
            config = config with
            {
                Transformer = t with
                {
                    Dropout = Dropout ?? t.Dropout,
                    EncoderLayers = Layers ?? t.EncoderLayers,
                    DecoderLayers = Layers ?? t.DecoderLayers,
                    DModel = DModel ?? t.DModel,
                    FfnDim = FfnDim ?? t.FfnDim,
                    Heads = Heads ?? t.Heads,
                },
            };
        }
        else
        {
            if (DModel is not null || FfnDim is not null || Heads is not null)
                throw new ArgumentException($"d_model, ffn_dim and heads apply to Transformer presets, not '{Preset}'");
            config = config with
            {
                RnnEncoder = config.RnnEncoder! with
                {
                    Dropout = Dropout ?? config.RnnEncoder.Dropout, Layers = Layers ?? config.RnnEncoder.Layers,
                    HiddenSize = HiddenSize ?? config.RnnEncoder.HiddenSize, EmbeddingDim = EmbeddingDim ?? config.RnnEncoder.EmbeddingDim,
                },
                RnnDecoder = config.RnnDecoder! with
                {
                    Dropout = Dropout ?? config.RnnDecoder.Dropout, Layers = Layers ?? config.RnnDecoder.Layers,
                    HiddenSize = HiddenSize ?? config.RnnDecoder.HiddenSize, EmbeddingDim = EmbeddingDim ?? config.RnnDecoder.EmbeddingDim,
                },
            };
        }
        config.Validate();
        return config;
    }
}
