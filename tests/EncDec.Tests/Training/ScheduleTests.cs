using EncDec.Training;

namespace EncDec.Tests.Training;

/// <summary>Learning-rate schedules checked against their closed forms at chosen steps.</summary>
public class ScheduleTests
{
    /// <summary>Equal up to float32 rounding of the peak and the result.</summary>
    private static void AssertRate(double expected, LearningRateSchedule schedule, long step) =>
        Assert.Equal(expected, schedule.LearningRate(step), 1e-6 * expected);

    [Theory]
    [InlineData(1)]
    [InlineData(2000)]
    [InlineData(4000)]
    [InlineData(4001)]
    [InlineData(16000)]
    [InlineData(1_000_000)]
    public void InverseSqrt_IsFairseqsFormula(long step)
    {
        var schedule = new ScheduleConfig("inverse-sqrt", WarmupSteps: 4000).Create(5e-4f);
        AssertRate(5e-4f * Math.Min(step / 4000.0, Math.Sqrt(4000.0 / step)), schedule, step);
    }

    [Fact]
    public void InverseSqrt_PeaksAtTheEndOfWarmup_AndHalvesAtFourTimesWarmup()
    {
        var schedule = new InverseSqrtSchedule(1e-3f, 100);
        Assert.Equal(1e-3f, schedule.LearningRate(100));
        Assert.Equal(5e-4f, schedule.LearningRate(400));
        Assert.True(schedule.LearningRate(99) < schedule.LearningRate(100));
        Assert.True(schedule.LearningRate(101) < schedule.LearningRate(100));
    }

    [Fact]
    public void InverseSqrt_IsFlooredAtTheMinimum() =>
        Assert.Equal(1e-4f, new InverseSqrtSchedule(1e-3f, 100, minLearningRate: 1e-4f).LearningRate(1_000_000));

    [Theory]
    [InlineData(1, 1e-3 * 1 / 10)]
    [InlineData(5, 1e-3 * 5 / 10)]
    [InlineData(10, 1e-3)]
    [InlineData(55, 1e-4 + (1e-3 - 1e-4) * 0.5)]
    [InlineData(100, 1e-4)]
    [InlineData(500, 1e-4)]
    public void Linear_WarmsUpThenFallsToTheMinimumAtTotalSteps(long step, double expected) =>
        AssertRate(expected, new ScheduleConfig("linear", 10, 100, MinLearningRate: 1e-4f).Create(1e-3f), step);

    [Theory]
    [InlineData(10, 1.0)]
    [InlineData(35, 0.5 * (1 + 0.70710678118654752))]   // progress 1/4
    [InlineData(60, 0.5)]
    [InlineData(110, 0.0)]
    [InlineData(111, 0.0)]
    public void Cosine_FollowsHalfACosineToTheMinimum(long step, double fraction)
    {
        var schedule = new ScheduleConfig("cosine", 10, 110, MinLearningRate: 1e-5f).Create(1e-3f);
        AssertRate(1e-5f + (1e-3f - (double)1e-5f) * fraction, schedule, step);
    }

    [Fact]
    public void Constant_WarmsUpLinearly_ThenHolds()
    {
        var schedule = new ScheduleConfig("constant", WarmupSteps: 4).Create(2e-3f);
        Assert.Equal([5e-4f, 1e-3f, 1.5e-3f, 2e-3f, 2e-3f, 2e-3f],
            Enumerable.Range(1, 6).Select(step => schedule.LearningRate(step)));
        Assert.Equal(2e-3f, new ScheduleConfig("constant", WarmupSteps: 0).Create(2e-3f).LearningRate(1));
    }

