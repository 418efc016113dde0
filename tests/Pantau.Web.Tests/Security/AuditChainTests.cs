using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Admin;
using Pantau.Web.Infrastructure;
using Pantau.Web.Tally;

namespace Pantau.Web.Tests.Security;

/// <summary>
/// Issue 20 point 10: the audit rows form a hash chain (Core's AuditChain), written by every writer of audit rows (the DbContext's
/// save, the tally intake's lean writer, concurrent requests) without a fork, and verify names the first row deleted or altered
/// behind the application's back (after dropping the append-only triggers).
/// </summary>
public class AuditChainTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    private static async Task<VerifyReport> Verify(PantauApp app)
    {
        using var scope = app.Services.CreateScope();
        var keys = scope.ServiceProvider.GetRequiredService<TallyKeys>();
        await using var db = app.NewDbContext();
        return await TallyVerifier.VerifyAsync(db, keys.Signer);
    }

    private static async Task DropGuard(PantauApp app)
    {
        await using var db = app.NewDbContext();
        if (db.Database.IsNpgsql())
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER audit_append_only ON \"AuditEntries\"; DROP TRIGGER audit_no_truncate ON \"AuditEntries\";");
        else
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;");
    }

    private static async Task<PantauApp> WithHistoryAsync(DatabaseProvider provider)
    {
        var app = await PantauApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Pantau:RunJobs"] = "false" });
        var admin = await app.ClientForAsync(Role.Admin, "");
        // Concurrent audited writes through the DbContext (user accounts) and through the tally intake's lean writer.
        var users = Enumerable.Range(0, 12).Select(i => admin.PostAsJsonAsync("/api/admin/users", new NewUser($"pps-chain-{i}", null, Role.PpsOperator, "16.71.01", null)));
        List<string> tps;
        await using (var db = app.NewDbContext())
            tps = await db.Tps.Where(t => t.DesaCode.StartsWith("16.71.01")).OrderBy(t => t.Code).Take(8).Select(t => t.Code).ToListAsync();
        var sheets = tps.Select(t => admin.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid("PILGUB-16", t, 100, 80))));
        foreach (var res in await Task.WhenAll(users.Concat(sheets)))
            Assert.True(res.IsSuccessStatusCode, $"{(int)res.StatusCode}: {await res.Content.ReadAsStringAsync()}");
        return app;
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Every_writer_appends_to_one_unforked_chain_and_verify_checks_it(DatabaseProvider provider)
    {
        await using var app = await WithHistoryAsync(provider);
        await using var db = app.NewDbContext();
        var seqs = await db.AuditEntries.OrderBy(a => a.Seq).Select(a => a.Seq).ToListAsync();
        Assert.True(seqs.Count > 20, $"only {seqs.Count} audit rows");
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        Assert.Contains(await db.AuditEntries.Select(a => a.EntityType).ToListAsync(), t => t == "ResultVersion");
        var report = await Verify(app);
        Assert.True(report.Ok, report.FirstDivergence);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Verify_names_an_audit_row_deleted_behind_the_app(DatabaseProvider provider)
    {
        await using var app = await WithHistoryAsync(provider);
        await DropGuard(app);
        long victim;
        await using (var db = app.NewDbContext())
        {
            victim = await db.AuditEntries.Where(a => a.EntityType == "PantauUser").OrderBy(a => a.Seq).Select(a => a.Seq).Skip(3).FirstAsync();
            Assert.Equal(1, await db.Database.ExecuteSqlAsync($"DELETE FROM \"AuditEntries\" WHERE \"Seq\" = {victim}"));
        }
        var report = await Verify(app);
        Assert.False(report.Ok);
        Assert.Contains($"audit row {victim} is missing", report.FirstDivergence);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Verify_names_an_audit_row_altered_behind_the_app(DatabaseProvider provider)
    {
        await using var app = await WithHistoryAsync(provider);
        await DropGuard(app);
        long victim;
        await using (var db = app.NewDbContext())
        {
            victim = await db.AuditEntries.Where(a => a.EntityType == "ResultVersion").OrderBy(a => a.Seq).Select(a => a.Seq).FirstAsync();
            Assert.Equal(1, await db.Database.ExecuteSqlAsync($"UPDATE \"AuditEntries\" SET \"UserName\" = 'mallory' WHERE \"Seq\" = {victim}"));
        }
        var report = await Verify(app);
        Assert.False(report.Ok);
        Assert.StartsWith($"audit row {victim}: hash mismatch", report.FirstDivergence);

        // Deleting the last row is not visible in the chain itself; a row in the middle re-hashed to look right breaks the next one.
        await using (var db = app.NewDbContext())
        {
            var row = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.Seq == victim);
            var rehash = AuditChain.Next(row.PrevHash, AuditChain.Canonical(row.Seq, row.At, row.UserId, row.UserName, row.RemoteIp, row.Action, row.EntityType, row.EntityKey, row.Before, row.After));
            await db.Database.ExecuteSqlAsync($"UPDATE \"AuditEntries\" SET \"Hash\" = {rehash} WHERE \"Seq\" = {victim}");
        }
        report = await Verify(app);
        Assert.False(report.Ok);
        Assert.StartsWith($"audit row {victim + 1}: previous hash", report.FirstDivergence);
    }
}
