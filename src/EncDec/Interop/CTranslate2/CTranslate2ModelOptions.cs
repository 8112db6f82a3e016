using System.Text.Json;

namespace EncDec.Interop.CTranslate2;

/// <summary>
/// The settings of a CTranslate2 model folder's optional <c>config.json</c> that change how a translation model is
/// run, with CTranslate2's defaults for a folder without one (binary versions before 6 wrote none): no source
/// BOS or EOS, decoding starts from <c>&lt;s&gt;</c>, and layer norms use ε = 1e-5.
/// </summary>
/// <param name="UnknownToken">The unknown token, appended to a vocabulary that lacks it.</param>
/// <param name="BosToken">The start-of-sentence token.</param>
/// <param name="EosToken">The end-of-sentence token; decoding stops when it is produced.</param>
/// <param name="DecoderStartToken">The token fed to the decoder first.</param>
/// <param name="AddSourceBos">Whether <see cref="BosToken"/> is put before every source.</param>
/// <param name="AddSourceEos">Whether <see cref="EosToken"/> is put after every source.</param>
/// <param name="LayerNormEpsilon">The layer norms' ε, or null for CTranslate2's default.</param>
/// <param name="NumHeads">Attention heads, when the folder states them here rather than in <c>model.bin</c>.</param>
internal sealed record CTranslate2ModelOptions(
    string UnknownToken = "<unk>",
    string BosToken = "<s>",
    string EosToken = "</s>",
    string DecoderStartToken = "<s>",
    bool AddSourceBos = false,
    bool AddSourceEos = false,
    double? LayerNormEpsilon = null,
    int? NumHeads = null)
{
    /// <summary>The options of <paramref name="folder"/>: its <c>config.json</c> if there is one, else the defaults.</summary>
    /// <exception cref="InvalidDataException">The file is not a JSON object or a known key has the wrong type.</exception>
    public static CTranslate2ModelOptions Read(string folder)
    {
        string path = System.IO.Path.Combine(folder, "config.json");
        if (!File.Exists(path)) return new CTranslate2ModelOptions();
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"'{path}': the configuration is not a JSON object");
            var defaults = new CTranslate2ModelOptions();
            string bos = Text(root, "bos_token") ?? defaults.BosToken;
            return new CTranslate2ModelOptions(
                Text(root, "unk_token") ?? defaults.UnknownToken,
                bos,
                Text(root, "eos_token") ?? defaults.EosToken,
                // CTranslate2 starts from the BOS token unless the converter names another start token.
                Text(root, "decoder_start_token") ?? bos,
                Flag(root, "add_source_bos"),
                Flag(root, "add_source_eos"),
                root.TryGetProperty("layer_norm_epsilon", out var epsilon) && epsilon.ValueKind == JsonValueKind.Number ? epsilon.GetDouble() : null,
                root.TryGetProperty("num_heads", out var heads) && heads.ValueKind == JsonValueKind.Number ? heads.GetInt32() : null);
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"'{path}': {error.Message}", error);
        }
    }

    private static string? Text(JsonElement root, string key) =>
        root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Flag(JsonElement root, string key) =>
        root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.True;
}
