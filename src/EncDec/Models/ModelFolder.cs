using EncDec.Interop;

namespace EncDec.Models;

/// <summary>
/// A saved model is a folder holding <c>config.json</c> (<see cref="ModelConfig"/>) and
/// <c>model.safetensors</c> (every parameter under its dotted name, F32). Saving writes a temporary
/// sibling folder and renames it into place, so readers never see a folder with only one of the files
/// or a half-written one; loading rebuilds the architecture from the config and then copies the
/// weights all-or-nothing.
/// </summary>
public static class ModelFolder
{
    /// <summary>Name of the configuration file inside a model folder.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>Name of the weights file inside a model folder.</summary>
    public const string WeightsFileName = "model.safetensors";

    /// <summary>
    /// Writes <paramref name="config"/> and the weights of <paramref name="model"/> to
    /// <paramref name="directory"/>, replacing a folder already there. Both files are first written
    /// into a temporary sibling folder; the old folder is then renamed aside, the new one renamed into
    /// place and the old one deleted. A crash before the renames leaves the old folder untouched (and a
    /// hidden <c>.name.*.tmp</c> sibling); between the two renames the old folder survives as a hidden
    /// <c>.name.*.old</c> sibling.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="config"/> is invalid or does not describe <paramref name="model"/>.</exception>
    public static void Save(EncoderDecoderModel model, ModelConfig config, string directory)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        RequireDescribes(config, model);
        WriteAtomically(directory, folder => WriteModelFiles(model, config, folder));
    }

    /// <summary>Writes <c>config.json</c> and <c>model.safetensors</c> into an existing <paramref name="folder"/>.</summary>
    internal static void WriteModelFiles(EncoderDecoderModel model, ModelConfig config, string folder)
    {
        config.Save(Path.Combine(folder, ConfigFileName));
        CheckpointLoader.Save(model, Path.Combine(folder, WeightsFileName));
    }

    /// <summary>
    /// Fills a temporary sibling of <paramref name="directory"/> with <paramref name="write"/> (given the temporary
    /// folder's path), then swaps it into place as <see cref="Save"/> describes; shared by every folder format.
    /// </summary>
    internal static void WriteAtomically(string directory, Action<string> write)
    {
        string target = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        string parent = Path.GetDirectoryName(target) ?? throw new ArgumentException($"cannot save a model folder at the root '{directory}'");
        string name = Path.GetFileName(target);
        Directory.CreateDirectory(parent);
        string temporary = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(temporary);
            write(temporary);
            ReplaceFolder(temporary, target, Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.old"));
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        }
    }

    /// <summary>
    /// Rebuilds the model described by <c>config.json</c> in <paramref name="directory"/> and loads its
    /// weights from <c>model.safetensors</c>. Returns the model in evaluation mode (call
    /// <c>Train()</c> to resume training). Throws <see cref="DirectoryNotFoundException"/> or
    /// <see cref="FileNotFoundException"/> naming what is missing, and <see cref="InvalidDataException"/>
    /// for an invalid config or a weights file that is corrupt or does not fit (listing every mismatch);
    /// on failure no model is returned.
    /// </summary>
    public static (EncoderDecoderModel Model, ModelConfig Config) Load(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"model folder '{directory}' does not exist");
        string configPath = Path.Combine(directory, ConfigFileName);
        string weightsPath = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(configPath)) throw new FileNotFoundException($"model folder '{directory}' has no {ConfigFileName}", configPath);
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"model folder '{directory}' has no {WeightsFileName}", weightsPath);
        var config = ModelConfig.Load(configPath);
        var model = ModelBuilder.Build(config);
        CheckpointLoader.Load(model, weightsPath);
        model.Eval();
        return (model, config);
    }

    /// <summary>Moves <paramref name="source"/> to <paramref name="target"/>, putting back the old target if the move fails.</summary>
    private static void ReplaceFolder(string source, string target, string aside)
    {
        if (File.Exists(target)) throw new IOException($"cannot save a model folder at '{target}': a file is in the way");
        bool hadOld = Directory.Exists(target);
        if (hadOld) Directory.Move(target, aside);
        try
        {
            Directory.Move(source, target);
        }
        catch
        {
            if (hadOld) Directory.Move(aside, target);
            throw;
        }
        if (hadOld) Directory.Delete(aside, recursive: true);
    }

    /// <summary>A config that does not match the model would save a folder that cannot be loaded back.</summary>
    internal static void RequireDescribes(ModelConfig config, EncoderDecoderModel model)
    {
        bool fits = config.Family == ModelFamily.Transformer
            ? model.Encoder is TransformerEncoder te && te.Config == config.Transformer
              && model.Decoder is TransformerDecoder td && td.Config == config.Transformer
            : model.Encoder is RnnEncoder re && re.Config == config.RnnEncoder
              && model.Decoder is RnnDecoder rd && rd.Config == config.RnnDecoder;
        if (!fits)
            throw new ArgumentException(
                $"ModelFolder: the {config.Family} configuration does not describe the model ({model.Encoder.GetType().Name} + {model.Decoder.GetType().Name} with other settings)");
    }
}
