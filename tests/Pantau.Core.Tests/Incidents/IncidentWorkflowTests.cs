using Pantau.Core.Incidents;
using Pantau.Core.Security;

namespace Pantau.Core.Tests.Incidents;

public class IncidentWorkflowTests
{
    private static readonly (IncidentStatus From, IncidentAction Action, IncidentStatus To)[] Allowed =
    [
        (IncidentStatus.New, IncidentAction.Verify, IncidentStatus.Verified),
        (IncidentStatus.New, IncidentAction.Reject, IncidentStatus.Rejected),
        (IncidentStatus.New, IncidentAction.MergeInto, IncidentStatus.Merged),
        (IncidentStatus.Verified, IncidentAction.Reject, IncidentStatus.Rejected),
        (IncidentStatus.Verified, IncidentAction.MergeInto, IncidentStatus.Merged),
        (IncidentStatus.Verified, IncidentAction.Refer, IncidentStatus.Referred),
        (IncidentStatus.Referred, IncidentAction.Refer, IncidentStatus.Referred),
        (IncidentStatus.Referred, IncidentAction.RecordAction, IncidentStatus.ActionTaken),
        (IncidentStatus.ActionTaken, IncidentAction.RecordAction, IncidentStatus.ActionTaken),
        (IncidentStatus.ActionTaken, IncidentAction.Close, IncidentStatus.Closed),
        (IncidentStatus.Closed, IncidentAction.Reopen, IncidentStatus.Verified),
        (IncidentStatus.Rejected, IncidentAction.Reopen, IncidentStatus.New),
    ];

    [Fact]
    public void Every_status_action_pair_is_allowed_exactly_when_listed()
    {
        var checkedPairs = 0;
        foreach (var from in Enum.GetValues<IncidentStatus>())
        foreach (var action in Enum.GetValues<IncidentAction>())
        {
            var expected = Allowed.Where(a => a.From == from && a.Action == action).Select(a => (IncidentStatus?)a.To).FirstOrDefault();
            Assert.Equal(expected, IncidentWorkflow.Next(from, action));
            // The Desk (admin) may do everything the graph allows; the decision agrees with the graph.
            var d = IncidentWorkflow.Decide(from, action, Role.DeskProvinsi);
            Assert.Equal(expected is not null, d.Allowed);
            if (expected is { } to) Assert.Equal(to, d.To); else Assert.NotNull(d.Error);
            checkedPairs++;
        }
        Assert.Equal(7 * 7, checkedPairs);
    }

    [Fact]
    public void Merged_is_terminal_and_closed_only_reopens()
    {
        Assert.Empty(IncidentWorkflow.AllowedActions(IncidentStatus.Merged, Role.Admin));
        Assert.Equal([IncidentAction.Reopen], IncidentWorkflow.AllowedActions(IncidentStatus.Closed, Role.Admin));
    }

    [Theory]
    [InlineData(Role.Police)]
    [InlineData(Role.Army)]
    [InlineData(Role.Camat)]
    [InlineData(Role.Bawaslu)]
    [InlineData(Role.Panwascam)]
    [InlineData(Role.KpuOperator)]
    [InlineData(Role.AgencyOfficer)]
    public void Only_the_desk_approves_closing_and_reopens(Role role)
    {
        Assert.False(IncidentWorkflow.Decide(IncidentStatus.ActionTaken, IncidentAction.Close, role).Allowed);
        Assert.False(IncidentWorkflow.Decide(IncidentStatus.Rejected, IncidentAction.Reopen, role).Allowed);
        Assert.True(IncidentWorkflow.Decide(IncidentStatus.New, IncidentAction.Verify, role).Allowed);
        foreach (var desk in RoleGroups.Desk) Assert.True(IncidentWorkflow.Decide(IncidentStatus.ActionTaken, IncidentAction.Close, desk).Allowed);
    }

    [Theory]
    [InlineData(Role.Public)]
    [InlineData(Role.KppsOperator)]
    public void Roles_outside_the_officers_can_do_nothing(Role role)
    {
        foreach (var from in Enum.GetValues<IncidentStatus>())
            Assert.Empty(IncidentWorkflow.AllowedActions(from, role));
    }

    [Fact]
    public void Asn_referrals_go_to_bawaslu_first_then_bkn_kasn_or_ppk()
    {
        Assert.True(IncidentWorkflow.IsValidAsnReferral(null, Agency.Bawaslu));
        Assert.False(IncidentWorkflow.IsValidAsnReferral(null, Agency.Bkn));
        Assert.False(IncidentWorkflow.IsValidAsnReferral(null, Agency.Police));
        Assert.True(IncidentWorkflow.IsValidAsnReferral(Agency.Bawaslu, Agency.Bkn));
        Assert.True(IncidentWorkflow.IsValidAsnReferral(Agency.Bawaslu, Agency.Kasn));
        Assert.True(IncidentWorkflow.IsValidAsnReferral(Agency.Bawaslu, Agency.PpkInstansi));
        Assert.False(IncidentWorkflow.IsValidAsnReferral(Agency.Bawaslu, Agency.Kominfo));
        Assert.True(IncidentWorkflow.IsValidAsnReferral(Agency.Bkn, Agency.PpkInstansi));
        Assert.False(IncidentWorkflow.IsValidAsnReferral(Agency.Bkn, Agency.Bkn));
    }

    [Theory]
    [InlineData(Severity.Critical, 2, 8)]
    [InlineData(Severity.High, 6, 24)]
    [InlineData(Severity.Medium, 24, 72)]
    [InlineData(Severity.Low, 72, 168)]
    public void Sla_deadlines_follow_severity(Severity severity, int verifyHours, int actHours)
    {
        var t0 = new DateTimeOffset(2024, 11, 20, 0, 0, 0, TimeSpan.Zero);
        var justBefore = Sla.Evaluate(IncidentStatus.New, severity, t0, null, t0.AddHours(verifyHours).AddMinutes(-1));
        Assert.Equal(SlaStage.Verify, justBefore.Stage);
        Assert.False(justBefore.IsOverdue);
        Assert.True(Sla.Evaluate(IncidentStatus.New, severity, t0, null, t0.AddHours(verifyHours).AddMinutes(1)).IsOverdue);
        var verified = t0.AddHours(1);
        var act = Sla.Evaluate(IncidentStatus.Referred, severity, t0, verified, verified.AddHours(actHours).AddMinutes(1));
        Assert.Equal(SlaStage.Act, act.Stage);
        Assert.Equal(verified.AddHours(actHours), act.DueAt);
        Assert.True(act.IsOverdue);
        Assert.False(Sla.Evaluate(IncidentStatus.ActionTaken, severity, t0, verified, t0.AddDays(100)).IsOverdue);
        Assert.False(Sla.Evaluate(IncidentStatus.Closed, severity, t0, verified, t0.AddDays(100)).IsOverdue);
    }

    [Theory]
    [InlineData(-6.2, 106.8, true)]   // Jakarta
    [InlineData(-2.98, 104.75, true)] // Palembang
    [InlineData(-8.5, 140.4, true)]   // Merauke
    [InlineData(1.35, 103.8, true)]   // inside the box (Singapore strait); the region check narrows it further
    [InlineData(51.5, -0.1, false)]
    [InlineData(-2.9, 150.0, false)]
    [InlineData(double.NaN, 104.0, false)]
    public void Map_points_must_lie_inside_Indonesia_bounds(double lat, double lng, bool inside) => Assert.Equal(inside, IndonesiaBounds.Contains(lat, lng));
}
