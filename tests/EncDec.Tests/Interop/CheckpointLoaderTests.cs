using EncDec.Interop;
using EncDec.Nn;
using EncDec.Tensors;

namespace EncDec.Tests.Interop;

public sealed class CheckpointLoaderTests : IDisposable
{
    /// <summary>weight (rows, 3), bias (3), and a child "head" with weight (2, 3).</summary>
    private sealed class Tiny : Module
    {
        public Tiny(int rows = 4, float fill = 0f)
        {
            Weight = RegisterParameter("weight", Tensor.Full(fill, rows, 3));
            Bias = RegisterParameter("bias", Tensor.Full(fill, 3));
            Head = RegisterModule("head", new Head(fill));
        }

        public Tensor Weight { get; }
        public Tensor Bias { get; }
        public Head Head { get; }
    }

    private sealed class Head : Module
    {
        public Head(float fill) => Weight = RegisterParameter("weight", Tensor.Full(fill, 2, 3));

        public Tensor Weight { get; }
    }

    private readonly SafeTensorsTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static float[][] Snapshot(Module module) => module.Parameters().Select(p => p.ToArray()).ToArray();

    private static Tiny Numbered()
    {
        var model = new Tiny();
        int k = 0;
        foreach (var parameter in model.Parameters())
            foreach (ref float value in parameter.AsSpan()) value = ++k * 0.25f;
        return model;
    }

    private string Checkpoint(params (string, Tensor)[] tensors)
    {
        string path = _files.PathOf($"ckpt{Guid.NewGuid():N}.safetensors");
        SafeTensorsWriter.Write(path, tensors);
        return path;
    }

    [Fact]
    public void SaveThenLoad_CopiesEveryParameterByName()
    {
        var source = Numbered();
        string path = _files.PathOf("tiny.safetensors");
        CheckpointLoader.Save(source, path);
        var target = new Tiny();

        CheckpointLoader.Load(target, path);

        Assert.Equal(Snapshot(source), Snapshot(target));
        using var file = SafeTensorsFile.Open(path);
        Assert.Equal(["weight", "bias", "head.weight"], file.Entries.Select(e => e.Name));
    }

    [Fact]
    public void Load_ConvertsHalfPrecisionTensors()
    {
        var model = new Tiny(rows: 1);
        var half = new byte[2 * 3];
        for (int i = 0; i < 3; i++) BitConverter.TryWriteBytes(half.AsSpan(2 * i), BitConverter.HalfToUInt16Bits((Half)(i + 0.5f)));
        var floats = SafeTensorsTestFiles.FloatBytes(new float[9]);
        string json = "{\"weight\":{\"dtype\":\"F16\",\"shape\":[1,3],\"data_offsets\":[0,6]},"
            + "\"bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[6,18]},"
            + "\"head.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[18,42]}}";
        string path = _files.Write("half.safetensors", json, [.. half, .. floats]);

        CheckpointLoader.Load(model, path);

        Assert.Equal([0.5f, 1.5f, 2.5f], model.Weight.ToArray());
    }

    [Fact]
    public void MissingTensor_IsReported_AndNothingIsLoaded()
    {
        var model = Numbered();
        var before = Snapshot(model);
        string path = Checkpoint(("weight", Tensor.Ones(4, 3)), ("bias", Tensor.Ones(3)));

        var error = Assert.Throws<InvalidDataException>(() => CheckpointLoader.Load(model, path));

        Assert.Contains("missing tensor 'head.weight' (2, 3)", error.Message);
        Assert.Equal(before, Snapshot(model));
    }

    [Fact]
    public void UnexpectedTensor_IsReported_AndNothingIsLoaded()
    {
        var model = Numbered();
        var before = Snapshot(model);
        string path = Checkpoint(("weight", Tensor.Ones(4, 3)), ("bias", Tensor.Ones(3)),
            ("head.weight", Tensor.Ones(2, 3)), ("decoder.extra", Tensor.Ones(5)));

        var error = Assert.Throws<InvalidDataException>(() => CheckpointLoader.Load(model, path));

        Assert.Contains("unexpected tensor 'decoder.extra' (5)", error.Message);
        Assert.Equal(before, Snapshot(model));
    }

    [Fact]
    public void ShapeMismatch_ListsBothShapes_AndNothingIsLoaded()
    {
        var model = Numbered();
        var before = Snapshot(model);
        string path = Checkpoint(("weight", Tensor.Ones(3, 4)), ("bias", Tensor.Ones(3)), ("head.weight", Tensor.Ones(2, 3)));

        var error = Assert.Throws<InvalidDataException>(() => CheckpointLoader.Load(model, path));

        Assert.Contains("shape mismatch for 'weight': checkpoint (3, 4), model (4, 3)", error.Message);
        Assert.Equal(before, Snapshot(model));
    }

    [Fact]
    public void SeveralMismatches_AreAllReportedInOneMessage()
    {
        var model = Numbered();
        var before = Snapshot(model);
        string path = _files.Write("many.safetensors",
            "{\"weight\":{\"dtype\":\"F32\",\"shape\":[5,3],\"data_offsets\":[0,60]},"
            + "\"bias\":{\"dtype\":\"I32\",\"shape\":[3],\"data_offsets\":[60,72]},"
            + "\"stray\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[72,76]}}", new byte[76]);

        var error = Assert.Throws<InvalidDataException>(() => CheckpointLoader.Load(model, path));

        Assert.Contains("4 problem(s)", error.Message);
        Assert.Contains("shape mismatch for 'weight': checkpoint (5, 3), model (4, 3)", error.Message);
        Assert.Contains("dtype mismatch for 'bias': checkpoint I32, model F32", error.Message);
        Assert.Contains("missing tensor 'head.weight'", error.Message);
        Assert.Contains("unexpected tensor 'stray'", error.Message);
        Assert.Equal(before, Snapshot(model));
    }

    [Fact]
    public void ACorruptFile_FailsBeforeTouchingTheModel()
    {
        var model = Numbered();
        var before = Snapshot(model);
        string good = _files.PathOf("good.safetensors");
        CheckpointLoader.Save(new Tiny(fill: 1f), good);
        var bytes = File.ReadAllBytes(good);
        string path = _files.WriteBytes("cut.safetensors", bytes[..^4]);

        var error = Assert.Throws<InvalidDataException>(() => CheckpointLoader.Load(model, path));

        Assert.Contains("'head.weight'", error.Message);
        Assert.Equal(before, Snapshot(model));
    }
}
