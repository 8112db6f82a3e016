using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace EncDec.Training.Configuration;

/// <summary>
/// Builds configuration records from <see cref="ConfigSettings"/> through their primary constructors: a
/// parameter <c>LearningRate</c> reads key <c>learning_rate</c>; a parameter whose type is itself such a record
/// reads the nested section (<c>optimizer.learning_rate</c>). Absent keys keep the constructor's default, every
/// record is validated by its <c>Validate()</c> method, and a key that no parameter reads is an error listing
/// the valid keys, so a typo never silently trains with a default. Written by hand because YamlDotNet's object
/// binding needs settable properties, which would make the records mutable.
/// </summary>
public static class ConfigBinder
{
    /// <summary>Binds the whole settings tree to <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidDataException">An unknown key, a value of the wrong type, or a record whose
    /// <c>Validate()</c> fails; the message names the key and where it was set.</exception>
    public static T Bind<T>(ConfigSettings settings) where T : class
    {
        // Unknown keys first: a misspelt key ("max_step") must be named as such, not reported as the missing key it
        // was meant to be by a section's Validate().
        var keys = Keys(typeof(T));
        var known = keys.ToHashSet(StringComparer.Ordinal);
        var unknown = settings.Values.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            var value = settings.Values[unknown[0]];
            throw new InvalidDataException($"{value.Origin}: unknown setting '{unknown[0]}'; valid settings: {string.Join(", ", keys)}");
        }
        return (T)BindRecord(typeof(T), settings, "");
    }

    /// <summary>Every dotted key <paramref name="type"/> accepts, in declaration order.</summary>
    public static IReadOnlyList<string> Keys(Type type) => [.. KeysUnder(type, "")];

    /// <summary>The snake_case spelling of a PascalCase parameter name.</summary>
    public static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                builder.Append('_');
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }

    private static IEnumerable<string> KeysUnder(Type type, string prefix)
    {
        foreach (var parameter in PrimaryConstructor(type).GetParameters())
        {
            string key = prefix + SnakeCase(parameter.Name!);
            if (IsSection(parameter.ParameterType))
                foreach (var nested in KeysUnder(parameter.ParameterType, key + ".")) yield return nested;
            else
                yield return key;
        }
    }

    private static object BindRecord(Type type, ConfigSettings settings, string prefix)
    {
        var constructor = PrimaryConstructor(type);
        var parameters = constructor.GetParameters();
        var arguments = new object?[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            string key = prefix + SnakeCase(parameter.Name!);
            if (IsSection(parameter.ParameterType))
                arguments[i] = BindRecord(parameter.ParameterType, settings, key + ".");
            else if (settings.Values.TryGetValue(key, out var value))
                arguments[i] = Parse(value, parameter.ParameterType, key);
            else
                arguments[i] = parameter.HasDefaultValue ? parameter.DefaultValue
                    : throw new InvalidDataException($"setting '{key}' is required");
        }
        object record = constructor.Invoke(arguments);
        Validate(record, prefix);
        return record;
    }

    private static void Validate(object record, string prefix)
    {
        var validate = record.GetType().GetMethod("Validate", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
        try
        {
            validate?.Invoke(record, null);
        }
        catch (TargetInvocationException e) when (e.InnerException is ArgumentException inner)
        {
            string section = prefix.Length == 0 ? "configuration" : $"section '{prefix.TrimEnd('.')}'";
            throw new InvalidDataException($"{section}: {InKeys(inner, record.GetType())}", inner);
        }
    }

    /// <summary>A record's validation message in the keys the user wrote: "BatchingOptions: MaxTokens 0 must be at least 1
    /// (Parameter 'MaxTokens')" becomes "max_tokens 0 must be at least 1" (the section is named beside it).</summary>
    private static string InKeys(ArgumentException error, Type recordType)
    {
        string message = error.ParamName is { } name ? error.Message.Replace($" (Parameter '{name}')", "") : error.Message;
        message = Regex.Replace(message, $@"^{recordType.Name}: ", "");
        foreach (var parameter in PrimaryConstructor(recordType).GetParameters())
            message = Regex.Replace(message, $@"\b{parameter.Name}\b", SnakeCase(parameter.Name!));
        return message;
    }

    private static object? Parse(ConfigValue value, Type type, string key)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        string text = value.Text;
        if (Nullable.GetUnderlyingType(type) is not null && (text.Length == 0 || text is "null" or "~")) return null;
        if (type == typeof(string)) return text is "null" or "~" ? null : text;
        try
        {
            if (target.IsEnum) return ParseEnum(target, text);
            if (target == typeof(bool)) return ParseBool(text);
            return Convert.ChangeType(text.Replace("_", ""), target, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new InvalidDataException($"{value.Origin}: setting '{key}' = '{text}' is not a valid {Describe(target)}", e);
        }
    }

    private static object ParseEnum(Type type, string text)
    {
        string wanted = text.Replace("-", "").Replace("_", "");
        foreach (string name in Enum.GetNames(type))
            if (string.Equals(name, wanted, StringComparison.OrdinalIgnoreCase)) return Enum.Parse(type, name);
        throw new ArgumentException($"expected one of {string.Join(", ", Enum.GetNames(type).Select(SnakeCase).Select(n => n.Replace('_', '-')))}");
    }

    private static bool ParseBool(string text) => text.ToLowerInvariant() switch
    {
        "true" or "yes" or "on" or "1" => true,
        "false" or "no" or "off" or "0" => false,
        _ => throw new FormatException("expected true or false"),
    };

    private static string Describe(Type type) =>
        type.IsEnum ? $"{type.Name} ({string.Join(", ", Enum.GetNames(type).Select(n => SnakeCase(n).Replace('_', '-')))})"
        : type == typeof(bool) ? "boolean" : type.Name.ToLowerInvariant() switch { "int32" => "integer", "int64" => "integer", "single" or "double" => "number", var n => n };

    private static bool IsSection(Type type) =>
        type.IsClass && type != typeof(string) && type.GetMethod("<Clone>$") is not null;

    private static ConstructorInfo PrimaryConstructor(Type type) =>
        type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
}
