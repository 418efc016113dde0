using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Data.Auditing;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Admin;

public sealed record AuditFilter(string? User = null, string? Entity = null, string? Key = null, DateOnly? From = null, DateOnly? To = null,
    int Page = 1, int PageSize = 50);
public sealed record AuditDto(long Id, DateTimeOffset At, string UserName, string UserId, string? RemoteIp, string Action, string EntityType,
    string EntityKey, string? Before, string? After);

/// <summary>Reading the audit trail (admins). A national admin sees everything; a scoped admin sees changes made by accounts inside their scope.</summary>
public sealed class AuditLog(PantauDbContext db)
{
    public const int MaxExportRows = 100_000;

    public IQueryable<AuditEntry> Query(Actor actor, AuditFilter f)
    {
        var q = db.AuditEntries.AsNoTracking();
        var s = actor.ScopeCode;
        if (s.Length > 0)
        {
            // Accounts inside the scope: the region, regions beneath it, and the TPS-scoped (KPPS) accounts of its desa.
            var (dotted, numeric) = Pantau.Core.Security.Scopes.Prefixes(s);
            var tpsScoped = Pantau.Core.Regions.RegionCode.IsValid(s);
            q = q.Where(a => db.Users.Any(u => u.Id == a.UserId && (u.ScopeCode == s || u.ScopeCode.StartsWith(dotted)
                || (tpsScoped && u.ScopeCode.Length == 13 && !u.ScopeCode.Contains(".") && u.ScopeCode.StartsWith(numeric)))));
        }
        if (!string.IsNullOrWhiteSpace(f.User)) { var u = f.User.Trim(); q = q.Where(a => a.UserName == u || a.UserId == u); }
        if (!string.IsNullOrWhiteSpace(f.Entity)) { var e = f.Entity.Trim(); q = q.Where(a => a.EntityType == e); }
        if (!string.IsNullOrWhiteSpace(f.Key)) { var k = f.Key.Trim(); q = q.Where(a => a.EntityKey == k); }
        // Dates are calendar days in WIB (UTC+7), the province's time zone.
        if (f.From is { } from) { var t = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(7)).ToUniversalTime(); q = q.Where(a => a.At >= t); }
        if (f.To is { } to) { var t = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(7)).ToUniversalTime(); q = q.Where(a => a.At < t); }
        return q;
    }

    public async Task<Page<AuditDto>> ListAsync(Actor actor, AuditFilter f, CancellationToken ct = default)
    {
        var q = Query(actor, f);
        var size = Math.Clamp(f.PageSize, 1, 500);
        var page = Math.Max(1, f.Page);
        var total = await q.CountAsync(ct);
        var rows = await q.OrderByDescending(a => a.Id).Skip((page - 1) * size).Take(size).Select(Dto).ToListAsync(ct);
        return new(rows, total, page, size);
    }

    public async Task<List<AuditDto>> ExportRowsAsync(Actor actor, AuditFilter f, CancellationToken ct = default) =>
        await Query(actor, f).OrderBy(a => a.Id).Take(MaxExportRows).Select(Dto).ToListAsync(ct);

    public async Task<List<string>> EntityTypesAsync(CancellationToken ct = default) =>
        await db.AuditEntries.AsNoTracking().Select(a => a.EntityType).Distinct().OrderBy(t => t).ToListAsync(ct);

    private static readonly System.Linq.Expressions.Expression<Func<AuditEntry, AuditDto>> Dto =
        a => new AuditDto(a.Id, a.At, a.UserName, a.UserId, a.RemoteIp, a.Action, a.EntityType, a.EntityKey, a.Before, a.After);

    public static IReadOnlyList<(string Header, Func<AuditDto, object?> Value)> Columns { get; } =
    [
        ("id", a => a.Id), ("at", a => a.At), ("user", a => a.UserName), ("user_id", a => a.UserId), ("ip", a => a.RemoteIp),
        ("action", a => a.Action), ("entity", a => a.EntityType), ("key", a => a.EntityKey), ("before", a => a.Before), ("after", a => a.After),
    ];

    public static IResult Export(List<AuditDto> rows, string? format)
    {
        if (string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase))
            return Infrastructure.Export.Xlsx(new Dictionary<string, IEnumerable<IDictionary<string, object?>>>
            {
                ["Audit"] = rows.Select(r => (IDictionary<string, object?>)Columns.ToDictionary(c => c.Header, c => c.Value(r) is DateTimeOffset d ? d.ToString("yyyy-MM-dd'T'HH:mm:ssK") : c.Value(r))),
            }, "audit.xlsx");
        return Infrastructure.Export.Csv(rows, Columns, "audit.csv");
    }
}

/// <summary>
/// Makes the audit trail append-only in the database itself: triggers reject UPDATE and DELETE on "AuditEntries"
/// (SQLite and PostgreSQL). Applied at start-up after the migrations (idempotent), so regenerating migrations cannot drop it.
/// </summary>
public static class AuditGuard
{
    public const string Message = "AuditEntries is append-only";

    public static async Task EnsureAsync(PantauDbContext db, CancellationToken ct = default)
    {
        var sql = db.Database.IsNpgsql()
            ? $"""
               CREATE OR REPLACE FUNCTION pantau_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
               BEGIN RAISE EXCEPTION '{Message}'; END $$;
               DROP TRIGGER IF EXISTS audit_append_only ON "AuditEntries";
               CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON "AuditEntries" FOR EACH ROW EXECUTE FUNCTION pantau_audit_append_only();
               DROP TRIGGER IF EXISTS audit_no_truncate ON "AuditEntries";
               CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON "AuditEntries" FOR EACH STATEMENT EXECUTE FUNCTION pantau_audit_append_only();
               """
            : $"""
               CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON "AuditEntries" BEGIN SELECT RAISE(ABORT, '{Message}'); END;
               CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON "AuditEntries" BEGIN SELECT RAISE(ABORT, '{Message}'); END;
               """;
        if (!db.Database.IsNpgsql()) { await db.Database.ExecuteSqlRawAsync(sql, ct); return; }
        // Several instances may start at once: serialize the DDL with a transaction-scoped advisory lock.
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7742101)", ct);
            await db.Database.ExecuteSqlRawAsync(sql, ct);
            await tx.CommitAsync(ct);
        });
    }
}
