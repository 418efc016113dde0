using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Coordination;
using Pantau.Core.Interop;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Data.Interop;
using Pantau.Web.Admin;
using Pantau.Web.Coordination;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Interop;

/// <summary>
/// iCalendar feeds (RFC 5545) a phone's calendar subscribes to: the public tahapan schedule, and a private feed per user (its secret URL
/// revocable) with the tahapan, the rakor of the user's region and the deadlines of follow-up actions in the region or owned by the user's agency.
/// </summary>
public sealed class CalendarModule : IPantauModule
{
    /// <summary>How often a subscribed calendar is asked to refresh.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromHours(1);
    public static readonly TimeSpan MeetingLength = TimeSpan.FromHours(2);
    public static readonly TimeSpan DeadlineLength = TimeSpan.FromMinutes(30);

    public void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddScoped<CalendarFeeds>();

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/calendar").WithTags("Calendar (iCalendar)");
        g.MapGet("/tahapan.ics", Public).RequireRateLimiting(RateLimits.PublicApi)
            .WithSummary("Public tahapan schedule as an iCalendar feed (RFC 5545); ?lang=en for English names");
        g.MapGet("/feed/{secret}.ics", Private).RequireRateLimiting(RateLimits.PublicApi)
            .WithSummary("A user's private feed by its secret URL: tahapan, rakor and action deadlines in the user's scope; ?region= narrows it");
        g.MapGet("/feed", Status).RequireRoles(RoleGroups.SignedIn).WithSummary("Whether the caller has a private feed, and since when");
        g.MapPost("/feed", Create).RequireRoles(RoleGroups.SignedIn).WithoutRegionScope("the caller's own calendar feed")
            .WithSummary("Creates the caller's private feed URL (the previous one stops working); the URL is shown once");
        g.MapDelete("/feed", Revoke).RequireRoles(RoleGroups.SignedIn).WithoutRegionScope("the caller's own calendar feed")
            .WithSummary("Revokes the caller's private feed URL");
    }

    public sealed record FeedStatus(bool Active, DateTimeOffset? CreatedAt, string PublicUrl);
    public sealed record FeedCreated(string Url, DateTimeOffset CreatedAt);

    internal static async Task<ContentHttpResult> Public(CalendarFeeds feeds, HttpContext http, Lang lang, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.Content(await feeds.PublicAsync(lang.IsEnglish, ct), ICalendar.MediaType + "; charset=utf-8");
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> Private(CalendarFeeds feeds, HttpContext http, Lang lang, string secret, string? region, CancellationToken ct)
    {
        var (text, status) = await feeds.PrivateAsync(secret, region, lang.IsEnglish, BaseUrl(http), ct);
        http.Response.Headers.CacheControl = "private, max-age=300";
        return status switch
        {
            200 => TypedResults.Content(text!, ICalendar.MediaType + "; charset=utf-8"),
            400 => TypedResults.Problem(lang.T($"'{region}' bukan kode wilayah yang dikenal.", $"'{region}' is not a known region code."), statusCode: 400, title: "invalid-region",
                extensions: new Dictionary<string, object?> { ["code"] = "invalid-region" }),
            403 => TypedResults.Problem(lang.T("Wilayah di luar cakupan akun ini.", "Region outside this account's scope."), statusCode: 403, title: "out-of-scope",
                extensions: new Dictionary<string, object?> { ["code"] = "out-of-scope" }),
            _ => TypedResults.Problem(lang.T("Tautan kalender tidak dikenal atau sudah dicabut.", "Unknown or revoked calendar link."), statusCode: 404, title: "feed-not-found",
                extensions: new Dictionary<string, object?> { ["code"] = "feed-not-found" }),
        };
    }

    internal static async Task<Ok<FeedStatus>> Status(CalendarFeeds feeds, HttpContext http, CancellationToken ct)
    {
        var created = await feeds.ActiveSinceAsync(http.GetActor(), ct);
        return TypedResults.Ok(new FeedStatus(created is not null, created, BaseUrl(http) + "/api/calendar/tahapan.ics"));
    }

    internal static async Task<Created<FeedCreated>> Create(CalendarFeeds feeds, HttpContext http, CancellationToken ct)
    {
        var (secret, at) = await feeds.CreateAsync(http.GetActor(), ct);
        var url = BaseUrl(http) + $"/api/calendar/feed/{secret}.ics";
        return TypedResults.Created("/api/calendar/feed", new FeedCreated(url, at));
    }

    internal static async Task<NoContent> Revoke(CalendarFeeds feeds, HttpContext http, CancellationToken ct)
    {
        await feeds.RevokeAsync(http.GetActor(), ct);
        return TypedResults.NoContent();
    }

    public static string BaseUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
}

