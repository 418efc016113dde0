using Pantau.Core.Security;

namespace Pantau.Core.Incidents;

/// <summary>What an officer does to a report.</summary>
public enum IncidentAction
{
    Verify = 1,
    Reject = 2,
    MergeInto = 3,
    Refer = 4,
    RecordAction = 5,
    Close = 6,
    Reopen = 7,
}

public sealed record TransitionDecision(bool Allowed, IncidentStatus To, string? Error)
{
    public static TransitionDecision Deny(string error) => new(false, default, error);
}

/// <summary>
/// The report state machine (pure). New → Verified | Rejected | Merged; Verified → Referred | Rejected | Merged;
/// Referred → Referred (next agency in the chain) | ActionTaken; ActionTaken → ActionTaken (further action) | Closed (Desk approval);
/// Closed | Rejected → reopened by the Desk (Closed → Verified, Rejected → New).
/// </summary>
public static class IncidentWorkflow
{
    private static readonly Dictionary<(IncidentStatus From, IncidentAction Action), IncidentStatus> Edges = new()
    {
        [(IncidentStatus.New, IncidentAction.Verify)] = IncidentStatus.Verified,
        [(IncidentStatus.New, IncidentAction.Reject)] = IncidentStatus.Rejected,
        [(IncidentStatus.New, IncidentAction.MergeInto)] = IncidentStatus.Merged,
        [(IncidentStatus.Verified, IncidentAction.Reject)] = IncidentStatus.Rejected,
        [(IncidentStatus.Verified, IncidentAction.MergeInto)] = IncidentStatus.Merged,
        [(IncidentStatus.Verified, IncidentAction.Refer)] = IncidentStatus.Referred,
        [(IncidentStatus.Referred, IncidentAction.Refer)] = IncidentStatus.Referred,
        [(IncidentStatus.Referred, IncidentAction.RecordAction)] = IncidentStatus.ActionTaken,
        [(IncidentStatus.ActionTaken, IncidentAction.RecordAction)] = IncidentStatus.ActionTaken,
        [(IncidentStatus.ActionTaken, IncidentAction.Close)] = IncidentStatus.Closed,
        [(IncidentStatus.Closed, IncidentAction.Reopen)] = IncidentStatus.Verified,
        [(IncidentStatus.Rejected, IncidentAction.Reopen)] = IncidentStatus.New,
    };

    /// <summary>Actions only the Desk Pilkada may take (approval of closure, reopening).</summary>
    public static readonly IncidentAction[] DeskOnly = [IncidentAction.Close, IncidentAction.Reopen];

    public static IReadOnlyCollection<Role> RolesFor(IncidentAction action) => DeskOnly.Contains(action) ? RoleGroups.Desk : RoleGroups.Officers;

    public static bool IsOpen(IncidentStatus s) => s is IncidentStatus.New or IncidentStatus.Verified or IncidentStatus.Referred or IncidentStatus.ActionTaken;

    /// <summary>Statuses that count as confirmed incidents for the kerawanan index.</summary>
    public static bool IsConfirmed(IncidentStatus s) => s is IncidentStatus.Verified or IncidentStatus.Referred or IncidentStatus.ActionTaken or IncidentStatus.Closed;

    public static IncidentStatus? Next(IncidentStatus from, IncidentAction action) => Edges.TryGetValue((from, action), out var to) ? to : null;

    public static IEnumerable<IncidentAction> AllowedActions(IncidentStatus from, Role role) =>
        Enum.GetValues<IncidentAction>().Where(a => Decide(from, a, role).Allowed);

    public static TransitionDecision Decide(IncidentStatus from, IncidentAction action, Role role)
    {
        if (!RolesFor(action).Contains(role))
            return TransitionDecision.Deny(DeskOnly.Contains(action)
                ? "Hanya Desk Pilkada yang dapat menyetujui penutupan atau membuka kembali laporan / only the Desk Pilkada may approve closing or reopen a report."
                : "Peran Anda tidak dapat menangani laporan / your role cannot work on reports.");
        var to = Next(from, action);
        return to is null
            ? TransitionDecision.Deny($"Tindakan {action} tidak dapat dilakukan pada laporan berstatus {from} / action {action} is not allowed from status {from}.")
            : new TransitionDecision(true, to.Value, null);
    }

    /// <summary>The referral chain for civil-service neutrality: Bawaslu first, then BKN / KASN / the agency's staffing officer.</summary>
    public static bool IsValidAsnReferral(Agency? previous, Agency next) => previous is null
        ? next == Agency.Bawaslu
        : previous == Agency.Bawaslu ? next is Agency.Bkn or Agency.Kasn or Agency.PpkInstansi
        : next is Agency.Bkn or Agency.Kasn or Agency.PpkInstansi && next != previous;

    /// <summary>The agency suggested for a category's first referral.</summary>
    public static Agency SuggestedAgency(IncidentCategory c) => c switch
    {
        IncidentCategory.Hoax => Agency.Kominfo,
        IncidentCategory.AsnNeutrality or IncidentCategory.MoneyPolitics => Agency.Bawaslu,
        IncidentCategory.SecurityIncident or IncidentCategory.HorizontalConflict or IncidentCategory.Intimidation => Agency.Police,
        IncidentCategory.Logistics => Agency.Kpu,
        _ => Agency.RegionalGovernment,
    };
}

/// <summary>Where a report stands against its service-level targets.</summary>
public enum SlaStage { None = 0, Verify = 1, Act = 2 }

public sealed record SlaState(SlaStage Stage, DateTimeOffset? DueAt, bool IsOverdue);

/// <summary>
/// Service levels per severity: time to verify (from the report) and time to act (from verification to the first recorded action).
/// Critical 2 h / 8 h, high 6 h / 24 h, medium 24 h / 72 h, low 72 h / 7 days.
/// </summary>
public static class Sla
{
    public static (TimeSpan Verify, TimeSpan Act) For(Severity s) => s switch
    {
        Severity.Critical => (TimeSpan.FromHours(2), TimeSpan.FromHours(8)),
        Severity.High => (TimeSpan.FromHours(6), TimeSpan.FromHours(24)),
        Severity.Medium => (TimeSpan.FromHours(24), TimeSpan.FromHours(72)),
        _ => (TimeSpan.FromHours(72), TimeSpan.FromDays(7)),
    };

    public static SlaState Evaluate(IncidentStatus status, Severity severity, DateTimeOffset reportedAt, DateTimeOffset? verifiedAt, DateTimeOffset now)
    {
        var (verify, act) = For(severity);
        return status switch
        {
            IncidentStatus.New => State(SlaStage.Verify, reportedAt + verify, now),
            IncidentStatus.Verified or IncidentStatus.Referred => State(SlaStage.Act, (verifiedAt ?? reportedAt) + act, now),
            _ => new SlaState(SlaStage.None, null, false),
        };
    }

    private static SlaState State(SlaStage stage, DateTimeOffset due, DateTimeOffset now) => new(stage, due, now > due);
}