    [Fact]
    public void Plateau_HalvesAfterPatienceValidationsWithoutImprovement()
    {
        var schedule = (PlateauSchedule)new ScheduleConfig("plateau", 0, PlateauFactor: 0.5f, PlateauPatience: 2).Create(1e-3f);
        schedule.ReportValidation(5.0);
        schedule.ReportValidation(4.0);     // improves
        schedule.ReportValidation(4.0);     // 1 without improvement
        Assert.Equal(1e-3f, schedule.LearningRate(10));
        schedule.ReportValidation(3.9999);  // better by less than the 1e-4 relative threshold: 2 → reduce
        Assert.Equal(5e-4f, schedule.LearningRate(10));
        schedule.ReportValidation(4.5);
        Assert.Equal(5e-4f, schedule.LearningRate(10));   // the count restarted after the reduction
        schedule.ReportValidation(double.NaN);            // a non-finite metric never improves
        Assert.Equal(2.5e-4f, schedule.LearningRate(10));
    }

    [Fact]
    public void Plateau_HigherIsBetter_TreatsARiseAsImprovement_AndStopsAtTheFloor()
    {
        var schedule = new ScheduleConfig("plateau", 0, MinLearningRate: 3e-4f, PlateauPatience: 1, PlateauHigherIsBetter: true).Create(1e-3f);
        schedule.ReportValidation(20);
        schedule.ReportValidation(25);
        Assert.Equal(1e-3f, schedule.LearningRate(1));
        schedule.ReportValidation(24);
        Assert.Equal(5e-4f, schedule.LearningRate(1));
        schedule.ReportValidation(24);
        schedule.ReportValidation(24);
        Assert.Equal(3e-4f, schedule.LearningRate(1));
    }

    [Fact]
    public void Plateau_ExportedState_ResumesTheSameDecisions()
    {
        var config = new ScheduleConfig("plateau", 100, PlateauPatience: 3);
        var original = config.Create(1e-3f);
        foreach (double metric in new[] { 5.0, 4.0, 4.5, 4.5, 4.5, 4.2 }) original.ReportValidation(metric);
        var resumed = config.Create(1e-3f);
        resumed.ImportState(original.ExportState());
        foreach (var schedule in new[] { original, resumed })
            foreach (double metric in new[] { 4.1, 4.1, 4.1 }) schedule.ReportValidation(metric);
        Assert.Equal(original.ExportState(), resumed.ExportState());
        Assert.Equal(original.LearningRate(50), resumed.LearningRate(50));
        Assert.Equal(2.5e-4f, resumed.LearningRate(500));
    }

    [Fact]
    public void Plateau_ImportState_RejectsUnknownOrMissingKeys()
    {
        var schedule = new ScheduleConfig("plateau").Create(1e-3f);
        Assert.Contains("'bad_validations'", Assert.Throws<InvalidDataException>(() =>
            schedule.ImportState(new Dictionary<string, double> { ["current_learning_rate"] = 1e-3 })).Message);
        Assert.Contains("step", Assert.Throws<InvalidDataException>(() =>
            schedule.ImportState(new Dictionary<string, double> { ["current_learning_rate"] = 1e-3, ["bad_validations"] = 0, ["step"] = 3 })).Message);
    }

    [Fact]
    public void StatelessSchedule_RejectsAPlateauState() =>
        Assert.Throws<InvalidDataException>(() =>
            new ScheduleConfig("inverse-sqrt").Create(1e-3f).ImportState(new ScheduleConfig("plateau").Create(1e-3f).ExportState()));

    [Fact]
    public void StepZero_IsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScheduleConfig().Create(1e-3f).LearningRate(0));

    [Theory]
    [InlineData("exponential", 10, 0, "Kind")]
    [InlineData("inverse-sqrt", 0, 0, "WarmupSteps")]
    [InlineData("linear", 100, 100, "TotalSteps")]
    [InlineData("cosine", 10, 0, "TotalSteps")]
    [InlineData("constant", -1, 0, "WarmupSteps")]
    public void Config_RejectsBadValues_NamingTheField(string kind, long warmup, long total, string field) =>
        Assert.Equal(field, Assert.Throws<ArgumentException>(() => new ScheduleConfig(kind, warmup, total).Validate()).ParamName);

    [Fact]
    public void Config_RejectsAMinimumAboveThePeak() =>
        Assert.Equal("MinLearningRate", Assert.Throws<ArgumentException>(() =>
            new ScheduleConfig("cosine", 10, 100, MinLearningRate: 1e-2f).Create(1e-3f)).ParamName);
}
