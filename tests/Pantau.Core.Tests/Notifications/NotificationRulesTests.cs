using Pantau.Core.Notifications;
using Pantau.Core.Security;

namespace Pantau.Core.Tests.Notifications;

public class NotificationRulesTests
{
    private static readonly Recipient DeskLahat = new("a", Role.DeskKabKota, "16.04", null);
    private static readonly Recipient DeskPalembang = new("b", Role.DeskKabKota, "16.71", null);
    private static readonly Recipient DeskProv = new("c", Role.DeskProvinsi, "16", null);
    private static readonly Recipient Kpps = new("d", Role.KppsOperator, "16.04", null);
    private static readonly Recipient NationalAdmin = new("e", Role.Admin, "", null);
    private static readonly Recipient CamatLahat01 = new("f", Role.Camat, "16.04.01", null);
    private static readonly Recipient PolresLahat = new("g", Role.AgencyOfficer, "16.04", "Polres Lahat");
    private static readonly Recipient OtherAgency = new("h", Role.AgencyOfficer, "16.04", "Dinas PU Lahat");
    private static readonly Recipient DeskOtherProvince = new("i", Role.DeskProvinsi, "17", null);

    private static readonly Recipient[] All = [DeskLahat, DeskPalembang, DeskProv, Kpps, NationalAdmin, CamatLahat01, PolresLahat, OtherAgency, DeskOtherProvince];

    [Fact]
    public void An_incident_reaches_the_roles_whose_subtree_covers_it_and_nobody_else()
    {
        var told = NotificationAudience.Select(All, NotificationKind.IncidentFiled, "16.04.01.2001").Select(r => r.UserId).Order().ToArray();
        Assert.Equal(["a", "c", "e", "f"], told);
        var elsewhere = NotificationAudience.Select(All, NotificationKind.IncidentEscalated, "16.04.02").Select(r => r.UserId).Order().ToArray();
        Assert.Equal(["a", "c", "e"], elsewhere); // the camat of 16.04.01 does not cover 16.04.02
    }

    [Fact]
    public void Scope_is_a_subtree_not_a_prefix()
    {
        var r = new Recipient("x", Role.DeskKabKota, "16.7", null);
        Assert.False(NotificationAudience.Includes(r, NotificationKind.IncidentFiled, "16.71.01"));
    }

    [Fact]
    public void An_action_reaches_the_desk_and_the_officers_of_its_owner_agency_only()
    {
        var told = NotificationAudience.Select(All, NotificationKind.ActionAssigned, "16.04", "polres lahat ").Select(r => r.UserId).Order().ToArray();
        Assert.Equal(["a", "c", "e", "g"], told);
        Assert.DoesNotContain(OtherAgency, NotificationAudience.Select(All, NotificationKind.ActionOverdue, "16.04", "Polres Lahat"));
        Assert.DoesNotContain(PolresLahat, NotificationAudience.Select(All, NotificationKind.IncidentFiled, "16.04"));
    }

    [Fact]
    public void Result_conflicts_reach_kpu_and_bawaslu_but_not_kpps()
    {
        var kpu = new Recipient("k", Role.KpuOperator, "16.04", null);
        var bawaslu = new Recipient("w", Role.Bawaslu, "16.04", null);
        Assert.True(NotificationAudience.Includes(kpu, NotificationKind.ResultConflict, "16.04.01.2001"));
        Assert.True(NotificationAudience.Includes(bawaslu, NotificationKind.AnomalyFlagged, "16.04.01.2001"));
        Assert.False(NotificationAudience.Includes(Kpps, NotificationKind.ResultConflict, "16.04.01.2001"));
    }

    private static NotificationPrefs Quiet(int from, int to) => NotificationPrefs.Default with { QuietFromMinute = from, QuietToMinute = to };