/// <summary>Builds the feeds and keeps the private feed secrets (only their SHA-256 is stored, as for API tokens).</summary>
public sealed class CalendarFeeds(PantauDbContext db, TimeProvider time, CoordinationService coordination)
{
    /// <summary>Rakor and deadlines older than this are left out of a feed (a phone keeps what it already has).</summary>
    public static readonly TimeSpan History = TimeSpan.FromDays(180);

    public static string NewSecret() => "pc_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public async Task<string> PublicAsync(bool english, CancellationToken ct)
    {
        var items = await TahapanAsync(english, ct);
        return ICalendar.Write(english ? "Pantau: election schedule (tahapan)" : "Pantau: tahapan pemilihan", items, time.GetUtcNow(), CalendarModule.Refresh);
    }

    private async Task<List<CalendarItem>> TahapanAsync(bool english, CancellationToken ct) =>
        (await db.TahapanStages.AsNoTracking().OrderBy(s => s.Start).ThenBy(s => s.SortOrder).ToListAsync(ct))
            .Select(s => new CalendarItem($"tahapan-{s.Code}@pantau", english ? s.NameEn : s.NameId, new CalendarWhen.Days(s.Start, s.End),
                Category: english ? "Schedule" : "Tahapan")).ToList();

    /// <summary>The private feed of the account holding <paramref name="secret"/>, or the HTTP status of the refusal.</summary>
    public async Task<(string? Text, int Status)> PrivateAsync(string secret, string? region, bool english, string baseUrl, CancellationToken ct)
    {
        if (secret.Length is < 10 or > 100) return (null, 404);
        var hash = AuthSetup.HashToken(secret);
        var owner = await (from f in db.CalendarFeeds.AsNoTracking()
                           where f.SecretHash == hash && f.RevokedAt == null
                           join u in db.Users.AsNoTracking() on f.UserId equals u.Id
                           select new { u.Id, u.UserName, u.Role, u.ScopeCode, u.LockoutEnd }).FirstOrDefaultAsync(ct);
        if (owner is null || owner.LockoutEnd >= AccountService.DisabledUntil) return (null, 404);
        var actor = new Actor(owner.Id, owner.UserName ?? "", owner.Role, owner.ScopeCode);
        var scope = actor.HomeRegion; // a TPS (KPPS) scope: the rakor and actions of its desa
        if (region is { Length: > 0 })
        {
            if (!RegionCode.IsValid(region) || !await db.Regions.AnyAsync(r => r.Code == region, ct)) return (null, 400);
            if (!actor.Reads(region)) return (null, 403);
            scope = region;
        }
        var since = time.GetUtcNow() - History;
        var items = await TahapanAsync(english, ct);

        var meetings = await db.Meetings.AsNoTracking().Where(CoordinationService.Within<Data.Coordination.Meeting>(scope, m => m.RegionCode))
            .Where(m => m.HeldAt >= since).OrderBy(m => m.HeldAt).Take(1000)
            .Select(m => new { m.Id, m.Title, m.HeldAt, m.Location, m.Chair, m.RegionCode, m.Version }).ToListAsync(ct);
        items.AddRange(meetings.Select(m => new CalendarItem($"rakor-{m.Id}@pantau", (english ? "Meeting: " : "Rakor: ") + m.Title,
            new CalendarWhen.At(m.HeldAt, CalendarModule.MeetingLength),
            Description: m.Chair is { Length: > 0 } ? (english ? "Chair: " : "Pimpinan: ") + m.Chair : null,
            Location: m.Location, Url: $"{baseUrl}/koordinasi/rakor/{m.Id}", Category: "Rakor")));

        var agencies = await coordination.AgenciesOfAsync(actor, ct);
        var inScope = db.FollowUpActions.AsNoTracking().Where(CoordinationService.Within<Data.Coordination.FollowUpAction>(scope, a => a.RegionCode));
        var owned = db.FollowUpActions.AsNoTracking().Where(a => agencies.Contains(a.OwnerAgencyId));
        var actions = new List<ActionRow>();
        foreach (var q in agencies.Count > 0 ? [inScope, owned] : new[] { inScope })
            actions.AddRange(await q.Where(a => a.DueAt >= since).OrderBy(a => a.DueAt).Take(2000)
                .Select(a => new ActionRow(a.Id, a.Title, a.DueAt, a.Status, a.UpdatedAt, a.OwnerAgency!.Name)).ToListAsync(ct));
        items.AddRange(actions.DistinctBy(a => a.Id).Select(a => new CalendarItem($"tindak-lanjut-{a.Id}@pantau",
            (english ? "Due: " : "Tenggat: ") + a.Title + (a.Status == ActionStatus.Done ? (english ? " (done)" : " (selesai)") : ""),
            new CalendarWhen.At(a.DueAt, CalendarModule.DeadlineLength),
            Description: (english ? "Owner: " : "Penanggung jawab: ") + a.Owner + "\n" + (english ? "Status: " : "Status: ") + StatusName(a.Status, english),
            Url: $"{baseUrl}/koordinasi/tindak-lanjut", Category: english ? "Follow-up action" : "Tindak lanjut",
            LastModified: a.UpdatedAt, Cancelled: a.Status == ActionStatus.Cancelled)));

        var name = english ? $"Pantau: {owner.UserName} (tahapan, meetings, deadlines)" : $"Pantau: {owner.UserName} (tahapan, rakor, tenggat)";
        return (ICalendar.Write(name, items, time.GetUtcNow(), CalendarModule.Refresh), 200);
    }

