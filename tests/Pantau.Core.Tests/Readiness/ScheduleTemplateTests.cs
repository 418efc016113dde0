using Pantau.Core.Readiness;

namespace Pantau.Core.Tests.Readiness;

public class ScheduleTemplateTests
{
    [Fact]
    public void The_pilkada_template_on_27_november_2024_is_the_2024_schedule()
    {
        Assert.Equal(Schedule.Pilkada2024, ScheduleTemplate.Pilkada.Instantiate(Schedule.VotingDay));
        // Relative to voting day, as the glossary reads it: the campaign runs H-63..H-4, the quiet period H-3..H-1.
        var kampanye = ScheduleTemplate.Pilkada.Stages.Single(s => s.Code == "kampanye");
        Assert.Equal(("H-63", "H-4"), (StageTemplate.H(kampanye.StartOffset), StageTemplate.H(kampanye.EndOffset)));
        var tenang = ScheduleTemplate.Pilkada.Stages.Single(s => s.Code == "masa-tenang");
        Assert.Equal((-3, -1), (tenang.StartOffset, tenang.EndOffset));
    }

    [FsCheck.Xunit.Property]
    public bool Every_stage_keeps_its_distance_to_voting_day_and_its_length(int shift)
    {
        var day = Schedule.VotingDay.AddDays(shift % 5000);
        var stages = ScheduleTemplate.Pilkada.Instantiate(day);
        return stages.Zip(Schedule.Pilkada2024).All(p =>
            p.First.Code == p.Second.Code
            && p.First.Start.DayNumber - day.DayNumber == p.Second.Start.DayNumber - Schedule.VotingDay.DayNumber
            && p.First.End.DayNumber - p.First.Start.DayNumber == p.Second.End.DayNumber - p.Second.Start.DayNumber)
            && stages.Single(s => s.Code == ScheduleTemplate.VotingStage).Start == day;
    }

    [Fact]
    public void A_future_pilkada_gets_its_own_dates_and_targets()
    {
        var day = new DateOnly(2029, 11, 28);
        var stages = ScheduleTemplate.Pilkada.Instantiate(day);
        Assert.Equal(new DateOnly(2029, 11, 25), stages.Single(s => s.Code == "masa-tenang").Start);
        Assert.Equal(new DateOnly(2029, 9, 24), stages.Single(s => s.Code == ScheduleTemplate.BallotDrawStage).Start);
        // Target rules resolve against the election's own schedule and voting day.
        Assert.Equal(new DateOnly(2029, 11, 18), TargetRule.Parse("H-10").Resolve(stages, day));
        Assert.Equal(new DateOnly(2029, 11, 22), TargetRule.Parse("masa-tenang.start-3").Resolve(stages, day));
        Assert.Equal((new DateOnly(2029, 9, 24), day), ScheduleTemplate.LogisticsWindow(stages, day));
        Assert.Equal((new DateOnly(2029, 4, 18), new DateOnly(2029, 12, 17)), ScheduleTemplate.Window(stages));
    }

    [Fact]
    public void A_psu_has_a_short_schedule_around_its_voting_day()
    {
        var day = new DateOnly(2025, 4, 19);
        var stages = ScheduleTemplate.ForKind("psu").Instantiate(day);
        Assert.Equal(day, stages.Single(s => s.Code == ScheduleTemplate.VotingStage).Start);
        var (start, end) = ScheduleTemplate.Window(stages);
        Assert.Equal((day.AddDays(-30), day.AddDays(7)), (start, end));
        Assert.All(stages, s => Assert.True(s.Start <= s.End));
        // No ballot draw in a PSU: logistics move from the first stage.
        Assert.Equal((day.AddDays(-30), day), ScheduleTemplate.LogisticsWindow(stages, day));
        Assert.Same(ScheduleTemplate.Pilkada, ScheduleTemplate.ForKind("pilkada"));
    }
}
