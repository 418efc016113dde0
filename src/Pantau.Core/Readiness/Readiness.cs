namespace Pantau.Core.Readiness;

/// <summary>The level a readiness checklist item applies to.</summary>
public enum ReadinessLevel { Provinsi = 1, KabKota = 2, Kecamatan = 3, Desa = 4, Tps = 5 }

public enum ReadinessCategory { Infrastructure = 1, Logistics = 2, CountingIt = 3 }

public enum TaskStatus { NotStarted = 0, InProgress = 1, Done = 2, Blocked = 3 }

/// <summary>Timeliness of a task on a given day. Ordered worst last so that sorting descending puts the worst first.</summary>
public enum Timeliness { Done = 0, OnTime = 1, AtRisk = 2, Late = 3 }

/// <summary>Lateness rules (pure; the day is passed in).</summary>
public static class Lateness
{
    /// <summary>Days before the target at which an unfinished task turns "at risk".</summary>
    public const int RiskWindowDays = 3;

    /// <summary>
    /// A task is due by the end of its target day (local time). Not done and the target day has passed: <see cref="Timeliness.Late"/>.
    /// Not done and blocked, or the target is at most <see cref="RiskWindowDays"/> days away (the target day itself included) and the task
    /// has not started, or at most 1 day away while in progress: <see cref="Timeliness.AtRisk"/>. Otherwise on time.
    /// </summary>
    public static Timeliness Classify(TaskStatus status, DateOnly target, DateOnly today)
    {
        if (status == TaskStatus.Done) return Timeliness.Done;
        var left = target.DayNumber - today.DayNumber;
        if (left < 0) return Timeliness.Late;
        if (status == TaskStatus.Blocked) return Timeliness.AtRisk;
        if (status == TaskStatus.NotStarted && left <= RiskWindowDays) return Timeliness.AtRisk;
        if (status == TaskStatus.InProgress && left <= 1) return Timeliness.AtRisk;
        return Timeliness.OnTime;
    }

    public static Timeliness Classify(TaskStatus status, DateOnly target, DateTimeOffset now) => Classify(status, target, Schedule.Today(now));

    /// <summary>Days past the target (0 when not late).</summary>
    public static int DaysLate(DateOnly target, DateOnly today) => Math.Max(0, today.DayNumber - target.DayNumber);
}

/// <summary>Task counts of a region (its own tasks plus everything beneath it).</summary>
public readonly record struct ReadinessCounts(long Total, long Done, long InProgress, long Blocked, long Late, long AtRisk)
{
    public static readonly ReadinessCounts Zero = default;

    /// <summary>Share of tasks done, 0..1; a region without tasks counts as ready (1).</summary>
    public double Score => Total == 0 ? 1.0 : (double)Done / Total;

    public static ReadinessCounts operator +(ReadinessCounts a, ReadinessCounts b) =>
        new(a.Total + b.Total, a.Done + b.Done, a.InProgress + b.InProgress, a.Blocked + b.Blocked, a.Late + b.Late, a.AtRisk + b.AtRisk);

    /// <summary><paramref name="n"/> tasks with the same status and timeliness.</summary>
    public static ReadinessCounts Of(TaskStatus status, Timeliness t, long n = 1) => new(n,
        status == TaskStatus.Done ? n : 0, status == TaskStatus.InProgress ? n : 0, status == TaskStatus.Blocked ? n : 0,
        t == Timeliness.Late ? n : 0, t == Timeliness.AtRisk ? n : 0);

    /// <summary>Map band: ok (≥ 90 % done and nothing late), bad (&lt; 60 % done or more than 10 % of tasks late), warn otherwise.</summary>
    public string Band => Total == 0 ? "none" : Score >= 0.9 && Late == 0 ? "ok" : Score < 0.6 || Late * 10 > Total ? "bad" : "warn";
}

/// <summary>A node of the region tree used for the rollup: its own task counts and its children.</summary>
public sealed class RollupNode(string code, ReadinessCounts own)
{
    public string Code { get; } = code;
    public ReadinessCounts Own { get; } = own;
    public List<RollupNode> Children { get; } = [];
    public ReadinessCounts Total { get; private set; }

    /// <summary>Computes <see cref="Total"/> bottom-up: own tasks plus the totals of all children (iterative, no deep recursion).</summary>
    public ReadinessCounts Compute()
    {
        var order = new List<RollupNode>();
        var stack = new Stack<RollupNode>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            order.Add(n);
            foreach (var c in n.Children) stack.Push(c);
        }
        for (var i = order.Count - 1; i >= 0; i--)
        {
            var n = order[i];
            var t = n.Own;
            foreach (var c in n.Children) t += c.Total;
            n.Total = t;
        }
        return Total;
    }
}

/// <summary>An item of the critical list: an unfinished task (or a group of TPS tasks in one desa) that threatens voting day.</summary>
public sealed record CriticalItem(
    string TemplateCode, string TitleId, string TitleEn, string Owner, string RegionCode, string? TpsCode, int Count,
    TaskStatus Status, Timeliness Timeliness, DateOnly Target, int DaysLate, string ReasonId, string ReasonEn, string? Note);

public static class CriticalList
{
    /// <summary>Should this task be on the critical list? Only tasks that block voting day, unfinished and late, at risk or blocked.</summary>
    public static bool IsCritical(bool blocksVoting, TaskStatus status, Timeliness t) =>
        blocksVoting && status != TaskStatus.Done && (t is Timeliness.Late or Timeliness.AtRisk || status == TaskStatus.Blocked);

    /// <summary>Severity for ordering (higher = worse): late before blocked before at risk; then more days late; then more TPS affected.</summary>
    public static (int, int, int) Severity(CriticalItem i) =>
        (i.Timeliness == Timeliness.Late ? 3 : i.Status == TaskStatus.Blocked ? 2 : 1, i.DaysLate, i.Count);

    public static IEnumerable<CriticalItem> WorstFirst(IEnumerable<CriticalItem> items) =>
        items.OrderByDescending(Severity).ThenBy(i => i.Target).ThenBy(i => i.RegionCode, StringComparer.Ordinal).ThenBy(i => i.TemplateCode, StringComparer.Ordinal);

    /// <summary>Why the task is critical, in Indonesian and English.</summary>
    public static (string Id, string En) Reason(TaskStatus status, Timeliness t, DateOnly target, DateOnly today, int count, string? note)
    {
        var left = target.DayNumber - today.DayNumber;
        var subject = count > 1 ? ($"{count} TPS ", $"{count} TPS ") : ("", "");
        var (sid, sen) = status switch
        {
            TaskStatus.NotStarted => ("belum dimulai", "not started"),
            TaskStatus.InProgress => ("masih berjalan", "in progress"),
            TaskStatus.Blocked => ("terhambat", "blocked"),
            _ => ("selesai", "done"),
        };
        var (wid, wen) = t == Timeliness.Late
            ? ($"terlambat {-left} hari (target {target:yyyy-MM-dd})", $"{-left} day(s) late (target {target:yyyy-MM-dd})")
            : left == 0 ? ($"target hari ini ({target:yyyy-MM-dd})", $"due today ({target:yyyy-MM-dd})")
            : ($"target {left} hari lagi ({target:yyyy-MM-dd})", $"due in {left} day(s) ({target:yyyy-MM-dd})");
        var n = string.IsNullOrWhiteSpace(note) || status != TaskStatus.Blocked ? "" : ": " + note.Trim();
        return ($"{subject.Item1}{sid}, {wid}{n}", $"{subject.Item2}{sen}, {wen}{n}");
    }
}
