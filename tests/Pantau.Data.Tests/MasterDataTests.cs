using Microsoft.EntityFrameworkCore;
using Pantau.Core.Regions;
using Pantau.Data.Import;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Data.Tests;

public class MasterDataTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    [Theory, MemberData(nameof(Providers))]
    public async Task Import_yields_the_source_counts(DatabaseProvider provider)
    {
        await using var tdb = await TestDatabase.CreateAsync(provider);
        await using var db = tdb.NewContext();
        Assert.Equal(1, await db.Regions.CountAsync(r => r.Level == RegionLevel.Provinsi && r.Code == "16"));
        Assert.Equal(17, await db.Regions.CountAsync(r => r.Level == RegionLevel.KabKota && r.ParentCode == "16"));
        Assert.Equal(241, await db.Regions.CountAsync(r => r.Level == RegionLevel.Kecamatan && r.Code.StartsWith("16.")));
        Assert.Equal(3258, await db.Regions.CountAsync(r => r.Level == RegionLevel.Desa && r.Code.StartsWith("16.")));
        Assert.Equal(25985, await db.PemiluTps.CountAsync());
        Assert.Equal(13206, await db.Tps.CountAsync());
        Assert.Equal(6_382_739, await db.Tps.SumAsync(t => (long)t.Dpt));
        Assert.True(await db.Tps.AllAsync(t => t.IsSynthetic && t.Dpt > 0 && t.Dpt <= 600 && t.DptMale + t.DptFemale == t.Dpt));
        Assert.Equal(37, await db.Regions.CountAsync(r => r.Level == RegionLevel.Provinsi));
        Assert.Equal(514, await db.Regions.CountAsync(r => r.Level == RegionLevel.KabKota));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Contests_cover_the_governor_and_all_17_regions(DatabaseProvider provider)
    {
        await using var tdb = await TestDatabase.CreateAsync(provider);
        await using var db = tdb.NewContext();
        var contests = await db.Contests.Include(c => c.Paslon).ToListAsync();
        Assert.Equal(18, contests.Count);
        var gov = contests.Single(c => c.Code == "PILGUB-16");
        Assert.Equal(["Herman Deru", "Eddy Santana Putra", "Mawardi Yahya"], gov.Paslon.OrderBy(p => p.Number).Select(p => p.Candidate));
        Assert.False(gov.HasSyntheticPaslon);
        // Ogan Ilir: a single paslon against the kolom kosong.
        var oi = contests.Single(c => c.RegionCode == "16.10");
        Assert.Equal(2, oi.Paslon.Count);
        Assert.Single(oi.Paslon, p => p.IsKolomKosong && p.Number == 0);
        // PALI: no paslon in the sources: synthetic ones, marked as such.
        var pali = contests.Single(c => c.RegionCode == "16.12");
        Assert.True(pali.HasSyntheticPaslon);
        Assert.All(pali.Paslon, p => Assert.True(p.IsSynthetic));
        // Pagar Alam: three paslon reported, the third synthesized.
        var pagarAlam = contests.Single(c => c.RegionCode == "16.72");
        Assert.Equal(3, pagarAlam.Paslon.Count);
        Assert.True(pagarAlam.Paslon.Single(p => p.Number == 3).IsSynthetic);
        Assert.False(pagarAlam.Paslon.Single(p => p.Number == 1).IsSynthetic);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Import_is_idempotent(DatabaseProvider provider)
    {
        await using var tdb = await TestDatabase.CreateAsync(provider);
        await using var db = tdb.NewContext();
        var audits = await db.AuditEntries.CountAsync();
        var report = await new MasterDataImporter(db).ImportAsync(TestDatabase.SharedDataDir, ["16"]);
        Assert.Equal(0, report.Inserted);
        Assert.Equal(0, report.Updated);
        Assert.True(report.Unchanged > 40_000);
        Assert.Equal(13206, await db.Tps.CountAsync());
        // One summary audit row per import run.
        Assert.Equal(audits + 1, await db.AuditEntries.CountAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Malformed_rows_are_reported_with_line_numbers_and_nothing_is_written(DatabaseProvider provider)
    {
        var copy = CopySharedData();
        try
        {
            var desa = Path.Combine(copy, "wilayah", "kepmendagri-2022", "desa_kelurahan.csv");
            var lines = File.ReadAllLines(desa).ToList();
            var target = lines.FindIndex(l => l.StartsWith("16.71.01.", StringComparison.Ordinal));
            lines[target] = "16.71.01.10X1,1671011001,16.71.01,Broken,kelurahan";
            lines.Insert(target + 1, "16.71.99.1001,1671991001,16.71.99,Orphan,kelurahan");
            File.WriteAllLines(desa, lines);

            await using var tdb = await TestDatabase.CreateAsync(provider, seeded: false);
            await using var db = tdb.NewContext();
            var ex = await Assert.ThrowsAsync<ImportException>(() => new MasterDataImporter(db).ImportAsync(copy, ["16"]));
            Assert.Contains(ex.Errors, e => e.Line == target + 1 && e.Message.Contains("16.71.01.10X1"));
            Assert.Contains(ex.Errors, e => e.Line == target + 2 && e.Message.Contains("unknown"));
            Assert.Equal(0, await db.Regions.CountAsync());
            Assert.Equal(0, await db.Tps.CountAsync());
        }
        finally { Directory.Delete(copy, recursive: true); }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Changes_are_audited_with_before_and_after(DatabaseProvider provider)
    {
        await using var tdb = await TestDatabase.CreateAsync(provider);
        await using (var db = tdb.NewContext())
        {
            var tps = await db.Tps.FirstAsync(t => t.Code == "1671011001001");
            tps.Dpt += 1;
            tps.DptMale += 1;
            await db.SaveChangesAsync();
        }
        await using (var db = tdb.NewContext())
        {
            var audit = await db.AuditEntries.Where(a => a.EntityType == "Tps" && a.EntityKey == "1671011001001").SingleAsync();
            Assert.Equal("Modified", audit.Action);
            Assert.Contains("\"Dpt\"", audit.Before);
            Assert.Contains("\"Dpt\"", audit.After);
            Assert.DoesNotContain("DesaCode", audit.After);
            Assert.Equal("system", audit.UserName);
        }
    }

    private static string CopySharedData()
    {
        var src = TestDatabase.SharedDataDir;
        var dst = Path.Combine(Path.GetTempPath(), "pantau-tests", "shared-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var file in Directory.EnumerateFiles(src, "*", SearchOption.AllDirectories))
        {
            if (file.EndsWith(".geojson", StringComparison.Ordinal)) continue;
            var target = Path.Combine(dst, Path.GetRelativePath(src, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetAttributes(target, FileAttributes.Normal);
        }
        return dst;
    }
}

public class AuditKeyTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    [Theory, MemberData(nameof(Providers))]
    public async Task Inserted_rows_with_generated_keys_are_audited_under_their_real_key(DatabaseProvider provider)
    {
        await using var tdb = await TestDatabase.CreateAsync(provider);
        await using var db = tdb.NewContext();
        var token = new Pantau.Data.Identity.ApiToken { UserId = "u1", Name = "importer", TokenHash = new string('a', 64), CreatedAt = DateTimeOffset.UtcNow };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync();
        Assert.True(token.Id > 0);
        var audit = await db.AuditEntries.SingleAsync(a => a.EntityType == "ApiToken");
        Assert.Equal(token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), audit.EntityKey);
        Assert.Equal("Added", audit.Action);
        Assert.Contains("\"TokenHash\":\"***\"", audit.After);
    }
}