    private sealed record ActionRow(int Id, string Title, DateTimeOffset DueAt, ActionStatus Status, DateTimeOffset UpdatedAt, string Owner);

    private static string StatusName(ActionStatus s, bool english) => s switch
    {
        ActionStatus.Open => english ? "open" : "terbuka",
        ActionStatus.InProgress => english ? "in progress" : "sedang dikerjakan",
        ActionStatus.Done => english ? "done" : "selesai",
        _ => english ? "cancelled" : "dibatalkan",
    };

    public async Task<DateTimeOffset?> ActiveSinceAsync(Actor actor, CancellationToken ct) =>
        await db.CalendarFeeds.AsNoTracking().Where(f => f.UserId == actor.UserId && f.RevokedAt == null)
            .OrderByDescending(f => f.CreatedAt).Select(f => (DateTimeOffset?)f.CreatedAt).FirstOrDefaultAsync(ct);

    /// <summary>A new secret for the caller; every earlier one is revoked in the same save (so the old URL stops at once).</summary>
    public async Task<(string Secret, DateTimeOffset At)> CreateAsync(Actor actor, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var old in await db.CalendarFeeds.Where(f => f.UserId == actor.UserId && f.RevokedAt == null).ToListAsync(ct)) old.RevokedAt = now;
        var secret = NewSecret();
        db.CalendarFeeds.Add(new CalendarFeed { UserId = actor.UserId, SecretHash = AuthSetup.HashToken(secret), CreatedAt = now });
        await db.SaveChangesAsync(ct);
        return (secret, now);
    }

    public async Task RevokeAsync(Actor actor, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var active = await db.CalendarFeeds.Where(f => f.UserId == actor.UserId && f.RevokedAt == null).ToListAsync(ct);
        foreach (var f in active) f.RevokedAt = now;
        if (active.Count > 0) await db.SaveChangesAsync(ct);
    }
}
