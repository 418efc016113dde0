using Microsoft.EntityFrameworkCore;
using Pantau.Core.Readiness;
using Pantau.Core.Regions;
using Pantau.Data;
using Pantau.Data.Readiness;
using TaskStatus = Pantau.Core.Readiness.TaskStatus;

namespace Pantau.Web.Readiness;

public sealed record StageView(string Code, string NameId, string NameEn, DateOnly Start, DateOnly End, StageState State, long Version);
public sealed record TemplateView(string Code, ReadinessLevel Level, ReadinessCategory Category, string TitleId, string TitleEn, string Owner,
    string TargetRule, DateOnly? Target, bool BlocksVoting);
public sealed record TaskView(string TemplateCode, string TitleId, string TitleEn, ReadinessCategory Category, string Owner, bool BlocksVoting,
    string SubjectCode, string RegionCode, string? TpsCode, DateOnly Target, TaskStatus Status, Timeliness Timeliness, int DaysLate,
    string? Note, Guid? PhotoFileId, DateTimeOffset? UpdatedAt, string? UpdatedBy, long Version);
public sealed record RegionReadiness(string Code, string Name, RegionLevel Level, long Total, long Done, long InProgress, long Blocked,
    long Late, long AtRisk, double Score, string Band)
{
    public static RegionReadiness From(TreeRegion r, ReadinessCounts c) =>
        new(r.Code, r.Name, r.Level, c.Total, c.Done, c.InProgress, c.Blocked, c.Late, c.AtRisk, Math.Round(c.Score, 4), c.Band);
}
public sealed record TpsReadiness(string TpsCode, int Number, int Dpt, long Total, long Done, long Late, long AtRisk, double Score, IReadOnlyList<TaskView> Tasks);

/// <summary>What the Coordination dashboard needs: score, late and at-risk counts and the critical list of a region on a day.</summary>
public sealed record ReadinessSummary(string RegionCode, string Name, DateOnly Day, double Score, string Band, long Total, long Done, long Late,
    long AtRisk, long Blocked, IReadOnlyList<CriticalItem> Critical, int CriticalTotal);

public sealed record RegionDashboard(ReadinessSummary Summary, IReadOnlyList<TreeRegion> Lineage, IReadOnlyList<RegionReadiness> Children,
    IReadOnlyList<TaskView> Tasks, IReadOnlyList<TpsReadiness> Tps, LateList? Late = null);

/// <summary>
/// The late tasks of a region and everything beneath it (any task, not only those that block voting day), worst first. TPS tasks are
/// grouped per desa and template (<see cref="CriticalItem.Count"/> TPS); <see cref="Total"/> is the sum of the counts, which equals
/// <see cref="ReadinessSummary.Late"/>. <see cref="Items"/> holds at most the requested number of groups out of <see cref="Groups"/>.
/// </summary>
public sealed record LateList(string RegionCode, DateOnly Day, long Total, int Groups, IReadOnlyList<CriticalItem> Items);

/// <summary>
/// Readiness computations over the region tree. Tasks are virtual: every template applies to every region (or TPS) of its level and
/// only updated tasks have a row, so nothing is instantiated for the 13,206 TPS; counts come from one grouped query.
/// </summary>
public sealed class ReadinessService(PantauDbContext db, RegionTreeCache trees, TimeProvider time)
{
    public DateOnly Today => Schedule.Today(time.GetUtcNow());

    public async Task<List<Stage>> StagesAsync(CancellationToken ct = default)
    {
        await ReadinessSeeder.EnsureSeededAsync(db, ct);
        return (await db.TahapanStages.AsNoTracking().OrderBy(s => s.SortOrder).ThenBy(s => s.Start).ToListAsync(ct)).Select(s => s.ToStage()).ToList();
    }

