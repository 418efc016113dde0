using FsCheck.Xunit;
using Pantau.Core.Coordination;

namespace Pantau.Core.Tests.Coordination;

public class CoordinationRulesTests
{
    [Theory]
    [InlineData("2024-11-20T02:00:00Z", 7)]   // 09:00 WIB on 20 Nov
    [InlineData("2024-11-26T17:30:00Z", 0)]   // 00:30 WIB on 27 Nov: voting day already
    [InlineData("2024-11-26T16:59:00Z", 1)]   // 23:59 WIB on 26 Nov
    [InlineData("2024-11-28T01:00:00Z", -1)]
    public void Days_to_voting_count_local_WIB_days(string now, int expected) =>
        Assert.Equal(expected, PilkadaSchedule.DaysToVoting(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));

    [Property]
    public bool Closed_actions_are_never_overdue(int dueOffsetHours, bool done)
    {
        var now = new DateTimeOffset(2024, 11, 20, 2, 0, 0, TimeSpan.Zero);
        return !ActionRules.IsOverdue(done ? ActionStatus.Done : ActionStatus.Cancelled, now.AddHours(dueOffsetHours % 10000), now);
    }

    [Property]
    public bool Open_actions_are_overdue_exactly_after_their_due_time(int dueOffsetMinutes, bool inProgress)
    {
        var now = new DateTimeOffset(2024, 11, 20, 2, 0, 0, TimeSpan.Zero);
        var due = now.AddMinutes(dueOffsetMinutes % 100000);
        return ActionRules.IsOverdue(inProgress ? ActionStatus.InProgress : ActionStatus.Open, due, now) == (due < now);
    }

    [Theory]
    [InlineData(ActionStatus.Open, ActionStatus.InProgress, true)]
    [InlineData(ActionStatus.InProgress, ActionStatus.Done, true)]
    [InlineData(ActionStatus.Done, ActionStatus.Open, true)]
    [InlineData(ActionStatus.Done, ActionStatus.Cancelled, false)]
    [InlineData(ActionStatus.Open, ActionStatus.Open, false)]
    public void Status_moves(ActionStatus from, ActionStatus to, bool allowed) => Assert.Equal(allowed, ActionRules.CanMove(from, to));

    [Fact]
    public void Tahapan_due_dates_end_the_local_day()
    {
        var due = PilkadaSchedule.EndOfDay(PilkadaSchedule.Tahapan["masa-tenang"].Start, -1);
        Assert.Equal(new DateTimeOffset(2024, 11, 23, 16, 59, 59, TimeSpan.Zero), due);
    }

    [Fact]
    public void Directory_names_follow_the_region_type()
    {
        var kota = AgencyDirectory.ForKabKota(new("16.71", "KOTA PALEMBANG", "kota")).ToList();
        Assert.Contains(kota, a => a.Code == "16.71:POLRES" && a.Name == "Polrestabes Palembang" && a.IsForkopim);
        Assert.Contains(kota, a => a.Code == "16.71:KPU" && a.Name == "KPU Kota Palembang" && !a.IsForkopim);
        var kab = AgencyDirectory.ForKabKota(new("16.04", "KAB. LAHAT", "kabupaten")).ToList();
        Assert.Contains(kab, a => a.Name == "Pemerintah Kabupaten Lahat" && a.Kind == AgencyKind.Pemda);
        Assert.Contains(kab, a => a.Name == "Polres Lahat");
        var prov = AgencyDirectory.ForProvince(new("16", "SUMATERA SELATAN")).ToList();
        Assert.Contains(prov, a => a.Name == "Kodam II/Sriwijaya");
        Assert.Equal(prov.Count, prov.Select(a => a.Code).Distinct().Count());
        var kec = AgencyDirectory.ForKecamatan(new("16.71.01", "ILIR BARAT II")).ToList();
        Assert.Equal(["Camat Ilir Barat II", "Polsek Ilir Barat II", "Koramil Ilir Barat II"], kec.Where(a => a.IsForkopim).Select(a => a.Name));
    }
}
