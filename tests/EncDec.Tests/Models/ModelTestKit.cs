using EncDec.Models;
using EncDec.Tensors;

namespace EncDec.Tests.Models;

/// <summary>Tiny versions of the presets and a padded batch for the Model* tests.</summary>
internal static class ModelTestKit
{
    public const int Vocabulary = RnnModelKit.Vocabulary;

    public static TheoryData<string> PresetNames => new(ModelPresets.Names);

    /// <summary>The preset shrunk with <c>with</c> expressions: width 8 (RNN) or dModel 16 (Transformer), no dropout.</summary>
    public static ModelConfig Tiny(string preset)
    {
        var config = ModelPresets.Get(preset, Vocabulary, Vocabulary);
        return config.Family == ModelFamily.Transformer
            ? config with
            {
                Transformer = config.Transformer! with
                {
                    DModel = 16, Heads = 2, FfnDim = 32, EncoderLayers = 2, DecoderLayers = 2, Dropout = 0f, MaxLength = 64,
                },
            }
            : config with
            {
                RnnEncoder = config.RnnEncoder! with { EmbeddingDim = 8, HiddenSize = 8, Dropout = 0f },
                RnnDecoder = config.RnnDecoder! with { EmbeddingDim = 8, HiddenSize = 8, Dropout = 0f },
            };
    }

    /// <summary>(3, 5) source ids with lengths 5, 3, 1.</summary>
    public static IntTensor Source => RnnModelKit.Source();

    /// <summary>(3, 5) padding mask matching <see cref="Source"/>.</summary>
    public static Tensor Mask => RnnModelKit.PaddingMask(5, RnnModelKit.SourceLengths);

    /// <summary>(3, 4) target input starting with the start token.</summary>
    public static IntTensor Target => RnnModelKit.Target();
}