    [Fact]
    public void Quiet_hours_across_midnight_hold_mail_until_they_end_but_critical_breaks_through()
    {
        var p = Quiet(22 * 60, 6 * 60); // 22:00–06:00 WIB
        var at2330Wib = new DateTimeOffset(2024, 11, 20, 16, 30, 0, TimeSpan.Zero);
        var (due, digest) = NotificationSchedule.EmailDueAt(p, at2330Wib, critical: false);
        Assert.False(digest);
        Assert.Equal(new DateTimeOffset(2024, 11, 20, 23, 0, 0, TimeSpan.Zero), due); // 06:00 WIB next day
        Assert.Equal(at2330Wib, NotificationSchedule.EmailDueAt(p, at2330Wib, critical: true).At);
        var noon = new DateTimeOffset(2024, 11, 20, 5, 0, 0, TimeSpan.Zero);
        Assert.Equal(noon, NotificationSchedule.EmailDueAt(p, noon, false).At);
        var at0500Wib = new DateTimeOffset(2024, 11, 19, 22, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2024, 11, 19, 23, 0, 0, TimeSpan.Zero), NotificationSchedule.EmailDueAt(p, at0500Wib, false).At);
    }

    [Fact]
    public void A_digest_goes_at_the_next_digest_hour_and_after_quiet_hours()
    {
        var p = NotificationPrefs.Default with { Digest = true, DigestHour = 7 };
        var at0900Wib = new DateTimeOffset(2024, 11, 20, 2, 0, 0, TimeSpan.Zero);
        var (due, digest) = NotificationSchedule.EmailDueAt(p, at0900Wib, false);
        Assert.True(digest);
        Assert.Equal(new DateTimeOffset(2024, 11, 21, 0, 0, 0, TimeSpan.Zero), due); // 07:00 WIB tomorrow
        var at0600Wib = new DateTimeOffset(2024, 11, 19, 23, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2024, 11, 20, 0, 0, 0, TimeSpan.Zero), NotificationSchedule.EmailDueAt(p, at0600Wib, false).At);
        var quietMorning = p with { QuietFromMinute = 21 * 60, QuietToMinute = 8 * 60 };
        Assert.Equal(new DateTimeOffset(2024, 11, 21, 1, 0, 0, TimeSpan.Zero), NotificationSchedule.EmailDueAt(quietMorning, at0900Wib, false).At);
    }

    [Fact]
    public void Muted_kinds_are_dropped_except_critical_ones()
    {
        var p = NotificationPrefs.Default with { MutedKinds = new HashSet<NotificationKind> { NotificationKind.IncidentFiled }, Email = false };
        Assert.False(NotificationSchedule.Wants(p, NotificationKind.IncidentFiled, NotificationChannel.InApp, false));
        Assert.True(NotificationSchedule.Wants(p, NotificationKind.IncidentFiled, NotificationChannel.InApp, true));
        Assert.True(NotificationSchedule.Wants(p, NotificationKind.IncidentFiled, NotificationChannel.Email, true));
        Assert.False(NotificationSchedule.Wants(p, NotificationKind.IncidentVerified, NotificationChannel.Email, false));
    }

    [Fact]
    public void Backoff_doubles_up_to_an_hour_and_gives_up_after_the_last_attempt()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), NotificationSchedule.Backoff(1));
        Assert.Equal(TimeSpan.FromMinutes(1), NotificationSchedule.Backoff(2));
        Assert.Equal(TimeSpan.FromMinutes(4), NotificationSchedule.Backoff(4));
        Assert.Equal(TimeSpan.FromHours(1), NotificationSchedule.Backoff(12));
        Assert.False(NotificationSchedule.GivesUp(NotificationSchedule.MaxAttempts - 1));
        Assert.True(NotificationSchedule.GivesUp(NotificationSchedule.MaxAttempts));
    }

    [Fact]
    public void Late_readiness_tasks_become_one_notice_per_template_and_kab_kota_and_only_late_ones()
    {
        var target = new DateOnly(2024, 11, 17);
        Pantau.Core.Readiness.CriticalItem Item(string template, string region, int count, Pantau.Core.Readiness.Timeliness t = Pantau.Core.Readiness.Timeliness.Late,
            Pantau.Core.Readiness.TaskStatus status = Pantau.Core.Readiness.TaskStatus.NotStarted) =>
            new(template, "Judul " + template, "Title " + template, "PPS", region, null, count, status, t, target, 3, "r", "r", null);
        var notices = ReadinessLateNotices.Group([
            Item("tps-linmas", "16.04.01.2001", 4), Item("tps-linmas", "16.04.01.2001", 1, status: Pantau.Core.Readiness.TaskStatus.InProgress),
            Item("tps-linmas", "16.04.02.2003", 2), Item("tps-linmas", "16.71.01.1001", 5),
            Item("prov-posko", "16", 1), Item("kk-gudang", "16.04", 1),
            Item("tps-listrik", "16.04.01.2001", 3, Pantau.Core.Readiness.Timeliness.AtRisk),
        ]);
        Assert.Equal(["16:prov-posko", "16.04:kk-gudang", "16.04:tps-linmas", "16.71:tps-linmas"], notices.Select(n => n.RegionCode + ":" + n.TemplateCode));
        var lahat = notices.Single(n => n.RegionCode == "16.04" && n.TemplateCode == "tps-linmas");
        Assert.Equal(2, lahat.Regions);
        Assert.Equal(7, lahat.Tasks);
        Assert.Equal("readiness:tps-linmas:16.04:2024-11-17", lahat.Subject);
        Assert.Contains("7 tugas di 2 wilayah", lahat.BodyId);
        Assert.Contains("7 task(s) in 2 region(s)", lahat.BodyEn);
        // A kab/kota notice reaches the Desk of that kab/kota and the province, not the Desk of another kab/kota or a camat.
        var told = NotificationAudience.Select(All, NotificationKind.ReadinessLate, lahat.RegionCode).Select(r => r.UserId).Order().ToArray();
        Assert.Equal(["a", "c", "e"], told);
    }

    [Theory]
    [InlineData(NotificationKind.IncidentVerified, "16.04.01", "a,c,e,f")]
    [InlineData(NotificationKind.IncidentReferred, "16.04.01", "a,c,e,f")]
    [InlineData(NotificationKind.IncidentClosed, "16.71.01", "b,c,e")]
    [InlineData(NotificationKind.ActionDueSoon, "16.04", "a,c,e,g")]
    [InlineData(NotificationKind.ActionOverdue, "16.04.01", "a,c,e,g")]
    [InlineData(NotificationKind.ResultConflict, "16.04.01.2001", "a,c,e")]
    [InlineData(NotificationKind.AnomalyFlagged, "16.71.01.1001", "b,c,e")]
    [InlineData(NotificationKind.SituationReport, "16.04", "a,c,e")]
    [InlineData(NotificationKind.SituationReport, "16", "c,e")]
    [InlineData(NotificationKind.ReadinessLate, "17.01", "e,i")]
    public void Every_kind_reaches_its_roles_in_scope_and_nobody_else(NotificationKind kind, string region, string expected)
    {
        var told = NotificationAudience.Select(All, kind, region, "Polres Lahat").Select(r => r.UserId).Order();
        Assert.Equal(expected, string.Join(",", told));
    }

    [Fact]
    public void An_officer_of_any_role_whose_agency_field_names_the_owner_by_code_or_name_hears_of_its_actions()
    {
        var byCode = new Recipient("p", Role.Police, "16.04", "16.04:POLRES");
        var byName = new Recipient("q", Role.AgencyOfficer, "16.04", "Polres Lahat");
        var other = new Recipient("r", Role.Police, "16.04", "16.04:KODIM");
        Recipient[] users = [byCode, byName, other];
        Assert.Equal(["p", "q"], NotificationAudience.Select(users, NotificationKind.ActionOverdue, "16.04.01", "Polres Lahat", "16.04:POLRES").Select(r => r.UserId).Order());
        // Only actions: an incident does not reach an agency officer by agency.
        Assert.Empty(NotificationAudience.Select([byName], NotificationKind.IncidentFiled, "16.04.01", "Polres Lahat", "16.04:POLRES"));
    }
}
