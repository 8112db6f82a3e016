using EncDec.Tensors;
using EncDec.Training;
using static EncDec.Tests.Training.OptimizerTestKit;

namespace EncDec.Tests.Training;

/// <summary>ExportState/ImportState: exact resume, and loud failures on states that do not fit.</summary>
public class OptimizerStateTests
{
    /// <summary>Named configurations covering every optimiser and its stateful options.</summary>
    public static OptimizerConfig Configured(string name) => name switch
    {
        "sgd" => new OptimizerConfig("sgd", 0.05f, Momentum: 0.9f, WeightDecay: 0.01f),
        "sgd-nesterov" => new OptimizerConfig("sgd", 0.05f, Momentum: 0.8f, Nesterov: true),
        "adam" => new OptimizerConfig("adam", 0.01f, WeightDecay: 0.1f),
        "adamw" => new OptimizerConfig("adamw", 0.01f, WeightDecay: 0.1f),
        "adafactor" => new OptimizerConfig("adafactor", 0.01f, Beta1: 0f, WeightDecay: 0.01f),
        "adafactor-beta1" => new OptimizerConfig("adafactor", 0.01f, Beta1: 0.9f, RelativeStep: true, WarmupInit: true),
        "adafactor-unfactored" => new OptimizerConfig("adafactor", 0.01f, Beta1: 0f, FactorSecondMoment: false, ScaleParameter: false),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [InlineData("sgd")]
    [InlineData("sgd-nesterov")]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("adafactor")]
    [InlineData("adafactor-beta1")]
    [InlineData("adafactor-unfactored")]
    public void ImportedState_ContinuesBitIdentically(string name)
    {
        var config = Configured(name);
        var uninterrupted = NewParameters();
        var optimizer = config.Create(uninterrupted);
        Run(optimizer, uninterrupted, 1, 3);
        var state = optimizer.ExportState();
        var weightsAtExport = uninterrupted.Select(p => p.ToArray()).ToArray();
        Run(optimizer, uninterrupted, 4, 8);   // after the export: the exported state must be a snapshot

        var resumed = NewParameters();
        for (int k = 0; k < resumed.Length; k++) weightsAtExport[k].CopyTo(resumed[k].AsSpan());
        var restored = config.Create(resumed);
        restored.ImportState(state);
        Run(restored, resumed, 4, 8);

        for (int k = 0; k < resumed.Length; k++) Assert.Equal(uninterrupted[k].ToArray(), resumed[k].ToArray());
    }

    [Fact]
    public void FreshOptimizer_ResumedFromAnEmptyState_MatchesAFreshStart()
    {
        var a = NewParameters();
        var b = NewParameters();
        var config = Configured("adam");
        var restored = config.Create(b);
        restored.ImportState(config.Create(NewParameters()).ExportState());
        Run(config.Create(a), a, 1, 4);
        Run(restored, b, 1, 4);
        Assert.Equal(a[0].ToArray(), b[0].ToArray());
    }

    [Fact]
    public void ImportState_OfAnotherKind_NamesBothKinds()
    {
        var parameters = NewParameters();
        var adam = Configured("adam").Create(parameters);
        Run(adam, parameters, 1, 1);
        var error = Assert.Throws<InvalidDataException>(() => Configured("sgd").Create(NewParameters()).ImportState(adam.ExportState()));
        Assert.Contains("'adam'", error.Message);
        Assert.Contains("'sgd'", error.Message);
    }

    [Fact]
    public void ImportState_WithAnotherShape_NamesTheKeyAndBothSizes()
    {
        var parameters = NewParameters();
        var adam = Configured("adam").Create(parameters);
        Run(adam, parameters, 1, 1);
        var other = NewParameters([[3, 4], [7]]);
        var error = Assert.Throws<InvalidDataException>(() => Configured("adam").Create(other).ImportState(adam.ExportState()));
        Assert.Contains("'0.exp_avg'", error.Message);
        Assert.Contains("15", error.Message);
        Assert.Contains("'p0' (3, 4)", error.Message);
        Assert.Contains("12", error.Message);
    }