    public async Task<List<StageView>> StageViewsAsync(DateOnly today, CancellationToken ct = default)
    {
        await ReadinessSeeder.EnsureSeededAsync(db, ct);
        var rows = await db.TahapanStages.AsNoTracking().OrderBy(s => s.Start).ThenBy(s => s.SortOrder).ToListAsync(ct);
        return rows.Select(s => new StageView(s.Code, s.NameId, s.NameEn, s.Start, s.End, Schedule.StateOf(s.ToStage(), today), s.Version)).ToList();
    }

    /// <summary>The templates with their target dates resolved against the current (editable) schedule.</summary>
    public async Task<List<(ReadinessTemplate T, DateOnly Target)>> TemplatesAsync(CancellationToken ct = default)
    {
        var stages = await StagesAsync(ct);
        var templates = await db.ReadinessTemplates.AsNoTracking().OrderBy(t => t.Level).ThenBy(t => t.SortOrder).ToListAsync(ct);
        return templates.Select(t => (t, TargetRule.TryParse(t.TargetRule, out var r) ? r.Resolve(stages) ?? Schedule.VotingDay : Schedule.VotingDay)).ToList();
    }

    public Task<RegionTree> TreeAsync(CancellationToken ct = default) => trees.GetAsync(ct);

    private sealed record Computation(RollupNode Root, Dictionary<string, RollupNode> Nodes, List<CriticalItem> Critical, List<CriticalItem> Late, RegionTree Tree);

    private async Task<Computation?> ComputeAsync(string code, DateOnly day, CancellationToken ct)
    {
        var tree = await trees.GetAsync(ct);
        if (!tree.Regions.TryGetValue(code, out var root)) return null;
        var templates = await TemplatesAsync(ct);
        var prefix = code + ".";
        var grouped = await db.ReadinessTaskStates.AsNoTracking()
            .Where(s => s.RegionCode == code || s.RegionCode.StartsWith(prefix))
            .GroupBy(s => new { s.TemplateCode, s.RegionCode, s.Status })
            .Select(g => new { g.Key.TemplateCode, g.Key.RegionCode, g.Key.Status, N = g.Count() })
            .ToListAsync(ct);
        var states = grouped.GroupBy(g => (g.TemplateCode, g.RegionCode))
            .ToDictionary(g => g.Key, g => g.Select(x => (x.Status, (long)x.N)).ToList());
        var notes = (await db.ReadinessTaskStates.AsNoTracking()
                .Where(s => (s.RegionCode == code || s.RegionCode.StartsWith(prefix)) && s.Status == TaskStatus.Blocked && s.TpsCode == null)
                .OrderBy(s => s.RegionCode).ThenBy(s => s.TemplateCode) // the same 2,000 every time when there are more
                .Select(s => new { s.TemplateCode, s.RegionCode, s.Note }).Take(2000).ToListAsync(ct))
            .ToDictionary(s => (s.TemplateCode, s.RegionCode), s => s.Note);
        var byLevel = templates.GroupBy(t => t.T.Level).ToDictionary(g => g.Key, g => g.ToList());
        var critical = new List<CriticalItem>();
        var late = new List<CriticalItem>();
        var nodes = new Dictionary<string, RollupNode>();

        RollupNode Build(TreeRegion r)
        {
            var own = ReadinessCounts.Zero;
            void Add(ReadinessTemplate t, DateOnly target, long subjects)
            {
                if (subjects == 0) return;
                var known = states.TryGetValue((t.Code, r.Code), out var list) ? list : [];
                var virtualNotStarted = subjects - known.Sum(k => k.Item2);
                var all = known.Select(k => (Status: k.Status, N: k.Item2)).ToList();
                if (virtualNotStarted > 0) all.Add((TaskStatus.NotStarted, virtualNotStarted));
                foreach (var (status, n) in all.GroupBy(a => a.Status).Select(g => (g.Key, g.Sum(x => x.N))))
                {
                    var tl = Lateness.Classify(status, target, day);
                    own += ReadinessCounts.Of(status, tl, n);
                    var isCritical = CriticalList.IsCritical(t.BlocksVoting, status, tl);
                    if (!isCritical && tl != Timeliness.Late) continue;
                    var note = t.Level == ReadinessLevel.Tps ? null : notes.GetValueOrDefault((t.Code, r.Code));
                    var (rid, ren) = CriticalList.Reason(status, tl, target, day, t.Level == ReadinessLevel.Tps ? (int)n : 1, note);
                    var item = new CriticalItem(t.Code, t.TitleId, t.TitleEn, t.Owner, r.Code, null, (int)n, status, tl, target,
                        Lateness.DaysLate(target, day), rid, ren, note);
                    if (isCritical) critical.Add(item);
                    if (tl == Timeliness.Late) late.Add(item);
                }
            }
            if (byLevel.TryGetValue((ReadinessLevel)(int)r.Level, out var mine))
                foreach (var (t, target) in mine) Add(t, target, 1);
            if (r.Level == RegionLevel.Desa && byLevel.TryGetValue(ReadinessLevel.Tps, out var tpsTemplates))
            {
                var count = tree.TpsOf(r.Code).Count;
                foreach (var (t, target) in tpsTemplates) Add(t, target, count);
            }
            var node = new RollupNode(r.Code, own);
            nodes[r.Code] = node;
            foreach (var c in tree.ChildrenOf(r.Code)) node.Children.Add(Build(c));
            return node;
        }

        var rootNode = Build(root);
        rootNode.Compute();
        return new Computation(rootNode, nodes, CriticalList.WorstFirst(critical).ToList(), CriticalList.WorstFirst(late).ToList(), tree);
    }

