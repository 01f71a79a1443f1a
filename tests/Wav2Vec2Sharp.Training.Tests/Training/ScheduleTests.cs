using Wav2Vec2Sharp.Training;

namespace Wav2Vec2Sharp.Tests.Training;

public sealed class ScheduleTests
{
    [Theory]
    [InlineData(0, 2.0)]
    [InlineData(1000, 1.990024937)]
    [InlineData(277_258, 0.5)]
    [InlineData(1_000_000, 0.5)]
    public void Gumbel_temperature_decays_from_2_to_the_floor_of_half(long updates, double expected) =>
        Assert.Equal(expected, new GumbelTemperatureSchedule().At(updates), 6);

    [Fact]
    public void Polynomial_decay_warms_up_linearly_then_decays_linearly_to_zero()
    {
        var schedule = new PolynomialDecaySchedule(PeakLr: 5e-4, WarmupUpdates: 100, TotalUpdates: 1100);

        Assert.Equal(5e-6, schedule.At(0), 12);
        Assert.Equal(2.5e-4, schedule.At(49), 12);
        Assert.Equal(5e-4, schedule.At(100), 12);
        Assert.Equal(2.5e-4, schedule.At(600), 12);
        Assert.Equal(0, schedule.At(1100), 12);
    }

    [Fact]
    public void Tri_stage_warms_holds_and_decays_exponentially_to_five_percent()
    {
        var schedule = new TriStageSchedule(PeakLr: 1e-4, TotalUpdates: 1000);

        Assert.Equal(1e-6, schedule.At(0), 12);
        Assert.Equal(1e-4, schedule.At(100), 12);
        Assert.Equal(1e-4, schedule.At(499), 12);
        Assert.Equal(1e-4 * Math.Sqrt(0.05), schedule.At(750), 12);
        Assert.Equal(5e-6, schedule.At(1000), 12);
    }
}