    [Fact]
    public void ImportState_ForMoreParameters_NamesTheIndex()
    {
        var parameters = NewParameters();
        var sgd = Configured("sgd").Create(parameters);
        Run(sgd, parameters, 1, 1);
        var error = Assert.Throws<InvalidDataException>(() => Configured("sgd").Create(NewParameters([[3, 5]])).ImportState(sgd.ExportState()));
        Assert.Contains("'1.momentum_buffer' refers to parameter 1", error.Message);
    }

    [Fact]
    public void ImportState_WithABufferTheSettingsDoNotUse_Throws()
    {
        var parameters = NewParameters();
        var withFirstMoment = Configured("adafactor-beta1").Create(parameters);
        Run(withFirstMoment, parameters, 1, 1);
        var error = Assert.Throws<InvalidDataException>(() => Configured("adafactor").Create(NewParameters()).ImportState(withFirstMoment.ExportState()));
        Assert.Contains("0.exp_avg", error.Message);
    }

    [Fact]
    public void SgdWithoutMomentum_RejectsAMomentumBuffer()
    {
        var parameters = NewParameters();
        var withMomentum = Configured("sgd").Create(parameters);
        Run(withMomentum, parameters, 1, 1);
        var error = Assert.Throws<InvalidDataException>(() => new Sgd(NewParameters(), 0.1f).ImportState(withMomentum.ExportState()));
        Assert.Contains("0.momentum_buffer", error.Message);
    }

    [Fact]
    public void ImportState_MissingABuffer_NamesIt()
    {
        var parameters = NewParameters();
        var adam = Configured("adam").Create(parameters);
        Run(adam, parameters, 1, 1);
        var state = adam.ExportState();
        var buffers = state.Buffers.Where(pair => pair.Key != "1.exp_avg_sq").ToDictionary();
        var error = Assert.Throws<InvalidDataException>(() => Configured("adam").Create(NewParameters()).ImportState(state with { Buffers = buffers }));
        Assert.Contains("'1.exp_avg_sq'", error.Message);
    }

    [Fact]
    public void ExportState_UsesPyTorchStyleKeys()
    {
        var parameters = NewParameters();
        var adam = Configured("adam").Create(parameters);
        Run(adam, parameters, 1, 2);
        var state = adam.ExportState();
        Assert.Equal("adam", state.Kind);
        Assert.Equal(["0.exp_avg", "0.exp_avg_sq", "1.exp_avg", "1.exp_avg_sq"], state.Buffers.Keys.Order());
        Assert.Equal(2, state.Counters["1.step"]);
    }

    [Theory]
    [InlineData("sgd", 0f)]
    [InlineData("adam", -1f)]
    [InlineData("nadam", 1e-3f)]
    public void Config_RejectsBadValues_NamingTheField(string name, float learningRate)
    {
        var error = Assert.Throws<ArgumentException>(() => new OptimizerConfig(name, learningRate).Validate());
        Assert.Equal(name == "nadam" ? "Name" : "LearningRate", error.ParamName);
    }

    [Fact]
    public void Config_RejectsWarmupInitWithoutRelativeStep() =>
        Assert.Equal("WarmupInit", Assert.Throws<ArgumentException>(() => new OptimizerConfig("adafactor", WarmupInit: true).Validate()).ParamName);

    [Fact]
    public void Config_CreatesTheNamedOptimizer()
    {
        Assert.IsType<Sgd>(new OptimizerConfig("sgd").Create(NewParameters()));
        Assert.IsType<Adam>(new OptimizerConfig("adam").Create(NewParameters()));
        Assert.IsType<AdamW>(new OptimizerConfig("adamw").Create(NewParameters()));
        Assert.IsType<Adafactor>(new OptimizerConfig("adafactor").Create(NewParameters()));
    }
}