    /// <summary>Score, late/at-risk counts and the critical list (worst first) for a region on a day. Null when the region is unknown.</summary>
    public async Task<ReadinessSummary?> SummaryAsync(string regionCode, DateTimeOffset now, int criticalLimit = 20, CancellationToken ct = default) =>
        await SummaryAsync(regionCode, Schedule.Today(now), criticalLimit, ct);

    public async Task<ReadinessSummary?> SummaryAsync(string regionCode, DateOnly day, int criticalLimit = 20, CancellationToken ct = default)
    {
        var c = await ComputeAsync(regionCode, day, ct);
        return c is null ? null : ToSummary(c, regionCode, day, criticalLimit);
    }

    private static ReadinessSummary ToSummary(Computation c, string code, DateOnly day, int limit)
    {
        var t = c.Root.Total;
        return new ReadinessSummary(code, c.Tree.Regions[code].Name, day, Math.Round(t.Score, 4), t.Band, t.Total, t.Done, t.Late, t.AtRisk, t.Blocked,
            c.Critical.Take(Math.Max(0, limit)).ToList(), c.Critical.Count);
    }

    /// <summary>The late tasks under a region on a day (see <see cref="LateList"/>). Null when the region is unknown.</summary>
    public async Task<LateList?> LateAsync(string regionCode, DateOnly day, int limit = 100, CancellationToken ct = default)
    {
        var c = await ComputeAsync(regionCode, day, ct);
        return c is null ? null : ToLate(c, regionCode, day, limit);
    }

    private static LateList ToLate(Computation c, string code, DateOnly day, int limit) =>
        new(code, day, c.Late.Sum(i => (long)i.Count), c.Late.Count, c.Late.Take(Math.Max(0, limit)).ToList());

    public async Task<List<RegionReadiness>?> ChildrenAsync(string regionCode, DateOnly day, CancellationToken ct = default)
    {
        var c = await ComputeAsync(regionCode, day, ct);
        return c is null ? null : c.Root.Children.Select(n => RegionReadiness.From(c.Tree.Regions[n.Code], n.Total)).ToList();
    }

    public async Task<RegionDashboard?> DashboardAsync(string regionCode, DateOnly day, int criticalLimit = 50, CancellationToken ct = default, int lateLimit = 100)
    {
        var c = await ComputeAsync(regionCode, day, ct);
        if (c is null) return null;
        var lineage = RegionCode.Lineage(regionCode).Where(c.Tree.Regions.ContainsKey).Select(x => c.Tree.Regions[x]).ToList();
        var children = c.Root.Children.Select(n => RegionReadiness.From(c.Tree.Regions[n.Code], n.Total)).ToList();
        var tasks = await TasksAsync(regionCode, day, ct) ?? [];
        var tps = new List<TpsReadiness>();
        if (c.Tree.Regions[regionCode].Level == RegionLevel.Desa)
        {
            var templates = (await TemplatesAsync(ct)).Where(t => t.T.Level == ReadinessLevel.Tps).ToList();
            var rows = await db.ReadinessTaskStates.AsNoTracking().Where(s => s.RegionCode == regionCode && s.TpsCode != null).ToListAsync(ct);
            foreach (var tp in c.Tree.TpsOf(regionCode))
            {
                var views = templates.Select(t => View(t.T, t.Target, tp.Code, regionCode, tp.Code, rows.FirstOrDefault(r => r.TpsCode == tp.Code && r.TemplateCode == t.T.Code), day)).ToList();
                var counts = views.Aggregate(ReadinessCounts.Zero, (a, v) => a + ReadinessCounts.Of(v.Status, v.Timeliness));
                tps.Add(new TpsReadiness(tp.Code, tp.Number, tp.Dpt, counts.Total, counts.Done, counts.Late, counts.AtRisk, Math.Round(counts.Score, 4), views));
            }
        }
        return new RegionDashboard(ToSummary(c, regionCode, day, criticalLimit), lineage, children, tasks, tps, ToLate(c, regionCode, day, lateLimit));
    }

    /// <summary>The tasks of one region (its own level) or of one TPS.</summary>
    public async Task<List<TaskView>?> TasksAsync(string subjectCode, DateOnly day, CancellationToken ct = default)
    {
        var tree = await trees.GetAsync(ct);
        var (level, regionCode, tpsCode) = Subject(tree, subjectCode);
        if (level is null) return null;
        var templates = (await TemplatesAsync(ct)).Where(t => t.T.Level == level).ToList();
        var rows = await db.ReadinessTaskStates.AsNoTracking().Where(s => s.SubjectCode == subjectCode).ToListAsync(ct);
        return templates.Select(t => View(t.T, t.Target, subjectCode, regionCode!, tpsCode, rows.FirstOrDefault(r => r.TemplateCode == t.T.Code), day)).ToList();
    }

    /// <summary>Resolves a task subject: a region code (its level) or a TPS code (level TPS, region = its desa).</summary>
    public static (ReadinessLevel? Level, string? RegionCode, string? TpsCode) Subject(RegionTree tree, string subjectCode)
    {
        if (tree.Tps.TryGetValue(subjectCode, out var tps)) return (ReadinessLevel.Tps, tps.DesaCode, tps.Code);
        if (tree.Regions.TryGetValue(subjectCode, out var r)) return ((ReadinessLevel)(int)r.Level, r.Code, null);
        return (null, null, null);
    }

    public static TaskView View(ReadinessTemplate t, DateOnly target, string subject, string regionCode, string? tpsCode, ReadinessTaskState? s, DateOnly day)
    {
        var status = s?.Status ?? TaskStatus.NotStarted;
        return new TaskView(t.Code, t.TitleId, t.TitleEn, t.Category, t.Owner, t.BlocksVoting, subject, regionCode, tpsCode, target, status,
            Lateness.Classify(status, target, day), status == TaskStatus.Done ? 0 : Lateness.DaysLate(target, day), s?.Note, s?.PhotoFileId,
            s?.UpdatedAt, s?.UpdatedBy, s?.Version ?? 0);
    }
}
